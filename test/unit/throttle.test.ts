import { FailureThrottle } from '../../src/server/security/throttle';

function clock() {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

test('five wrong tries are free, then each further one doubles the wait, up to the cap', () => {
  const c = clock();
  const throttle = new FailureThrottle({ now: c.now, maxDelayMs: 40_000 });
  for (let i = 0; i < 4; i++) throttle.fail('a');
  expect(throttle.waitMs('a')).toBe(0);
  throttle.fail('a');
  expect(throttle.waitMs('a')).toBe(5_000);
  const waits: number[] = [];
  for (let i = 0; i < 5; i++) {
    c.advance(throttle.waitMs('a'));
    expect(throttle.waitMs('a')).toBe(0);
    throttle.fail('a');
    waits.push(throttle.waitMs('a'));
  }
  expect(waits).toEqual([10_000, 20_000, 40_000, 40_000, 40_000]);
});

test('clients are counted apart, and a success forgets the client', () => {
  const throttle = new FailureThrottle({ now: clock().now });
  for (let i = 0; i < 5; i++) throttle.fail('attacker');
  expect(throttle.waitMs('attacker')).toBeGreaterThan(0);
  expect(throttle.waitMs('owner')).toBe(0);
  throttle.succeed('attacker');
  expect(throttle.waitMs('attacker')).toBe(0);
});

test('memory stays bounded: the client that failed longest ago is forgotten first', () => {
  const throttle = new FailureThrottle({ now: clock().now, freeFailures: 1, maxClients: 2 });
  throttle.fail('a');
  throttle.fail('b');
  throttle.fail('c');
  expect([throttle.waitMs('a'), throttle.waitMs('b') > 0, throttle.waitMs('c') > 0]).toEqual([0, true, true]);
});
