// Plugins loaded from a temporary plugins folder outside the package, as a user's data directory
// would hold them: a priority plugin makes a sender urgent, a throwing and a slow one are skipped
// and shown in sources, broken files are errors naming the file, a plugin's tools are offered to
// an agent (its side effect waits for approval) and a plugin feed's Schedule feeds each item once.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseEml } from '../../src/mail/parse-mail';
import { mailItemId, pluginFeedScheduleId } from '../../src/shared/ids';
import { startPluginFeeds } from '../../src/start-sources';
import { type ChatRequest, lastUserText, promptKind } from '../fakes/openai-server';
import { rawMessage } from '../helpers/imap-server';
import { eventually, type Stack, startStack } from '../helpers/stack';

const dir = fs.mkdtempSync(path.join(process.env.PAPRIKA_TEST_DIR ?? os.tmpdir(), 'plugins-'));
const pluginsDir = path.join(dir, 'plugins');
const posted = path.join(dir, 'posted.log');
const feedItems = path.join(dir, 'feed-items.json');
const polls = path.join(dir, 'polls.log');
fs.mkdirSync(pluginsDir);

const files: Record<string, string> = {
  // Runs first (file-name order) and always fails.
  '01-throws.ts': `import { definePlugin } from 'paprika/plugin';
export default definePlugin({ name: 'throws', priority() { throw new Error('kaboom from the plugin'); } });`,
  // Never answers: skipped after 1 s.
  '02-slow.mjs': `export default { name: 'slow', priority: () => new Promise(() => {}) };`,
  '03-broken.ts': `import { definePlugin } from 'paprika/plugin';\nexport default definePlugin({ name: 'broken', priority( });`,
  '04-invalid.js': `module.exports = { name: 'Not A Name!', tools: [{ name: 'x' }] };`,
  '10-boss.ts': `import { definePlugin } from 'paprika/plugin';
export default definePlugin({
  name: 'boss',
  priority(item) { return item.from === 'boss@acme.example' ? 'urgent' : undefined; },
});`,
  '20-team.ts': `import fs from 'node:fs';
import { definePlugin, z } from 'paprika/plugin';
export default definePlugin({
  name: 'team',
  tools: [
    { name: 'forecast', description: 'Weather for a city', input: z.object({ city: z.string().min(1) }), kind: 'read',
      run: ({ city }) => 'Forecast for ' + city + ': sunny' },
    { name: 'post', description: 'Post to the team channel', input: z.object({ text: z.string().min(1) }), kind: 'side_effect',
      run: ({ text }) => { fs.appendFileSync(${JSON.stringify(posted)}, text + '\\n'); return 'posted'; } },
  ],
});`,
  '30-status.mjs': `import fs from 'node:fs';
import { definePlugin } from 'paprika/plugin';
export default definePlugin({
  name: 'status',
  feeds: [{ name: 'incidents', every: '1 hour', poll() {
    fs.appendFileSync(${JSON.stringify(polls)}, 'poll\\n');
    return JSON.parse(fs.readFileSync(${JSON.stringify(feedItems)}, 'utf8'));
  } }],
});`,
};
for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(pluginsDir, name), text);
fs.writeFileSync(feedItems, JSON.stringify([{ id: 'inc-1', title: 'Database down', text: 'Primary is unreachable', priority: 'urgent' }]));

let offered: string[] = [];
function script(req: ChatRequest) {
  const kind = promptKind(req);
  if (kind === 'agent') {
    offered = (req.tools ?? []).map((t) => t.function.name);
    const tools = req.messages.filter((m) => m.role === 'tool');
    if (tools.length === 0) return { toolCalls: [{ name: 'team__forecast', arguments: { city: 'Lyon' } }] };
    if (tools.length === 1) return { toolCalls: [{ name: 'team__post', arguments: { text: `Team: ${tools[0]!.content}` } }] };
    return { content: tools.map((t) => t.content).join(' | ') };
  }
  if (kind !== 'assistant') return { content: 'summary' };
  if (lastUserText(req).includes('tell the team')) {
    return { toolCalls: [{ name: 'delegate_task', arguments: { title: 'Team weather', instruction: 'Get the Lyon forecast and post it to the team' } }] };
  }
  return { content: 'Noted.' };
}

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ script, env: { PAPRIKA_PLUGINS_DIR: pluginsDir } });
});
afterAll(async () => {
  await stack.paprika.feeds.deletePluginFeedSchedules(stack.userId).catch(() => undefined);
  await stack.stop();
});

type Note = { id: string; title: string; priority: string; source: string; ref?: string };
const notifications = async () => (await stack.api('/api/notifications')).body.notifications as Note[];
type Source = { name: string; connected: boolean; healthy: boolean; detail: string };
const sources = async () => (await stack.api('/api/settings')).body.sources as Source[];

test("a priority plugin makes the boss's mail urgent; a throwing and a slow plugin are skipped and shown", async () => {
  const pipeline = stack.paprika.feeds;
  await pipeline.submitEmail(await parseEml(rawMessage({ id: 'boss-1@acme.example', from: 'The Boss <boss@acme.example>', subject: 'Call me' }), 'eml'));
  const n = await eventually(async () => (await notifications()).find((x) => x.ref === mailItemId('boss-1@acme.example')), 30_000, 'the boss notification');
  expect(n).toMatchObject({ priority: 'urgent', title: 'The Boss: Call me' });
  expect((await stack.store.notifications.get(n.id))!.body).toContain('plugin boss marked it urgent');

  const s = await sources();
  expect(s.find((x) => x.name === 'plugin:boss')).toMatchObject({ connected: true, healthy: true });
  expect(s.find((x) => x.name === 'plugin:throws')).toMatchObject({ healthy: false, detail: expect.stringContaining('kaboom from the plugin') });
  expect(s.find((x) => x.name === 'plugin:slow')).toMatchObject({ healthy: false, detail: expect.stringContaining('took longer than 1 s') });
});

test('a broken plugin file is an error naming the file, and the others still load', async () => {
  const s = await sources();
  const broken = s.find((x) => x.name === 'plugin:03-broken.ts');
  expect(broken).toMatchObject({ connected: false, healthy: false });
  expect(broken!.detail).toContain(path.join(pluginsDir, '03-broken.ts'));
  expect(broken!.detail).toMatch(/failed to load/);
  const invalid = s.find((x) => x.name === 'plugin:04-invalid.js');
  expect(invalid!.detail).toContain(path.join(pluginsDir, '04-invalid.js'));
  expect(invalid!.detail).toMatch(/not a valid plugin: name: .*tools\.0\.description/);
  expect(s.filter((x) => x.name.startsWith('plugin:') && x.connected).map((x) => x.name).sort()).toEqual(['plugin:boss', 'plugin:slow', 'plugin:status', 'plugin:team', 'plugin:throws']);
});

test("a plugin's tools are offered to an agent; its side effect waits for approval", async () => {
  const chat = await stack.api('/api/chat', { body: { message: 'please tell the team the weather' } });
  const taskId = chat.body.toolCalls[0].callId;
  const approval = await eventually(async () => {
    const list = (await stack.api('/api/approvals?status=pending')).body.approvals;
    return list.find((a: { taskId: string }) => a.taskId === taskId);
  }, 60_000, 'the post to wait for approval');
  expect(offered).toEqual(expect.arrayContaining(['team__forecast', 'team__post', 'web_fetch']));
  expect(approval).toMatchObject({ tool: 'team__post', args: { text: 'Team: Forecast for Lyon: sunny' } });
  expect(fs.existsSync(posted)).toBe(false);

  expect((await stack.api(`/api/approvals/${approval.id}`, { body: { decision: 'approve' } })).status).toBe(200);
  const done = await eventually(async () => {
    const t = (await stack.api('/api/tasks')).body.tasks.find((x: { id: string }) => x.id === taskId);
    return t?.status === 'completed' && t;
  }, 30_000, 'the task to complete');
  expect(done.result).toContain('posted');
  expect(fs.readFileSync(posted, 'utf8')).toBe('Team: Forecast for Lyon: sunny\n');
});

test("a plugin feed's Schedule polls, and an item polled twice is notified once", async () => {
  const lines = await startPluginFeeds(stack.paprika, stack.config, stack.userId);
  expect(lines.join('\n')).toContain('status/incidents');
  expect(lines.join('\n')).toContain('03-broken.ts');
  const handle = stack.client.schedule.getHandle(pluginFeedScheduleId(stack.userId, 'status', 'incidents'));
  const desc = await handle.describe();
  expect(desc.action).toMatchObject({ type: 'startWorkflow', workflowType: 'pluginFeedWorkflow' });

  const ranTimes = async () => (await handle.describe()).info.recentActions.length;
  const pollCount = () => (fs.existsSync(polls) ? fs.readFileSync(polls, 'utf8').trim().split('\n').length : 0);
  await handle.trigger();
  const n = await eventually(async () => (await notifications()).find((x) => x.ref === 'plugin:status:inc-1'), 30_000, 'the incident notification');
  expect(n).toMatchObject({ priority: 'urgent', source: 'plugin:status' });
  await eventually(async () => (await ranTimes()) === 1 && pollCount() === 1, 30_000, 'the first poll to finish');

  fs.writeFileSync(feedItems, JSON.stringify([{ id: 'inc-1', title: 'Database down', text: 'Primary is unreachable', priority: 'urgent' }, { id: 'inc-2', title: 'Disk full', priority: 'high' }]));
  await handle.trigger();
  await eventually(async () => (await notifications()).find((x) => x.ref === 'plugin:status:inc-2'), 30_000, 'the second incident');
  await eventually(async () => pollCount() === 2, 30_000, 'the second poll');
  expect((await notifications()).filter((x) => x.ref === 'plugin:status:inc-1')).toHaveLength(1);
});
