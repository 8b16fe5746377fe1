// A user's start-up, the part start-feeds does for the configured user at launch: the feed
// Schedules (briefing, profile, …) and the first profile. For every other user it runs before the
// user's first request in this process, so `npm run users -- add` needs no Temporal; a failure is
// logged and the next request tries again.
import type { Store } from '../store';
import type { PaprikaClient } from '../temporal/app-client';

export function userStartUp(paprika: PaprikaClient, store: Store, alreadyStarted: readonly string[]): (userId: string) => Promise<void> {
  const done = new Set(alreadyStarted);
  const running = new Map<string, Promise<void>>();
  const start = async (userId: string) => {
    await paprika.feeds.ensureSchedules(await store.settings.get(userId), userId);
    await paprika.feeds.startInitialProfile(userId);
    done.add(userId);
  };
  return async (userId) => {
    if (done.has(userId)) return;
    let run = running.get(userId);
    if (!run) {
      // Concurrent first requests share one start-up.
      run = start(userId).finally(() => running.delete(userId));
      running.set(userId, run);
    }
    try {
      await run;
    } catch (err) {
      console.error(`start-up of user "${userId}" failed (retried on the next request): ${(err as Error).message}`);
    }
  };
}
