// What every tool module provides: a runner per tool name. Specs (names, schemas, read or
// side_effect) live in src/agents/tool-registry.ts; a runner receives validated arguments.
export interface ToolRunContext {
  userId: string;
  taskId: string;
  callId: string;
  /** Aborted when Temporal cancels the activity (task cancelled, deadline, worker shutdown). */
  signal: AbortSignal;
}

/** `ok: false` is an answer the agent sees and can act on; infrastructure failures throw instead. */
export interface ToolOutcome {
  ok: boolean;
  text: string;
  /** The mail thread a send or reply went to, for its follow-up. */
  threadId?: string;
}

export type ToolRunner = (args: any, ctx: ToolRunContext) => Promise<ToolOutcome>;

/** Tool output for the model: compact, bounded; the agent loop clips again to its own limit. */
export function compact(value: unknown, limit = 8000): string {
  const s = typeof value === 'string' ? value : JSON.stringify(value);
  return s.length <= limit ? s : `${s.slice(0, limit)}…(truncated, ${s.length - limit} more characters)`;
}
