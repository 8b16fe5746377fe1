// Approvals: the list (from the store, so it survives restarts of either process), answering one
// (an Update on the agent workflow that waits for it, so the answer is real), and the opt-in
// per-tool auto-approve rules.
import { randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import { z } from 'zod';
import { APPROVAL_STATUSES, ApprovalAnswer } from '../../shared/approval';
import { USER } from '../../shared/provenance';
import { BUILTIN_TOOL_LIST } from '../../agents/tool-registry';
import type { ServerDeps } from '../deps';
import { failureResponse } from '../errors';
import { jsonBody, query } from '../validate';

const AutoApproveBody = z.object({
  tools: z
    .array(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a tool name (e.g. gmail_send or mcp__server__tool)'))
    .max(200),
});

export function approvalRoutes(app: Hono, { store, paprika }: ServerDeps): void {
  app.get(
    '/api/approvals',
    query(z.object({ status: z.enum(APPROVAL_STATUSES).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) })),
    async (c) => {
      const q = c.req.valid('query');
      return c.json({ approvals: await store.approvals.list(c.get('userId'), q) });
    },
  );

  app.get('/api/approvals/auto', async (c) => c.json({ tools: await store.approvals.autoApproved(c.get('userId')) }));

  app.put('/api/approvals/auto', jsonBody(AutoApproveBody), async (c) => {
    const user = c.get('userId');
    const { tools } = c.req.valid('json');
    // MCP tools are named at runtime, so only builtin names are checked here.
    const known = new Set(BUILTIN_TOOL_LIST.map((t) => t.name));
    const unknown = tools.filter((t) => !known.has(t) && !t.startsWith('mcp__'));
    if (unknown.length) return c.json({ error: `tools: unknown tool ${unknown.map((t) => `"${t}"`).join(', ')}` }, 400);
    const before = await store.approvals.autoApproved(user);
    const after = await store.approvals.setAutoApproved(user, tools);
    if (before.join() !== after.join()) {
      await store.audit.record({
        id: `api:${randomUUID()}`,
        userId: user,
        action: 'set_auto_approve',
        actor: 'api',
        provenance: USER,
        outcome: 'done',
        detail: `Auto-approve: ${after.length ? after.join(', ') : 'none'} (was ${before.length ? before.join(', ') : 'none'})`,
      });
    }
    return c.json({ tools: after });
  });

  app.get('/api/approvals/:id', async (c) => {
    const approval = await store.approvals.get(c.req.param('id'));
    // Someone else's approval is "no such approval" too, so IDs do not reveal what exists.
    if (!approval || approval.userId !== c.get('userId')) return c.json({ error: 'no such approval' }, 404);
    return c.json({ approval });
  });

  app.post('/api/approvals/:id', jsonBody(ApprovalAnswer), async (c) => {
    const answer = c.req.valid('json');
    const res = await paprika.approvals.answer(c.get('userId'), { approvalId: c.req.param('id'), ...answer });
    if (res.ok) return c.json({ ok: true, approval: res.approval });
    return failureResponse(c, res, res.approval ? { approval: res.approval } : {});
  });
}
