// Context-item and feed IDs: one kind can never take another's ID, whatever an item's own ID
// holds; two users never share one; long IDs are hashed deterministically and stay bounded.
import { createHash } from 'node:crypto';
import {
  CONTEXT_ID_MAX,
  calendarItemId,
  feedNotificationId,
  feedWorkflowId,
  mailItemId,
  parseContextItemId,
  pluginItemId,
  webhookItemId,
} from '../../src/shared/ids';
import { claimedSourceMismatch, storedItemMismatch } from '../../src/shared/feed-item-check';
import { sha256Hex } from '../../src/shared/sha256';

test('a Message-ID that looks like a webhook ID is still a mail ID', () => {
  const mail = mailItemId('webhook:ci:build-777');
  expect(mail).toBe('mail:webhook:ci:build-777');
  expect(mail).not.toBe(webhookItemId('ci', 'build-777'));
  expect(webhookItemId('ci', 'build-777')).toBe('webhook:ci:build-777');
  expect(parseContextItemId(mail)).toEqual({ kind: 'mail' });
  expect(parseContextItemId(webhookItemId('ci', 'build-777'))).toEqual({ kind: 'webhook', scope: 'ci' });
  expect(feedWorkflowId('me', mail)).not.toBe(feedWorkflowId('me', webhookItemId('ci', 'build-777')));
});

test('each kind has its own prefix, so no two kinds collide', () => {
  const own = 'x:y';
  const all = [mailItemId(own), webhookItemId('x', 'y'), calendarItemId(own), pluginItemId('x', 'y'), calendarItemId('x', 1), pluginItemId('y', own)];
  expect(new Set(all).size).toBe(all.length);
  expect(all.map((id) => parseContextItemId(id)?.kind)).toEqual(['mail', 'webhook', 'calendar', 'plugin', 'calendar', 'plugin']);
  expect(calendarItemId('evt1', 1760000000000)).toBe('calendar:evt1:1760000000000');
  expect(pluginItemId('rss', 'post-1')).toBe('plugin:rss:post-1');
});

test('a webhook source or plugin name with a colon is refused, since it would make the ID ambiguous', () => {
  expect(() => webhookItemId('ci:build', '1')).toThrow(/webhook source/);
  expect(() => pluginItemId('a:b', '1')).toThrow(/plugin name/);
  expect(() => mailItemId('')).toThrow();
  expect(parseContextItemId('abc@mail.example')).toBeUndefined();
  expect(parseContextItemId('webhook:ci')).toBeUndefined();
});

test('the same mail for two users has two feed workflows and two notifications', () => {
  const id = mailItemId('q3@acme.example');
  expect(feedWorkflowId('ann', id)).toBe('feed:ann:mail:q3@acme.example');
  expect(feedWorkflowId('ann', id)).not.toBe(feedWorkflowId('bob', id));
  expect(feedNotificationId('ann', id)).not.toBe(feedNotificationId('bob', id));
  // A user ID cannot swallow part of the item ID.
  expect(feedWorkflowId('a:mail', mailItemId('x'))).not.toBe(feedWorkflowId('a', mailItemId('mail:x')));
});

test('long IDs are hashed deterministically, stay bounded and cannot be forged by a short one', () => {
  const long = `${'a'.repeat(400)}@mail.example`;
  const id = mailItemId(long);
  expect(id).toBe(mailItemId(long));
  expect(id).toBe(`mail#sha256:${createHash('sha256').update(long).digest('hex')}`);
  expect(id.length).toBeLessThanOrEqual(CONTEXT_ID_MAX);
  expect(mailItemId(`${long}b`)).not.toBe(id);
  expect(parseContextItemId(id)).toEqual({ kind: 'mail' });
  // A short Message-ID spelling out the hash is an ordinary mail ID, not the hashed one.
  expect(mailItemId(`#sha256:${sha256Hex(long)}`)).not.toBe(id);
  const hook = webhookItemId('ci', 'b'.repeat(500));
  expect(hook).toMatch(/^webhook#sha256:ci:[0-9a-f]{64}$/);
  expect(parseContextItemId(hook)).toEqual({ kind: 'webhook', scope: 'ci' });
  expect(feedWorkflowId('me', id).length).toBeLessThan(1000);
  expect(feedWorkflowId('u'.repeat(2000), id).length).toBeLessThan(1000);
});

test('sha256 matches node:crypto, across block boundaries and for non-ASCII text', () => {
  for (const text of ['', 'abc', 'a'.repeat(55), 'a'.repeat(56), 'a'.repeat(64), 'a'.repeat(1000), 'Chloé <cafe@exämple.org> 日本 🍅']) {
    expect(sha256Hex(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
  }
});

test('an item must be what its ID says: kind and source', () => {
  expect(storedItemMismatch('mail:a@b', { kind: 'email', source: 'gmail' })).toBeUndefined();
  expect(storedItemMismatch('mail:a@b', { kind: 'email', source: 'mbox' })).toBeUndefined();
  expect(storedItemMismatch('mail:a@b', { kind: 'webhook', source: 'webhook:ci' })).toMatch(/stored as kind "webhook", but its ID says mail/);
  expect(storedItemMismatch('mail:a@b', { kind: 'email', source: 'webhook:ci' })).toMatch(/source "webhook:ci"/);
  expect(storedItemMismatch('webhook:ci:1', { kind: 'webhook', source: 'webhook:ci' })).toBeUndefined();
  expect(storedItemMismatch('webhook:ci:1', { kind: 'webhook', source: 'webhook:github' })).toMatch(/source "webhook:github"/);
  expect(storedItemMismatch('webhook:ci:1', { kind: 'email', source: 'gmail' })).toMatch(/stored as kind "email"/);
  expect(storedItemMismatch('calendar:e1', { kind: 'event', source: 'calendar' })).toBeUndefined();
  expect(storedItemMismatch('a@b', { kind: 'email', source: 'gmail' })).toMatch(/no known kind/);
  expect(claimedSourceMismatch('mail:a@b', 'gmail')).toBeUndefined();
  expect(claimedSourceMismatch('webhook:ci:1', 'webhook:ci')).toBeUndefined();
  expect(claimedSourceMismatch('webhook:ci:1', 'gmail')).toMatch(/webhook item; it cannot come from source "gmail"/);
  expect(claimedSourceMismatch('mail:webhook:ci:1', 'webhook:ci')).toMatch(/mail item/);
});
