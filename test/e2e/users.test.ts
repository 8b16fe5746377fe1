// `npm run users`: the real script against the stack's data directory. The token it prints signs in
// as the new user (whose Schedules appear on its first request), list never shows a token, and
// remove ends the token and every session.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { briefingScheduleId, profileScheduleId } from '../../src/shared/ids';
import { apiCall, type Stack, startStack } from '../helpers/stack';

const run = promisify(execFile);
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ offline: true, startUsers: true });
});
afterAll(() => stack.stop());

async function users(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', path.resolve(__dirname, '../../scripts/users.ts'), ...args], { env: { ...process.env, ...stack.env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const login = (body: object) => fetch(`${stack.baseUrl}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

test('add prints a working token and login link, list shows the user without any token, remove ends token and sessions', async () => {
  // Unique per stack: workflow and Schedule IDs are per user, and other stacks share the dev server.
  const id = `alice-${stack.userId}`;
  const added = await users('add', id, '--name', 'Alice Liddell');
  expect(added).toMatchObject({ code: 0 });
  const token = /API token:\s+(\S+)/.exec(added.stdout)?.[1];
  const code = /#login=(\S+)/.exec(added.stdout)?.[1];
  expect(token).toBeDefined();
  expect(code).toBeDefined();

  const asAlice = (urlPath: string, init?: Parameters<typeof apiCall>[3]) => apiCall(stack.baseUrl, token!, urlPath, init);
  expect((await asAlice('/api/session')).body).toMatchObject({ ok: true, userId: id, via: 'token' });
  expect((await asAlice('/api/chat', { body: { message: 'help' } })).status).toBe(200);
  expect((await asAlice('/api/conversation')).body.messages).toHaveLength(2);
  // Her chat is hers: the configured user's conversation is untouched.
  expect((await stack.api('/api/conversation')).body.messages).toEqual([]);
  // Her start-up ran on her first request: her own briefing and profile Schedules exist.
  for (const sid of [briefingScheduleId(id), profileScheduleId(id)]) expect((await stack.client.schedule.getHandle(sid).describe()).scheduleId).toBe(sid);

  const byLink = await login({ code: code! });
  expect(byLink.status).toBe(200);
  const cookie = byLink.headers.get('set-cookie')!.split(';')[0]!;
  expect((await stack.api('/api/session', { auth: false, headers: { cookie } })).body).toMatchObject({ userId: id, via: 'session' });
  expect((await login({ code: code! })).status).toBe(401);
  const byToken = await login({ token: token! });
  expect(byToken.status).toBe(200);

  const listed = await users('list');
  expect(listed.code).toBe(0);
  const row = listed.stdout.split('\n').find((l) => l.startsWith(`${id} `));
  expect(row).toMatch(new RegExp(`^${id}\\s+Alice Liddell\\s+\\d{4}-\\d\\d-\\d\\dT\\S+\\s+2$`));
  expect(listed.stdout).toContain(stack.userId);
  expect(listed.stdout).not.toContain(token!);
  expect(listed.stdout).not.toContain(stack.token);

  const removed = await users('remove', id);
  expect(removed).toMatchObject({ code: 0 });
  expect((await asAlice('/api/conversation')).status).toBe(401);
  expect((await stack.api('/api/conversation', { auth: false, headers: { cookie } })).status).toBe(401);
  expect((await login({ token: token! })).status).toBe(401);
  expect((await users('list')).stdout).not.toMatch(new RegExp(`^${id} `, 'm'));
  // The configured user goes on as before.
  expect((await stack.api('/api/session')).body).toMatchObject({ userId: stack.userId, via: 'token' });
  await stack.paprika.feeds.deleteSchedules(id);
});

test('bad input exits with 1 and says what is wrong', async () => {
  expect(await users('add', 'not a valid id')).toMatchObject({ code: 1, stderr: expect.stringMatching(/user id "not a valid id": 1-64 letters, digits and _ \. - only/) });
  const taken = `bob-${stack.userId}`;
  expect((await users('add', taken)).code).toBe(0);
  expect(await users('add', taken)).toMatchObject({ code: 1, stderr: expect.stringContaining(`user "${taken}" exists already`) });
  expect(await users('remove', 'nobody-here')).toMatchObject({ code: 1, stderr: expect.stringContaining('no user "nobody-here"') });
  expect(await users('remove', stack.userId)).toMatchObject({ code: 1, stderr: expect.stringContaining('is the configured user') });
  expect(await users('frobnicate')).toMatchObject({ code: 1, stderr: expect.stringContaining('unknown command "frobnicate"') });
  expect(await users('add')).toMatchObject({ code: 1, stderr: expect.stringContaining('add needs a user id') });
  expect(await users('list', '--bogus')).toMatchObject({ code: 1, stderr: expect.stringContaining("Unknown option '--bogus'") });
  // None of it touched the configured user.
  expect((await stack.api('/api/session')).status).toBe(200);
  expect((await users('remove', taken)).code).toBe(0);
});
