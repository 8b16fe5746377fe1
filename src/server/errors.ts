// Turns failures into HTTP answers that say what is wrong, without leaking internals.
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ServiceError } from '@temporalio/client';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ZodError } from 'zod';
import type { Failure, FailureReason } from '../temporal/result';

export function errorResponse(err: unknown, c: Context): Response {
  if (err instanceof HTTPException) return c.json({ error: err.message }, err.status);
  if (err instanceof ZodError) return c.json({ error: describeZod(err) }, 400);
  if (err instanceof WorkflowUpdateFailedError) {
    // The update's validator rejected the input: the caller's fault, nothing was enqueued.
    return c.json({ error: (err.cause as Error | undefined)?.message ?? err.message }, 400);
  }
  if (err instanceof ServiceError || (err as Error)?.name === 'TransportError') {
    return c.json({ error: `Temporal is unreachable or refused the request: ${(err as Error).message}` }, 503);
  }
  console.error('unhandled error in request', err);
  return c.json({ error: 'internal error' }, 500);
}

export function describeZod(err: ZodError): string {
  return err.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
}

const FAILURE_STATUS = { not_found: 404, conflict: 409, bad_args: 400 } as const satisfies Record<FailureReason, number>;

/** The application client's reason as an HTTP answer; `extra` is what the page may still show. */
export function failureResponse(c: Context, failure: Failure, extra: Record<string, unknown> = {}): Response {
  return c.json({ error: failure.message, ...extra }, FAILURE_STATUS[failure.error]);
}
