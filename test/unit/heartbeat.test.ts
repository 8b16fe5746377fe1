import { beatIntervalMs } from '../../src/activities/heartbeat';

// The core sends a beat to the server once per 80% of the heartbeat timeout, and only if the
// activity beat since the last send: fewer than one beat in that window lets a live activity time out.
describe('heartbeat interval', () => {
  it.each([1, 3, 10, 30, 120, 600])('beats at least three times in each of the core\'s windows for a %i s timeout', (seconds) => {
    const window = 0.8 * seconds * 1000;
    expect(beatIntervalMs(seconds * 1000) * 3).toBeLessThanOrEqual(window);
  });

  it('beats no more often than every 200 ms, and every 5 s without a timeout', () => {
    expect(beatIntervalMs(100)).toBe(200);
    expect(beatIntervalMs(undefined)).toBe(5_000);
  });
});
