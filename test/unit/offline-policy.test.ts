import { offlineDecide } from '../../src/assistant/offline-policy';
import type { ThinkInput } from '../../src/assistant/prompt';

const now = '2026-03-02T09:00:00.000Z';
const input = (text: string, extra: Partial<ThinkInput> = {}): ThinkInput => ({
  userId: 'me',
  now,
  summary: '',
  window: [],
  pending: [],
  batch: [{ id: 'm', kind: 'user_message', priority: 'urgent', text, at: now }],
  ...extra,
});

test('"remind me in 10 minutes to stretch" sets a reminder 10 minutes out', () => {
  const d = offlineDecide(input('remind me in 10 minutes to stretch'), { unread: [], timeZone: 'UTC' });
  expect(d.calls).toEqual([{ name: 'set_reminder', args: { text: 'stretch', at: '2026-03-02T09:10:00.000Z' } }]);
  expect(d.reply).toBe("OK — I'll remind you to stretch in 10 minutes (Mon 2 Mar, 09:10 UTC).");
});

test('times are read and shown in the user\'s time zone', () => {
  const d = offlineDecide(input('remind me tomorrow at 9am to call Sam'), { unread: [], timeZone: 'Europe/Paris' });
  // 09:00 in Paris in March is 08:00 UTC.
  expect(d.calls).toEqual([{ name: 'set_reminder', args: { text: 'call Sam', at: '2026-03-03T08:00:00.000Z' } }]);
  expect(d.reply).toBe("OK — I'll remind you to call Sam in 23 hours (Tue 3 Mar, 09:00 Europe/Paris).");
});

test('"remind me to call Sam at 5pm" reads the time wherever it stands', () => {
  const at5 = offlineDecide(input('Remind me to call Sam at 5pm'), { unread: [], timeZone: 'UTC' });
  expect(at5.calls[0]).toMatchObject({ name: 'set_reminder', args: { text: 'call Sam', at: '2026-03-02T17:00:00.000Z' } });
  const d = offlineDecide(input('Remind me to call Sam in 2 hours'), { unread: [], timeZone: 'UTC' });
  expect(d.calls[0]).toMatchObject({ name: 'set_reminder', args: { text: 'call Sam', at: '2026-03-02T11:00:00.000Z' } });
});

test('a reminder without a time asks for one instead of guessing', () => {
  const d = offlineDecide(input('remind me to water the plants'), { unread: [], timeZone: 'UTC' });
  expect(d.calls).toEqual([]);
  expect(d.reply).toMatch(/When should I remind you/);
});

test("what's new lists unread notifications and running tasks", () => {
  const d = offlineDecide(
    input("what's new?", { pending: [{ callId: 'c', name: 'delegate_task', title: 'Research', startedAt: now }] }),
    { unread: [{ title: 'Invoice due', priority: 'high', createdAt: now }], timeZone: 'UTC' },
  );
  expect(d.reply).toContain('[high] Invoice due');
  expect(d.reply).toContain('Research');
});

test('anything else is answered honestly: no model', () => {
  expect(offlineDecide(input('summarise my week'), { unread: [], timeZone: 'UTC' }).reply).toMatch(/without a language model/);
});

test('an important feed event becomes a notification; a low one is filed silently', () => {
  const feed = (priority: 'high' | 'low') =>
    offlineDecide(input('', { batch: [{ id: 'f', kind: 'feed', priority, text: 'Budget due Friday\nfrom Dana', at: now, source: 'gmail' }] }), { unread: [], timeZone: 'UTC' });
  expect(feed('high').calls).toEqual([{ name: 'notify_user', args: { title: 'Budget due Friday', body: 'Budget due Friday\nfrom Dana', priority: 'high' } }]);
  expect(feed('low').calls).toEqual([]);
});

test("what's new puts the most pressing first", () => {
  const d = offlineDecide(input("what's new?"), {
    unread: [
      { title: 'Newsletter', priority: 'normal', createdAt: now },
      { title: 'Disk almost full', priority: 'urgent', createdAt: now },
      { title: 'Budget due', priority: 'high', createdAt: now },
    ],
    timeZone: 'UTC',
  });
  expect(d.reply!.split('\n').slice(1)).toEqual(['- [urgent] Disk almost full', '- [high] Budget due', '- [normal] Newsletter']);
});
