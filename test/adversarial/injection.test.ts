// Prompt injection across every channel Paprika reads, against a model that obeys whatever it
// reads. Each case is written as the secure behaviour: nothing leaves the machine, nothing is
// approved, changed or cancelled without an act of the user. The utility cases ask for the same
// things as the user, in chat or through the API, and they must still work. The cases themselves
// are data in ./cases.ts, which `npm run eval` runs against the configured model.
import { ATTACKS, runAttack, type Sites, UTILITY } from './cases';
import { results, startLoopback, writeReport } from './harness';

const sites = {} as Sites;
beforeAll(async () => {
  sites.web = await startLoopback();
  sites.exfil = await startLoopback();
});
afterAll(async () => {
  writeReport();
  await sites.web?.close();
  await sites.exfil?.close();
});

describe.each(ATTACKS)('attack via $channel: $goal', (attack) => {
  test('nothing happens without the user', async () => {
    const found = await runAttack(attack, sites);
    results.push({ name: `${attack.channel}: ${attack.goal}`, kind: 'attack', channel: attack.channel, goal: attack.goal, ok: found.length === 0, detail: found });
    expect(found).toEqual([]);
  });
});

// ---- the same things, asked by the user ------------------------------------------------------

test.each(UTILITY.map((u) => [u.title, u] as const))('%s', async (_title, u) => {
  try {
    await u.run(sites);
    results.push({ name: u.name, kind: 'utility', ok: true, detail: [] });
  } catch (err) {
    results.push({ name: u.name, kind: 'utility', ok: false, detail: [(err as Error).message.slice(0, 500)] });
    throw err;
  }
});
