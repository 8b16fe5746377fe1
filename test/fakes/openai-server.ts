// A fake OpenAI-compatible server: speaks POST /v1/chat/completions (and GET /v1/models) like the
// real API, so the real `openai` client is exercised; answers come from a script the test sets.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatRequest {
  model: string;
  messages: { role: string; content: string | null; tool_calls?: { id: string; function: { name: string; arguments: string } }[]; tool_call_id?: string }[];
  tools?: { type: 'function'; function: { name: string; description?: string; parameters?: unknown } }[];
  response_format?: { type: string };
}

export interface FakeReply {
  content?: string | null;
  toolCalls?: { name: string; arguments: Record<string, unknown> | string; id?: string }[];
  /** Answer after this long (the request stays open meanwhile). */
  delayMs?: number;
  /** Answer with an HTTP error instead (OpenAI error body). */
  status?: number;
  retryAfterSeconds?: number;
  /** Answer 200 with a body that is not valid JSON (a broken proxy or endpoint). */
  malformed?: boolean;
}

export type Script = (req: ChatRequest, index: number) => FakeReply | Promise<FakeReply>;

/** Which of Paprika's prompts a request is, from its first system message. */
export function promptKind(req: ChatRequest): 'assistant' | 'agent' | 'summary' | 'other' {
  const system = req.messages[0]?.content ?? '';
  if (system.startsWith('You are Paprika')) return 'assistant';
  if (system.startsWith('You are a background task agent')) return 'agent';
  if (system.startsWith('Update the running summary')) return 'summary';
  return 'other';
}

/** The text of the last user-role message (the batch of new events for the assistant). */
export function lastUserText(req: ChatRequest): string {
  for (let i = req.messages.length - 1; i >= 0; i--) if (req.messages[i]!.role === 'user') return req.messages[i]!.content ?? '';
  return '';
}

export interface FakeOpenAI {
  url: string;
  requests: ChatRequest[];
  setScript(script: Script): void;
  close(): Promise<void>;
}

let counter = 0;

export async function startFakeOpenAI(script: Script = () => ({ content: 'ok' })): Promise<FakeOpenAI> {
  let current = script;
  const requests: ChatRequest[] = [];
  const server = http.createServer(async (req, res) => {
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && req.url === '/v1/models') return send(200, { object: 'list', data: [{ id: 'fake-model', object: 'model', owned_by: 'test' }] });
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') return send(404, { error: { message: `no route ${req.method} ${req.url}`, type: 'invalid_request_error' } });
    let raw = '';
    for await (const chunk of req) raw += chunk;
    let body: ChatRequest;
    try {
      body = JSON.parse(raw) as ChatRequest;
    } catch {
      return send(400, { error: { message: 'body is not JSON', type: 'invalid_request_error' } });
    }
    if (!body.model || !Array.isArray(body.messages)) return send(400, { error: { message: "'model' and 'messages' are required", type: 'invalid_request_error' } });
    const index = requests.push(body) - 1;
    let reply: FakeReply;
    try {
      reply = await current(body, index);
    } catch (err) {
      return send(500, { error: { message: `script failed: ${(err as Error).message}`, type: 'server_error' } });
    }
    if (reply.delayMs) {
      // A client that gives up (a cancelled or killed activity) ends the wait too.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, reply.delayMs);
        res.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    if (res.destroyed || res.writableEnded) return;
    if (reply.status && reply.status >= 400) {
      return send(
        reply.status,
        { error: { message: `fake error ${reply.status}`, type: reply.status === 429 ? 'rate_limit_exceeded' : 'server_error', code: null } },
        reply.retryAfterSeconds !== undefined ? { 'retry-after': String(reply.retryAfterSeconds) } : {},
      );
    }
    if (reply.malformed) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end('{"id": "chatcmpl-broken", "choices": [{"message": ');
    }
    const toolCalls = (reply.toolCalls ?? []).map((c) => ({
      id: c.id ?? `call_${++counter}`,
      type: 'function' as const,
      function: { name: c.name, arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments) },
    }));
    send(200, {
      id: `chatcmpl-${++counter}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: body.model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: reply.content ?? null, ...(toolCalls.length ? { tool_calls: toolCalls } : {}), refusal: null },
          finish_reason: toolCalls.length ? 'tool_calls' : 'stop',
          logprobs: null,
        },
      ],
      usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    setScript: (s) => {
      current = s;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
