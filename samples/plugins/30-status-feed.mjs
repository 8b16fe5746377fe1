// A feed plugin: every 5 minutes, polls a status page and feeds each open incident. An incident
// seen again on the next poll is not fed twice (items are deduplicated by their id).
import { definePlugin } from 'paprika/plugin';

export default definePlugin({
  name: 'status-page',
  feeds: [
    {
      name: 'incidents',
      every: '5 minutes',
      async poll({ signal }) {
        const res = await fetch('https://status.example.com/api/v2/incidents/unresolved.json', { signal });
        if (!res.ok) throw new Error(`status page answered ${res.status}`);
        const body = await res.json();
        return body.incidents.map((i) => ({ id: i.id, title: i.name, text: i.incident_updates?.[0]?.body ?? '', priority: i.impact === 'critical' ? 'urgent' : 'high', url: i.shortlink }));
      },
    },
  ],
});
