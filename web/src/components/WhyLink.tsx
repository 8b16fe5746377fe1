// "Why did you do this?" on a notification or task: asks the audit log which entry its ref points
// at and opens the Audit view on it. Asked on click, not per item up front, so a long list costs no
// requests; "nothing was done" is an answer too, said in place.
import { useState } from 'preact/hooks';
import * as api from '../api';
import { ApiError } from '../api';
import { href } from '../route';
import { InlineError, useBusy } from './common';

export function WhyLink({ auditRef }: { auditRef: string }) {
  const [busy, error, run] = useBusy();
  const [nothing, setNothing] = useState(false);
  const ask = () =>
    run(async () => {
      try {
        const { entry } = await api.getAuditWhy(auditRef);
        location.hash = href('audit', entry.id);
      } catch (err) {
        if (err instanceof ApiError && err.notAvailable) setNothing(true);
        else throw err;
      }
    });
  if (nothing)
    return (
      <span class="muted small" role="status" data-testid="why-nothing">
        Nothing was done for this
      </span>
    );
  return (
    <>
      <button type="button" class="link-button" disabled={busy} onClick={() => void ask()} data-testid="why">
        Why did you do this?
      </button>
      <InlineError error={error} />
    </>
  );
}
