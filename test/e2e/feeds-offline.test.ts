// Feeds without a model: the rules decide. A VIP is notified, the sample inbox imported with
// `npm run feed` gets the expected priorities, the briefing Schedule exists and runs, and the
// profile is built from the mail and can be corrected.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { briefingScheduleId, mailItemId, profileScheduleId } from '../../src/shared/ids';
import { ensureSchedules } from '../../src/temporal/schedules';
import { type FeedStack, startFeedStack } from '../helpers/feeds';
import { eventually } from '../helpers/stack';

const ROOT = path.resolve(__dirname, '../..');
const SAMPLE = path.join(ROOT, 'samples/inbox.mbox');
const expected = JSON.parse(fs.readFileSync(path.join(ROOT, 'samples/expected-priorities.json'), 'utf8')) as Record<string, string>;

let f: FeedStack;
beforeAll(async () => {
  f = await startFeedStack({ offline: true });
});
afterAll(() => f.stop());

const notifications = async () => (await f.stack.api('/api/notifications')).body.notifications as { id: string; title: string; priority: string; source: string; ref?: string }[];

test('settings: read, validated, and the sources say what is connected', async () => {
  const got = await f.stack.api('/api/settings');
  expect(got.status).toBe(200);
  expect(got.body.settings).toMatchObject({ vips: [], muted: [], notifyThreshold: 'high', briefingTime: '08:00', timezone: 'UTC' });
  expect(got.body.sources).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ name: 'gmail', connected: true, healthy: true }),
      expect.objectContaining({ name: 'mailbox', connected: false }),
    ]),
  );
  const bad = await f.stack.api('/api/settings', { method: 'PUT', body: { vips: ['not an address'] } });
  expect(bad.status).toBe(400);
  expect(bad.body).toMatchObject({ field: 'vips.0' });
  expect(bad.body.error).toMatch(/email address/);
  const unknown = await f.stack.api('/api/settings', { method: 'PUT', body: { colour: 'red' } });
  expect(unknown.status).toBe(400);
});

test("a VIP's message is notified even when the model is absent", async () => {
  const put = await f.stack.api('/api/settings', { method: 'PUT', body: { vips: ['dana@acme.example'] } });
  expect(put.status).toBe(200);
  expect(put.body.settings.vips).toEqual(['dana@acme.example']);
  // Nothing in it would be important without the VIP rule.
  const res = await f.deliver({ id: 'vip-lunch', from: 'Dana Whitfield <dana@acme.example>', to: ['sam@acme.example'], subject: 'Lunch on Thursday', text: 'Are you around for lunch on Thursday?' });
  expect(res.status).toBe(202);
  const n = await eventually(async () => (await notifications()).find((x) => x.ref === mailItemId('vip-lunch@mail.example.com')), 30_000, 'the VIP notification');
  expect(n).toMatchObject({ title: 'Dana Whitfield: Lunch on Thursday', priority: 'high', source: 'gmail' });
  // The offline assistant hears of it but does not notify a second time.
  await eventually(async () => {
    const s = await f.stack.assistant.snapshot(f.stack.userId);
    return s.stats.events >= 1 && s.queued.length === 0;
  }, 20_000, 'the assistant to handle the event');
  expect((await notifications()).filter((x) => /Lunch on Thursday/.test(x.title))).toHaveLength(1);
});

test('an mbox import of the sample inbox gives the expected priorities', async () => {
  const before = (await notifications()).length;
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/feed.ts'), SAMPLE], {
    cwd: ROOT,
    env: { ...process.env, ...f.stack.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  expect({ code, out }).toMatchObject({ code: 0 });
  expect(out).toContain('Fed 14 message(s)');

  const got = Object.fromEntries(await Promise.all(Object.keys(expected).map(async (id) => [id, (await f.stack.store.context.get(f.stack.userId, mailItemId(id)))?.distillation?.priority])));
  expect(got).toEqual(expected);
  // Only what passes the default threshold (high) reached the user.
  const fresh = (await notifications()).slice(0, (await notifications()).length - before);
  const shouldNotify = Object.entries(expected).filter(([, p]) => p === 'urgent' || p === 'high').map(([id]) => mailItemId(id));
  expect(fresh.map((n) => n.ref).sort()).toEqual(shouldNotify.sort());

  // Importing again changes nothing.
  const again = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/feed.ts'), SAMPLE, '--no-wait'], { cwd: ROOT, env: { ...process.env, ...f.stack.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out2 = '';
  again.stdout.on('data', (d) => (out2 += d));
  expect(await new Promise((resolve) => again.on('exit', resolve))).toBe(0);
  expect(out2).toContain('0 new, 14 already seen');
  const sources = (await f.stack.api('/api/settings')).body.sources as { name: string; connected: boolean }[];
  expect(sources.find((s) => s.name === 'mailbox')).toMatchObject({ connected: true });
}, 180_000);

test('the briefing schedule exists at the user’s local time and its workflow runs', async () => {
  const put = await f.stack.api('/api/settings', { method: 'PUT', body: { briefingTime: '07:30', timezone: 'Europe/Paris' } });
  expect(put.status).toBe(200);
  const handle = f.stack.client.schedule.getHandle(briefingScheduleId(f.stack.userId));
  const desc = await handle.describe();
  expect(desc.spec.timezone).toBe('Europe/Paris');
  expect(desc.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 7, end: 7, step: 1 }], minute: [{ start: 30, end: 30, step: 1 }] });
  expect(desc.action).toMatchObject({ type: 'startWorkflow', workflowType: 'briefingWorkflow' });
  expect((await f.stack.client.schedule.getHandle(profileScheduleId(f.stack.userId)).describe()).spec.timezone).toBe('Europe/Paris');
  // Ensuring again (a restart) keeps one schedule and its settings.
  await ensureSchedules(f.stack.client, f.stack.config, await f.stack.store.settings.get(f.stack.userId), f.stack.userId);
  expect((await handle.describe()).spec.calendars).toHaveLength(1);

  await handle.trigger();
  const briefing = await eventually(async () => (await notifications()).find((n) => n.source === 'briefing'), 30_000, 'the briefing notification');
  expect(briefing.title).toMatch(/^Morning briefing: \d+ open item/);
  const full = (await f.stack.store.notifications.get(briefing.id))!;
  // The imported Q3 budget request is unread and important.
  expect(full.body).toContain('Important mail not yet read');
  expect(full.body).toMatch(/Q3 budget/i);
});

test('the profile is built from the mail, without sensitive details, and the user can correct it', async () => {
  // The most frequent correspondent writes about health: neither they nor the subject may enter the profile.
  for (let i = 0; i < 4; i++) {
    await f.deliver({ id: `clinic-${i}`, from: 'Dr. Emma Stone <emma@riverside-clinic.example>', to: ['sam@acme.example'], subject: `Your lab results and visa medical exam, part ${i}`, text: 'Please find your diagnosis attached.' });
  }
  await eventually(async () => (await f.stack.store.context.get(f.stack.userId, mailItemId('clinic-3@mail.example.com')))?.distillation, 20_000, 'the clinic mail to be filed');
  const run = await f.stack.client.workflow.start('profileWorkflow', { workflowId: `profile:${f.stack.userId}:test`, taskQueue: f.stack.config.temporal.taskQueue, args: [{ userId: f.stack.userId }] });
  const result = await run.result();
  expect(result).toMatchObject({ by: 'rules' });
  const got = await f.stack.api('/api/profile');
  expect(got.status).toBe(200);
  expect(got.body.builtAt).toEqual(expect.any(String));
  expect(got.body.profile.contacts?.length).toBeGreaterThan(0);
  expect(got.body.profile.contacts).toEqual(expect.arrayContaining([expect.stringContaining('dana@acme.example')]));
  expect(JSON.stringify(got.body.profile)).not.toMatch(/clinic|lab results|visa|diagnos|medical/i);

  const put = await f.stack.api('/api/profile', { method: 'PUT', body: { role: 'Finance lead', tone: 'short and friendly' } });
  expect(put.status).toBe(200);
  expect(put.body.profile).toMatchObject({ role: 'Finance lead', tone: 'short and friendly' });
  expect(put.body.corrected.sort()).toEqual(['role', 'tone']);
  const bad = await f.stack.api('/api/profile', { method: 'PUT', body: { shoeSize: 42 } });
  expect(bad.status).toBe(400);
  // A rebuild keeps the correction.
  await (await f.stack.client.workflow.start('profileWorkflow', { workflowId: `profile:${f.stack.userId}:test2`, taskQueue: f.stack.config.temporal.taskQueue, args: [{ userId: f.stack.userId }] })).result();
  expect((await f.stack.api('/api/profile')).body.profile.role).toBe('Finance lead');
});
