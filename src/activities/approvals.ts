// Activities around a durable approval: recording the request (and telling the user exactly what
// will happen), recording the decision, and answering an approval on the user's behalf from chat.
import type { Config } from '../config';
import { describeApproval, expiresAt } from '../agents/approval';
import type { Approval, ApprovalUpdateInput } from '../shared/approval';
import type { Store } from '../store';
import type { NewApproval } from '../store/approvals';
import { paprikaClient } from './paprika';

export type RequestApprovalInput = Omit<NewApproval, 'id' | 'expiresAt'> & { approvalId: string };

export function makeApprovalActivities(config: Config, store: Store) {
  return {
    async requestApproval(input: RequestApprovalInput): Promise<{ expiresAt: string; ttlHours: number }> {
      const ttlHours = config.limits.approvalTtlHours;
      const { approvalId, ...rest } = input;
      // One transaction: a pending approval is never visible (API, page) without its notification.
      const approval = await store.sql.transaction(async () => {
        const created = await store.approvals.create({ id: approvalId, ...rest, expiresAt: expiresAt(new Date(), ttlHours) });
        const { title, body } = describeApproval(created);
        await store.notifications.add(`approval:${created.id}`, input.userId, { title, body, priority: 'high', source: 'approval', ref: `approval:${created.id}` });
        await store.tasks.progress(input.taskId, `waiting for approval: ${input.preview.summary}`.slice(0, 500));
        return created;
      });
      return { expiresAt: approval.expiresAt, ttlHours };
    },

    async decideApproval(input: {
      approvalId: string;
      status: 'approved' | 'rejected' | 'expired';
      args?: Record<string, unknown>;
      reason?: string;
    }): Promise<Approval> {
      const approval = await store.approvals.decide(input.approvalId, input);
      if (!approval) throw new Error(`approval ${input.approvalId} is not in the store`);
      if (approval.status === 'expired') {
        await store.notifications.add(`approval-expired:${approval.id}`, approval.userId, {
          title: `Approval expired: ${approval.preview.summary}`.slice(0, 300),
          body: `Nobody answered within ${config.limits.approvalTtlHours} hours, so nothing was done.`,
          priority: 'normal',
          source: 'approval',
          ref: `approval:${approval.id}`,
        });
      }
      await store.tasks.progress(approval.taskId, `approval ${approval.status}`);
      return approval;
    },

    /** The assistant's `answer_approval` tool ("yes, send it"): the same path as POST /api/approvals/:id. */
    async answerApproval(input: { userId: string; requestedAt?: string } & ApprovalUpdateInput): Promise<{ ok: boolean; text: string }> {
      const { userId, requestedAt, ...answer } = input;
      // The user's message can only mean an approval they could have seen when they wrote it: one of
      // theirs, asked for before the message. Anything else was put in front of the model by others.
      const stored = await store.approvals.get(answer.approvalId);
      if (!stored || stored.userId !== userId) return { ok: false, text: `could not answer approval ${answer.approvalId}: there is no such approval of yours` };
      if (!requestedAt || Date.parse(stored.createdAt) > Date.parse(requestedAt)) {
        return { ok: false, text: `did not answer approval ${answer.approvalId}: it was asked for after your message, so your message cannot have meant it` };
      }
      const res = await paprikaClient(config, store).approvals.answer(userId, answer);
      if (res.ok) return { ok: true, text: `approval ${res.approval.id} is now ${res.approval.status}` };
      return { ok: false, text: `could not answer approval ${answer.approvalId}: ${res.message}` };
    },
  };
}
