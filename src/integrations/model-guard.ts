// The circuit breaker in front of the model: after repeated failures every caller is refused at
// once (ModelCircuitOpen, not retried) instead of waiting out timeouts and retries, until the
// cool-down lets one request probe the model again. The record is in the store, shared by workers.
import { ApplicationFailure } from '@temporalio/common';
import { afterFailure, afterSuccess, type BreakerSettings, mayCall } from '../shared/model-breaker';
import type { ModelHealth } from '../store/model-health';
import type { ModelClient } from './model';

export const MODEL_CIRCUIT_OPEN = 'ModelCircuitOpen';

/** Failures that say the model is down, as opposed to our request being wrong or cancelled. */
export function isModelOutage(err: unknown): boolean {
  if (!(err instanceof ApplicationFailure)) return false;
  return !err.nonRetryable && ['ModelUnavailable', 'ModelUnreachable', 'ModelEmptyReply', 'ModelMalformedReply'].includes(err.type ?? '');
}

export function guardModel(client: ModelClient, health: ModelHealth, settings: BreakerSettings & { model: string }): ModelClient {
  return {
    async complete(messages, tools, options) {
      const record = await health.get(settings.model);
      if (!mayCall(record, new Date())) {
        throw ApplicationFailure.create({
          type: MODEL_CIRCUIT_OPEN,
          nonRetryable: true,
          message: `the model is unavailable (${record.failures} failures in a row, last: ${record.lastError ?? 'unknown'}); next try at ${record.retryAt}`,
          details: [{ retryAt: record.retryAt }],
        });
      }
      try {
        const reply = await client.complete(messages, tools, options);
        // Only a breaker that saw failures needs a write; the common case stays a read.
        if (record.state !== 'closed' || record.failures > 0) await health.update(settings.model, afterSuccess);
        return reply;
      } catch (err) {
        if (isModelOutage(err)) await health.update(settings.model, (r) => afterFailure(r, (err as Error).message.slice(0, 300), new Date(), settings));
        throw err;
      }
    },
  };
}
