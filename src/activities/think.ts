// `think`: one step of the assistant. Renders the bounded state, asks the model (or the offline
// rules), and returns a validated Decision. It has no side effects, so retries are free.
import type { Config } from '../config';
import { assistantToolsForModel } from '../assistant/assistant-tools';
import { type Decision, normaliseCalls, type ProposedCall } from '../assistant/decision';
import { offlineDecide } from '../assistant/offline-policy';
import { renderPrompt, type ThinkInput } from '../assistant/prompt';
import { fenceUntrusted } from '../triage/fence';
import { renderProfile } from '../shared/profile';
import type { Store } from '../store';
import { complete, type ModelClient, parseArguments } from '../integrations/model';

export function makeThink(config: Config, store: Store, client: ModelClient | undefined) {
  return async function think(given: ThinkInput): Promise<Decision> {
    // The profile is read here, not carried by the workflow: a correction applies at the next step.
    // It was built from mail, so it reaches the prompt fenced as data.
    const profileText = given.profile ?? renderProfile(store.profile.get(given.userId).profile);
    const input: ThinkInput = profileText ? { ...given, profile: fenceUntrusted('user profile', profileText) } : given;
    let reply: string | null;
    let calls: ProposedCall[];
    const rejected: string[] = [];
    if (client) {
      const res = await complete(client, config, { messages: renderPrompt(input), tools: assistantToolsForModel() });
      reply = res.content?.trim() || null;
      calls = [];
      for (const c of res.toolCalls) {
        const parsed = parseArguments(c.arguments);
        if (parsed.ok) calls.push({ name: c.name, args: parsed.args });
        else rejected.push(`${c.name}: ${parsed.error}`);
      }
    } else {
      const unread = store.notifications
        .list(input.userId, { unreadOnly: true, limit: 20 })
        .map((n) => ({ title: n.title, priority: n.priority, createdAt: n.createdAt }));
      ({ reply, calls } = offlineDecide(input, { unread, timeZone: store.settings.get(input.userId).timezone }));
    }
    const normalised = normaliseCalls(calls);
    return { reply, ...normalised, rejected: [...rejected, ...normalised.rejected] };
  };
}
