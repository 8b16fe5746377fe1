// `announce`: the one way a feed, the briefing or meeting prep tells the user and the assistant.
// The notification is written here, by code, so it never depends on a model's whim; the assistant
// then gets the same item as an event (signal-with-start, so it starts if it was not running).
import { createHash } from 'node:crypto';
import type { Config } from '../../config';
import type { AssistantEventInput, NotificationInput } from '../../shared/types';
import type { Store } from '../../store';
import type { ContextItem } from '../../store/context';
import type { Provenance, SourceKind } from '../../shared/provenance';
import { paprikaClient } from '../paprika';

export interface Announcement {
  userId: string;
  /** Stable per item, so a retried activity or a replayed delivery notifies once. */
  notificationId: string;
  /** Omitted when the item is filed for the assistant without a notification. */
  notification?: NotificationInput;
  event: AssistantEventInput;
}

/** Event ids are at most 200 characters; a long item id is hashed, keeping the prefix readable. */
export function feedEventId(itemId: string): string {
  const id = `feed:${itemId}`;
  return id.length <= 200 ? id : `feed:h:${createHash('sha256').update(itemId).digest('hex')}`;
}

const KIND_OF: Record<ContextItem['kind'], SourceKind> = { email: 'mail', event: 'calendar', webhook: 'webhook', note: 'plugin' };

/**
 * Everything a feed announces is untrusted: a mail, a webhook, a calendar invite, or a briefing
 * made of them. The item it points at names the sender and subject the user is shown later, on
 * any approval it leads to.
 */
export function feedProvenance(item: ContextItem | undefined, source: string | undefined): Provenance {
  if (!item) return { origin: 'untrusted', sources: [{ kind: source === 'calendar' ? 'calendar' : 'mail', ...(source ? { from: source.slice(0, 300) } : {}) }] };
  return {
    origin: 'untrusted',
    sources: [
      {
        kind: KIND_OF[item.kind],
        ref: item.id.slice(0, 500),
        ...(item.senderAddress || item.sender ? { from: (item.senderAddress ?? item.sender).slice(0, 300) } : {}),
        ...(item.title ? { subject: item.title.slice(0, 300) } : {}),
      },
    ],
  };
}

export function makeAnnounce(config: Config, store: Store) {
  return async function announce(a: Announcement): Promise<void> {
    if (a.notification) await store.notifications.add(a.notificationId, a.userId, a.notification);
    const provenance = a.event.provenance ?? feedProvenance(a.event.ref ? await store.context.get(a.userId, a.event.ref) : undefined, a.event.source);
    await paprikaClient(config, store).assistant.sendEvent(a.userId, { ...a.event, provenance });
  };
}
