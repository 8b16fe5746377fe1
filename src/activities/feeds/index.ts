// The feeds' activities: store lookups, distillation, announcing, the briefing, the profile, the calendar.
import type { Config } from '../../config';
import type { ModelClient } from '../../integrations/model';
import type { Store } from '../../store';
import { makeAnnounce } from './announce';
import { makeBriefing } from './briefing';
import { makeCalendar } from './calendar';
import { makeDistil } from './distil';
import { makeProfile } from './profile';

export function makeFeedActivities(config: Config, store: Store, client: ModelClient | undefined) {
  const calendar = makeCalendar(config, store);
  return {
    distilFeedItem: makeDistil(config, store, client),
    announce: makeAnnounce(config, store),
    gatherBriefing: makeBriefing(store, (userId, withinMinutes) => calendar.listUpcomingEvents({ userId, withinMinutes })),
    buildProfile: makeProfile(config, store, client),
    ...calendar,
  };
}
