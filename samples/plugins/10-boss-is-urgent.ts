// A priority plugin: mail from the boss is urgent, mail from a noisy robot is ignored, and
// everything else is left to the next plugin and Paprika's own rules.
import { definePlugin } from 'paprika/plugin';

export default definePlugin({
  name: 'boss-is-urgent',
  priority(item) {
    if (item.from === 'boss@acme.example') return 'urgent';
    if (item.from.endsWith('@alerts.noisy.example')) return 'ignore';
    return undefined;
  },
});
