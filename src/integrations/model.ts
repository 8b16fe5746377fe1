// The one place that talks to the model: any OpenAI-compatible chat-completions endpoint.
// The client never retries by itself; Temporal owns retries, honouring the server's Retry-After.
import { ApplicationFailure, Context } from '@temporalio/activity';
import OpenAI from 'openai';
import type { Config } from '../config';

export type ModelMessage = OpenAI.Chat.Completions.ChatCompletionMessageParam;
export type ModelTool = OpenAI.Chat.Completions.ChatCompletionTool;

export interface ModelReply {
  content: string | null;
  toolCalls: { id: string; name: string; arguments: string }[];
}

export function createModelClient(config: Config): OpenAI | undefined {
  if (config.model.kind !== 'openai') return undefined;
  return new OpenAI({
    // A local OpenAI-compatible server (Ollama, vLLM, a test fake) may need no key.
    apiKey: config.model.apiKey ?? 'not-needed',
    baseURL: config.model.baseUrl,
    maxRetries: 0,
    timeout: config.model.timeoutSeconds * 1000,
  });
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

/** Maps the client's errors onto Temporal's retry semantics. */
export function toFailure(err: unknown): Error {
  if (err instanceof OpenAI.APIError && typeof err.status === 'number') {
    const status = err.status;
    const detail = `model endpoint answered ${status}: ${err.message}`;
    if (status === 429 || status >= 500 || status === 408) {
      return ApplicationFailure.create({
        message: detail,
        type: 'ModelUnavailable',
        nextRetryDelay: retryAfterMs(err.headers),
      });
    }
    return ApplicationFailure.nonRetryable(detail, 'ModelRequestRejected');
  }
  if (err instanceof OpenAI.APIConnectionError) {
    return ApplicationFailure.retryable(`model endpoint unreachable: ${err.message}`, 'ModelUnreachable');
  }
  return err instanceof Error ? err : new Error(String(err));
}

/** One chat completion, heartbeating while the model thinks so a dead worker is noticed quickly. */
export async function complete(
  client: OpenAI,
  config: Config,
  request: { messages: ModelMessage[]; tools?: ModelTool[]; json?: boolean },
): Promise<ModelReply> {
  const ctx = activityContext();
  const beat = ctx ? setInterval(() => ctx.heartbeat(), 1000) : undefined;
  try {
    const res = await client.chat.completions.create(
      {
        model: config.model.name,
        messages: request.messages,
        ...(request.tools?.length ? { tools: request.tools } : {}),
        ...(request.json ? { response_format: { type: 'json_object' as const } } : {}),
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
    throw toFailure(err);
  } finally {
    if (beat) clearInterval(beat);
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
