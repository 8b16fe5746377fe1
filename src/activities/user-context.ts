// Gathers the user context every prompt gets (src/triage/user-context.ts renders it): their time
// zone setting, their profile, and their remembered facts, picked against the text at hand.
import { renderProfile } from '../shared/profile';
import type { Store } from '../store';
import { FACTS_ALL_UP_TO, FACTS_TOP, pickFacts, relevanceQuery, type UserContext } from '../triage/user-context';

export async function loadUserContext(store: Store, userId: string, now: Date, relevantTo: string): Promise<UserContext> {
  const all = (await store.memory.list(userId, FACTS_ALL_UP_TO + 1)).map((f) => f.text);
  const { facts, selected } = await pickFacts(all, async () => (await store.memory.recall(userId, relevanceQuery(relevantTo), FACTS_TOP)).map((f) => f.text));
  return {
    now,
    timeZone: (await store.settings.get(userId)).timezone,
    profile: renderProfile((await store.profile.get(userId)).profile),
    facts,
    factsSelected: selected,
  };
}
