// The codec endpoint the Temporal UI calls (`--ui-codec-endpoint`) to show the user decoded
// payloads: Temporal's remote codec protocol, behind the same auth as the rest of /api. The
// server never sees keys: it runs the payload codecs of its own Temporal client.
import type { Payload } from '@temporalio/common';
import type { Hono, MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { z } from 'zod';
import type { Config } from '../../config';
import type { ServerDeps } from '../deps';
import { jsonBody } from '../validate';

const Body = z.object({
  payloads: z
    .array(z.object({ metadata: z.record(z.string(), z.string()).default({}), data: z.string().default('') }))
    .max(1000),
});
type JsonPayload = z.infer<typeof Body>['payloads'][number];

const fromJson = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data, 'base64'),
});

const toJson = (p: Payload): JsonPayload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')])),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

/**
 * Cross-origin access for the Temporal UI's origin only, with credentials (the page's login
 * cookie) and the headers the UI sends. Registered before the token check, because a browser's
 * preflight never carries credentials; the POST itself still needs them.
 */
export function codecCors(config: Config): MiddlewareHandler {
  return cors({
    origin: new URL(config.temporal.uiUrl).origin,
    credentials: true,
    allowMethods: ['POST', 'OPTIONS'],
    allowHeaders: ['Content-Type', 'X-Namespace', 'Authorization'],
    maxAge: 600,
  });
}

export function codecRoutes(app: Hono, { paprika }: ServerDeps): void {
  const codecs = paprika.payloadCodecs;

  app.post('/api/codec/encode', jsonBody(Body), async (c) => {
    let payloads = c.req.valid('json').payloads.map(fromJson);
    for (const codec of codecs) payloads = await codec.encode(payloads);
    return c.json({ payloads: payloads.map(toJson) });
  });

  app.post('/api/codec/decode', jsonBody(Body), async (c) => {
    let payloads = c.req.valid('json').payloads.map(fromJson);
    try {
      for (const codec of [...codecs].reverse()) payloads = await codec.decode(payloads);
    } catch (err) {
      return c.json({ error: (err as Error).message }, 400);
    }
    return c.json({ payloads: payloads.map(toJson) });
  });
}
