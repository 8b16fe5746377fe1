// `deliver`: writes what one step produced to the store the user reads (transcript,
// notifications, task records). Every row has an ID derived from the step, so a retried
// activity writes nothing twice.
import type { AuditEntryInput } from '../shared/audit';
import type { MessageRole, NotificationInput } from '../shared/types';
import type { Store } from '../store';
import { currentRun } from './current-run';

export interface DeliverInput {
  userId: string;
  messages: { id: string; role: MessageRole; text: string; at: string }[];
  notifications: { id: string; notification: NotificationInput }[];
  tasks: { id: string; tool: string; title: string; workflowId?: string }[];
  /** Tasks the step started and calls it refused, as the planner judged them. */
  audit?: AuditEntryInput[];
}

export function makeDeliver(store: Store) {
  return async function deliver(input: DeliverInput): Promise<void> {
    await store.sql.transaction(async () => {
      for (const m of input.messages) await store.transcript.add({ id: m.id, userId: input.userId, role: m.role, text: m.text, createdAt: m.at });
      for (const n of input.notifications) await store.notifications.add(n.id, input.userId, n.notification);
      for (const t of input.tasks) await store.tasks.start({ ...t, userId: input.userId });
      // An entry about this workflow links to the run delivering it; one about a child keeps the child's ID.
      const run = currentRun();
      for (const a of input.audit ?? []) {
        const here = !a.workflowId || a.workflowId === run.workflowId;
        await store.audit.record({ ...(here ? run : {}), ...a, userId: input.userId });
      }
    });
  };
}
