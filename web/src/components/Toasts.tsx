// New notifications pop up briefly when the Notifications view is not open.
import { href } from '../route';
import { dismissToast, store } from '../state';
import { useStore } from '../store';
import { Icon } from './icons';

export function Toasts() {
  const toasts = useStore(store, (s) => s.toasts);
  return (
    <div class="toasts" aria-live="polite" aria-relevant="additions">
      {toasts.map((t) => (
        <div class={`toast prio-${t.priority}`} key={t.id} data-testid="toast">
          <a href={href('notifications')} onClick={() => dismissToast(t.id)}>
            <span class="sr-only">New {t.priority} notification: </span>
            {t.title}
          </a>
          <button type="button" class="toast-close" aria-label="Dismiss" onClick={() => dismissToast(t.id)}>
            <Icon name="x" size={14} />
          </button>
        </div>
      ))}
    </div>
  );
}
