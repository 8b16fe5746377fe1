// The feeds' activities: store lookups, distillation, announcing, the briefing, the profile, the calendar.
import type { Config } from '../../config';
import type { ModelClient } from '../../integrations/model';
import type { Store } from '../../store';
import { makeAnnounce } from './announce';
import { makeBriefing } from './briefing';
import { makeCalendar } from './calendar';
import { type DistilInput, type FeedItemResult, makeDistil } from './distil';
import { makeProfile } from './profile';

export function makeFeedActivities(config: Config, store: Store, client: ModelClient | undefined) {
  const calendar = makeCalendar(config, store);
  const distilFeedItem = makeDistil(config, store, client);
  const announce = makeAnnounce(config, store);
  return {
    distilFeedItem,
    announce,
    /** Both in one call, for the feed workflow: one local activity (and one activation) per item instead of two. */
    async distilAndAnnounce(input: DistilInput): Promise<FeedItemResult> {
      const { announcement, ...result } = await distilFeedItem(input);
      if (announcement) await announce(announcement);
      return { ...result, announced: announcement !== undefined };
    },
    gatherBriefing: makeBriefing(store, (userId, withinMinutes) => calendar.listUpcomingEvents({ userId, withinMinutes })),
    buildProfile: makeProfile(config, store, client),
    ...calendar,
  };
}
