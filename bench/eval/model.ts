// Which model the eval runs against. With OPENAI_API_KEY (or PAPRIKA_EVAL_MODEL=real) it is the
// configured endpoint, reached through the fake server as a recording proxy, so every part of the
// harness sees the model's requests the same way whichever model answers. Without a key it is the
// scripted fakes (PAPRIKA_EVAL_MODEL=fake), which asserts the harness itself.
import type { ChatRequest, FakeReply, Script } from '../../test/fakes/openai-server';

export type EvalModel = { kind: 'fake' } | { kind: 'real'; baseUrl: string; apiKey: string; model: string };

export function evalModelFromEnv(env: NodeJS.ProcessEnv = process.env): EvalModel {
  const wanted = env.PAPRIKA_EVAL_MODEL ?? (env.OPENAI_API_KEY || env.OPENAI_BASE_URL ? 'real' : 'fake');
  if (wanted === 'fake') return { kind: 'fake' };
  if (wanted !== 'real') throw new Error(`PAPRIKA_EVAL_MODEL must be "fake" or "real", not "${wanted}"`);
  if (!env.OPENAI_API_KEY && !env.OPENAI_BASE_URL) throw new Error('PAPRIKA_EVAL_MODEL=real needs OPENAI_API_KEY (and OPENAI_BASE_URL for a local endpoint)');
  return {
    kind: 'real',
    baseUrl: (env.OPENAI_BASE_URL || 'https://api.openai.com/v1').replace(/\/$/, ''),
    // Local endpoints (Ollama, llama.cpp, vLLM) accept any key.
    apiKey: env.OPENAI_API_KEY || 'local',
    model: env.PAPRIKA_MODEL || 'gpt-4o-mini',
  };
}

export function describeModel(m: EvalModel): string {
  return m.kind === 'fake' ? 'scripted fake (no OPENAI_API_KEY)' : `${m.model} at ${m.baseUrl}`;
}

interface Completion {
  choices?: { message?: { content?: string | null; tool_calls?: { id: string; function: { name: string; arguments: string } }[] } }[];
}

/** A script that forwards each request to the real endpoint under its model name; errors pass through as HTTP errors. */
export function proxyScript(m: Extract<EvalModel, { kind: 'real' }>): Script {
  return async (req: ChatRequest): Promise<FakeReply> => {
    const res = await fetch(`${m.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${m.apiKey}` },
      body: JSON.stringify({ ...req, model: m.model }),
    });
    if (!res.ok) {
      const retry = res.headers.get('retry-after');
      return { status: res.status, ...(retry && Number.isFinite(Number(retry)) ? { retryAfterSeconds: Number(retry) } : {}) };
    }
    const message = ((await res.json()) as Completion).choices?.[0]?.message ?? {};
    return {
      content: message.content ?? null,
      toolCalls: (message.tool_calls ?? []).map((c) => ({ id: c.id, name: c.function.name, arguments: c.function.arguments })),
    };
  };
}
