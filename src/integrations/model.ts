// The one place that talks to the model and the only file that imports `openai`: any
// OpenAI-compatible chat-completions endpoint behind the small ModelClient interface, so activities
// and tests depend on Paprika's own types and another provider means another implementation here.
// The client never retries by itself (maxRetries: 0): Temporal's retry policy is the one retry
// loop, honouring the server's Retry-After up to a cap. A breaker (model-guard.ts) sits in front.
import { ApplicationFailure, Context } from '@temporalio/activity';
import OpenAI from 'openai';
import type { Config } from '../config';
import type { ModelHealth } from '../store/model-health';
import { guardModel } from './model-guard';

/** A chat message in the chat-completions wire shape, the subset Paprika sends. */
export type ModelMessage =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string | null; tool_calls?: { id: string; type: 'function'; function: { name: string; arguments: string } }[] }
  | { role: 'tool'; tool_call_id: string; content: string };

/** A function the model may call; `parameters` is a JSON Schema. */
export interface ModelTool {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown> };
}

export interface ModelReply {
  content: string | null;
  toolCalls: { id: string; name: string; arguments: string }[];
}

export interface ModelOptions {
  /** Ask for a JSON object as the reply. */
  json?: boolean;
}

/** What Paprika needs from a language model: one completion at a time. */
export interface ModelClient {
  /** Throws ApplicationFailures typed for Temporal's retries (ModelUnavailable, ModelRequestRejected, ...). */
  complete(messages: ModelMessage[], tools?: ModelTool[], options?: ModelOptions): Promise<ModelReply>;
}

/** The model client, behind the breaker kept in `health` when one is given (every worker passes the store's). */
export function createModelClient(config: Config, health?: ModelHealth): ModelClient | undefined {
  if (config.model.kind !== 'openai') return undefined;
  const openai = new OpenAI({
    // A local OpenAI-compatible server (Ollama, vLLM, a test fake) may need no key.
    apiKey: config.model.apiKey ?? 'not-needed',
    baseURL: config.model.baseUrl,
    maxRetries: 0,
    timeout: config.model.timeoutSeconds * 1000,
  });
  const maxRetryAfterMs = config.model.retryAfterMaxSeconds * 1000;
  const client: ModelClient = {
    complete: (messages, tools, options) => chatCompletion(openai, config.model.name, maxRetryAfterMs, messages, tools, options),
  };
  if (!health) return client;
  return guardModel(client, health, {
    // Host and model name only: a base URL may carry credentials, and the key is shown on /api/health.
    model: `${config.model.baseUrl ? new URL(config.model.baseUrl).host : 'api.openai.com'}/${config.model.name}`,
    failures: config.model.breakerFailures,
    cooldownMs: config.model.breakerCooldownSeconds * 1000,
  });
}

/**
 * The earlier call form, kept so think.ts and agent.ts (edited in parallel) need no change beyond
 * their imports; new code calls `client.complete`.
 */
export function complete(client: ModelClient, _config: Config, request: { messages: ModelMessage[]; tools?: ModelTool[]; json?: boolean }): Promise<ModelReply> {
  return client.complete(request.messages, request.tools, { json: request.json });
}

/** Parses Retry-After (seconds or HTTP date) or retry-after-ms into milliseconds. */
export function retryAfterMs(headers: Headers | undefined): number | undefined {
  if (!headers) return undefined;
  const ms = Number(headers.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const raw = headers.get('retry-after');
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Retry-After, capped: `Retry-After: 3600` must not stall a chat for an hour. */
export function cappedRetryAfterMs(headers: Headers | undefined, maxMs: number): number | undefined {
  const ms = retryAfterMs(headers);
  return ms === undefined ? undefined : Math.min(ms, maxMs);
}

/** Maps the client's errors onto Temporal's retry semantics. */
export function toFailure(err: unknown, maxRetryAfterMs = 30_000): Error {
  if (err instanceof OpenAI.APIError && typeof err.status === 'number') {
    const status = err.status;
    const detail = `model endpoint answered ${status}: ${err.message}`;
    if (status === 429 || status >= 500 || status === 408) {
      return ApplicationFailure.create({
        message: detail,
        type: 'ModelUnavailable',
        nextRetryDelay: cappedRetryAfterMs(err.headers, maxRetryAfterMs),
      });
    }
    return ApplicationFailure.nonRetryable(detail, 'ModelRequestRejected');
  }
  if (err instanceof OpenAI.APIConnectionError) {
    return ApplicationFailure.retryable(`model endpoint unreachable: ${err.message}`, 'ModelUnreachable');
  }
  if (err instanceof SyntaxError) {
    // A body that is not the JSON it claims to be: a broken endpoint, worth another attempt.
    return ApplicationFailure.retryable(`model endpoint answered malformed JSON: ${err.message}`, 'ModelMalformedReply');
  }
  return err instanceof Error ? err : new Error(String(err));
}

/**
 * One chat completion; a cancelled activity aborts the request. The activity around it heartbeats
 * while the model thinks (`heartbeatingAll`), so a dead worker is noticed within the heartbeat timeout.
 */
async function chatCompletion(openai: OpenAI, model: string, maxRetryAfterMs: number, messages: ModelMessage[], tools: ModelTool[] = [], options: ModelOptions = {}): Promise<ModelReply> {
  const ctx = activityContext();
  try {
    const res = await openai.chat.completions.create(
      {
        model,
        messages,
        ...(tools.length ? { tools } : {}),
        ...(options.json ? { response_format: { type: 'json_object' as const } } : {}),
      },
      { signal: ctx?.cancellationSignal },
    );
    const message = res.choices[0]?.message;
    if (!message) throw ApplicationFailure.retryable('model returned no choices', 'ModelEmptyReply');
    return {
      content: message.content ?? null,
      toolCalls: (message.tool_calls ?? [])
        .filter((c): c is Extract<typeof c, { type: 'function' }> => c.type === 'function')
        .map((c) => ({ id: c.id, name: c.function.name, arguments: c.function.arguments })),
    };
  } catch (err) {
    throw toFailure(err, maxRetryAfterMs);
  }
}

function activityContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined; // called outside an activity (benchmarks, scripts)
  }
}

/** Parses a tool call's JSON arguments; bad JSON becomes a message for the model, not a crash. */
export function parseArguments(raw: string): { ok: true; args: Record<string, unknown> } | { ok: false; error: string } {
  try {
    const value = raw.trim() ? JSON.parse(raw) : {};
    if (value && typeof value === 'object' && !Array.isArray(value)) return { ok: true, args: value as Record<string, unknown> };
    return { ok: false, error: 'arguments must be a JSON object' };
  } catch (err) {
    return { ok: false, error: `arguments are not valid JSON: ${(err as Error).message}` };
  }
}
