// Unit tests first (fast feedback), scenario tests next, and the replay of every history last,
// because it replays what all the other tests ran.
const Sequencer = require('@jest/test-sequencer').default;

const rank = (p) => (p.includes('/unit/') ? 0 : p.includes('replay-all') ? 3 : p.includes('/browser/') ? 2 : 1);

module.exports = class PaprikaSequencer extends Sequencer {
  sort(tests) {
    return [...tests].sort((a, b) => rank(a.path) - rank(b.path) || a.path.localeCompare(b.path));
  }
};
