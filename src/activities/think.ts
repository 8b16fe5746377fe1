// `think`: one step of the assistant. Renders the bounded state, asks the model (or the offline
// rules), and returns a validated Decision. It has no side effects, so retries are free.
import type { Config } from '../config';
import { assistantToolsForModel } from '../assistant/assistant-tools';
import { type Decision, normaliseCalls, type ProposedCall } from '../assistant/decision';
import { offlineDecide } from '../assistant/offline-policy';
import { type PromptExtras, renderPrompt, type ThinkInput } from '../assistant/prompt';
import { TURN_READ_TOOLS, type TurnReadTool } from '../assistant/turn-reads';
import type { AgentMessage } from '../agents/agent-loop';
import type { Store } from '../store';
import { complete, type ModelClient, parseArguments } from '../integrations/model';
import { loadUserContext } from './user-context';

/** Mail and calendar reads are offered only when their Composio toolkit is configured, or each would fail. */
export function configuredReads(config: Config): TurnReadTool[] {
  const ready = (toolkit: string) => Boolean(config.composio.apiKey && config.composio.toolkitVersions[toolkit]);
  return TURN_READ_TOOLS.filter((t) => (t.startsWith('gmail_') ? ready('gmail') : t.startsWith('calendar_') ? ready('googlecalendar') : true));
}

export function makeThink(config: Config, store: Store, client: ModelClient | undefined) {
  return async function think(input: ThinkInput): Promise<Decision> {
    // Read here, not carried by the workflow: a correction or a new fact applies at the next step,
    // and nothing of it enters the workflow's history.
    const asked = input.batch.map((e) => e.text).join('\n');
    const user = await loadUserContext(store, input.userId, new Date(input.now), asked);
    const extras: PromptExtras = {
      user,
      spent: input.turn?.spent,
      readResults: input.turn
        ? await Promise.all(
            input.turn.done.map(async (r) => ({
              tool: r.tool,
              args: r.args,
              text: (await store.agentTranscripts.at<AgentMessage>(r.transcript, r.index, 0))?.content ?? '(the result is no longer stored)',
            })),
          )
        : undefined,
    };
    const reads = input.turn?.canRead && !input.turn.spent ? configuredReads(config) : [];
    let reply: string | null;
    let calls: ProposedCall[];
    const rejected: string[] = [];
    if (client) {
      const res = await complete(client, config, { messages: renderPrompt(input, extras), tools: assistantToolsForModel(reads) });
      reply = res.content?.trim() || null;
      calls = [];
      for (const c of res.toolCalls) {
        const parsed = parseArguments(c.arguments);
        if (parsed.ok) calls.push({ name: c.name, args: parsed.args });
        else rejected.push(`${c.name}: ${parsed.error}`);
      }
    } else {
      const unread = (await store.notifications
        .list(input.userId, { unreadOnly: true, limit: 20 }))
        .map((n) => ({ title: n.title, priority: n.priority, createdAt: n.createdAt }));
      ({ reply, calls } = offlineDecide(input, { unread, timeZone: user.timeZone, reads, readResults: extras.readResults ?? [] }));
    }
    const normalised = normaliseCalls(calls);
    return { reply, ...normalised, rejected: [...rejected, ...normalised.rejected] };
  };
}
