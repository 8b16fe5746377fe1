// Named agents: list, inspect (current instruction, queue, memory) and stop, each with a link to
// the agent's workflow in the Temporal UI.
import type { Hono } from 'hono';
import type { ServerDeps } from '../deps';
import { failureResponse } from '../errors';
import { temporalUrl } from './read-model';

export function agentRoutes(app: Hono, { config, paprika }: ServerDeps): void {
  const withUrl = <T extends { workflowId: string }>(a: T) => ({ ...a, temporalUrl: temporalUrl(config, a.workflowId) });

  app.get('/api/agents', async (c) => c.json({ agents: (await paprika.agents.list(c.get('userId'))).map(withUrl) }));

  app.get('/api/agents/:name', async (c) => {
    const res = await paprika.agents.get(c.get('userId'), c.req.param('name'));
    return res.ok ? c.json({ agent: withUrl(res.agent) }) : failureResponse(c, res);
  });

  app.post('/api/agents/:name/stop', async (c) => {
    const res = await paprika.agents.stop(c.get('userId'), c.req.param('name'));
    return res.ok ? c.json({ ok: true }) : failureResponse(c, res);
  });
}
