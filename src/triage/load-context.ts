// Reads what the rules need to know about the user from the store: one call for the distil activity.
import type { Store } from '../store';
import { buildContext, type TriageContext } from './context';

/** Corrections shown to the model: the latest few, enough to show a pattern without growing the prompt. */
export const PROMPT_CORRECTIONS = 20;

export async function triageContextFor(store: Pick<Store, 'profile' | 'settings' | 'rules'>, userId: string): Promise<TriageContext> {
  return buildContext({
    profile: (await store.profile.get(userId)).profile,
    vips: (await store.settings.get(userId)).vips,
    feedback: await store.rules.list(userId),
  });
}
