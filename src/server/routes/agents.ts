// Named agents: list (Temporal visibility, filtered by the Paprika search attributes), inspect (the
// agent's query: current instruction, queue, memory) and stop (cancel: queued instructions are
// reported as cancelled, the agent ends; the next delegate_to_agent starts it afresh with no memory).
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Hono } from 'hono';
import { AGENT_NAME_PATTERN } from '../../agents/named-agent-state';
import { agentWorkflowId } from '../../shared/ids';
import { agentStateQuery } from '../../shared/agent-messages';
import type { ServerDeps } from '../deps';
import { temporalUrl } from './read-model';

export function agentRoutes(app: Hono, { config, client }: ServerDeps): void {
  const user = config.userId;
  const prefix = agentWorkflowId(user, '');

  app.get('/api/agents', async (c) => {
    const byName = new Map<string, { name: string; workflowId: string; status: string; startedAt?: string; temporalUrl: string }>();
    for await (const wf of client.workflow.list({ query: `PaprikaUser = "${user}" AND PaprikaKind = "agent"` })) {
      if (!wf.workflowId.startsWith(prefix)) continue;
      const name = wf.workflowId.slice(prefix.length);
      // Newest run first; continue-as-new leaves older closed runs behind.
      if (byName.has(name)) continue;
      byName.set(name, {
        name,
        workflowId: wf.workflowId,
        status: wf.status.name === 'RUNNING' ? 'running' : wf.status.name.toLowerCase(),
        startedAt: wf.startTime.toISOString(),
        temporalUrl: temporalUrl(config, wf.workflowId),
      });
    }
    return c.json({ agents: [...byName.values()] });
  });

  app.get('/api/agents/:name', async (c) => {
    const name = c.req.param('name');
    if (!AGENT_NAME_PATTERN.test(name)) return c.json({ error: 'no such agent' }, 404);
    const handle = client.workflow.getHandle(agentWorkflowId(user, name));
    try {
      const description = await handle.describe();
      const running = description.status.name === 'RUNNING';
      return c.json({
        agent: {
          name,
          workflowId: handle.workflowId,
          status: running ? 'running' : description.status.name.toLowerCase(),
          temporalUrl: temporalUrl(config, handle.workflowId),
          ...(running ? { state: await handle.query(agentStateQuery) } : {}),
        },
      });
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return c.json({ error: 'no such agent' }, 404);
      throw err;
    }
  });

  app.post('/api/agents/:name/stop', async (c) => {
    const name = c.req.param('name');
    if (!AGENT_NAME_PATTERN.test(name)) return c.json({ error: 'no such agent' }, 404);
    const handle = client.workflow.getHandle(agentWorkflowId(user, name));
    try {
      const description = await handle.describe();
      if (description.status.name !== 'RUNNING') return c.json({ error: `agent is ${description.status.name.toLowerCase()}` }, 409);
      await handle.cancel();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return c.json({ error: 'no such agent' }, 404);
      throw err;
    }
    return c.json({ ok: true });
  });
}
