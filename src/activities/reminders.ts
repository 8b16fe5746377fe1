// The reminder's one side effect: the notification, keyed by the reminder's ID.
import type { Store } from '../store';

export function makeReminderActivities(store: Store) {
  return {
    async fireReminder(input: { userId: string; reminderId: string; text: string }): Promise<void> {
      await store.notifications.add(`reminder:${input.reminderId}`, input.userId, {
        title: `Reminder: ${input.text}`,
        body: '',
        priority: 'high',
        source: 'reminder',
        ref: `task:${input.reminderId}`,
      });
      await store.tasks.finish(input.reminderId, 'completed', `Reminded: ${input.text}`);
    },
  };
}
