// The audit log over HTTP: pages of the caller's entries, newest first, one entry, and the entry a
// notification or task points at ("Why did you do this?"). Each entry links to its Temporal run.
import type { Hono } from 'hono';
import { z } from 'zod';
import type { Config } from '../../config';
import type { AuditEntry } from '../../shared/audit';
import { AUDIT_PAGE_MAX } from '../../store/audit';
import type { ServerDeps } from '../deps';
import { query } from '../validate';

export type AuditEntryView = AuditEntry & { temporalUrl?: string };

function withLink(config: Config, e: AuditEntry): AuditEntryView {
  if (!e.workflowId) return e;
  const base = `${config.temporal.uiUrl.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(config.temporal.namespace)}/workflows/${encodeURIComponent(e.workflowId)}`;
  return { ...e, temporalUrl: e.runId ? `${base}/${encodeURIComponent(e.runId)}` : base };
}

export function auditRoutes(app: Hono, { config, store }: ServerDeps): void {
  app.get(
    '/api/audit',
    query(z.object({ before: z.coerce.number().int().min(1).optional(), limit: z.coerce.number().int().min(1).max(AUDIT_PAGE_MAX).default(50) })),
    async (c) => {
      const q = c.req.valid('query');
      const entries = (await store.audit.list(c.get('userId'), q)).map((e) => withLink(config, e));
      const last = entries[entries.length - 1];
      return c.json({ entries, ...(entries.length === q.limit && last ? { next: last.seq } : {}) });
    },
  );

  app.get('/api/audit/why', query(z.object({ ref: z.string().min(1).max(500) })), async (c) => {
    const entry = await store.audit.byRef(c.get('userId'), c.req.valid('query').ref);
    return entry ? c.json({ entry: withLink(config, entry) }) : c.json({ error: 'no audit entry for this item' }, 404);
  });

  app.get('/api/audit/:id', async (c) => {
    const entry = await store.audit.get(c.get('userId'), c.req.param('id'));
    return entry ? c.json({ entry: withLink(config, entry) }) : c.json({ error: 'no such audit entry' }, 404);
  });
}
