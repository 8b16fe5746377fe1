// `announce`: the one way a feed, the briefing or meeting prep tells the user and the assistant.
// The notification is written here, by code, so it never depends on a model's whim; the assistant
// then gets the same item as an event (signal-with-start, so it starts if it was not running).
import { createHash } from 'node:crypto';
import type { Config } from '../../config';
import type { AssistantEventInput, NotificationInput } from '../../shared/types';
import type { Store } from '../../store';
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

export function makeAnnounce(config: Config, store: Store) {
  return async function announce(a: Announcement): Promise<void> {
    if (a.notification) store.notifications.add(a.notificationId, a.userId, a.notification);
    await paprikaClient(config, store).assistant.sendEvent(a.userId, a.event);
  };
}
