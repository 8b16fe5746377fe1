// Feed settings on a real SQLite file: defaults, validated partial updates, clear errors.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_FEED_SETTINGS } from '../../src/shared/feed';
import { type Db, openDb } from '../../src/store/db';
import { SettingsError, SettingsStore } from '../../src/store/settings';

let dir: string;
let db: Db;
let settings: SettingsStore;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paprika-settings-'));
  db = openDb(dir);
  settings = new SettingsStore(db);
});
afterEach(() => db.close());

function errorOf(fn: () => unknown): SettingsError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SettingsError) return e;
    throw e;
  }
  throw new Error('expected a SettingsError');
}

test('a new user gets the defaults, as a copy they cannot corrupt', () => {
  const s = settings.get('me');
  expect(s).toEqual(DEFAULT_FEED_SETTINGS);
  s.vips.push('x@example.com');
  s.keywords.urgent.push('x');
  expect(settings.get('me')).toEqual(DEFAULT_FEED_SETTINGS);
  expect(DEFAULT_FEED_SETTINGS.vips).toEqual([]);
});

test('update changes only the given fields, normalises lists, and persists across a reopen', () => {
  const s = settings.update('me', { vips: [' Dana@Acme.example ', '@Partners.Example.net', 'dana@acme.example'], notifyThreshold: 'normal' });
  expect(s.vips).toEqual(['dana@acme.example', '@partners.example.net']);
  expect(s.notifyThreshold).toBe('normal');
  expect(s.muted).toEqual([]);
  expect(s.keywords).toEqual(DEFAULT_FEED_SETTINGS.keywords);

  settings.update('me', { keywords: { high: ['Contract'] }, timezone: 'Europe/Paris', briefingTime: '07:30' });
  db.close();
  db = openDb(dir);
  settings = new SettingsStore(db);
  expect(settings.get('me')).toEqual({
    ...DEFAULT_FEED_SETTINGS,
    vips: ['dana@acme.example', '@partners.example.net'],
    notifyThreshold: 'normal',
    keywords: { urgent: DEFAULT_FEED_SETTINGS.keywords.urgent, high: ['contract'] },
    timezone: 'Europe/Paris',
    briefingTime: '07:30',
  });
  expect(settings.get('someone-else')).toEqual(DEFAULT_FEED_SETTINGS);
});

test('lists are replaced, not appended to', () => {
  settings.update('me', { muted: ['@spam.example'] });
  expect(settings.update('me', { muted: [] }).muted).toEqual([]);
});

test.each([
  [{ vips: ['dana@acme.example', 'not an address'] }, 'vips.1', /email address .* or a domain starting with @/],
  [{ muted: ['acme.example'] }, 'muted.0', /domain starting with @/],
  [{ notifyThreshold: 'critical' }, 'notifyThreshold', /notifyThreshold/],
  [{ briefingTime: '25:00' }, 'briefingTime', /HH:MM/],
  [{ timezone: 'Mars/Olympus_Mons' }, 'timezone', /IANA time zone/],
  [{ keywords: { urgent: ['ok', '  '] } }, 'keywords.urgent.1', /empty/],
  [{ vipz: ['dana@acme.example'] }, 'vipz', /Unknown setting "vipz"/],
])('a bad update %j is rejected naming the field, and nothing is saved', (patch, field, message) => {
  const err = errorOf(() => settings.update('me', patch));
  expect(err.field).toBe(field);
  expect(err.message).toContain(`"${field}"`);
  expect(err.message).toMatch(message);
  expect(settings.get('me')).toEqual(DEFAULT_FEED_SETTINGS);
});

test('a stored value a newer version rejects falls back to its default, keeping the rest', () => {
  db.prepare('INSERT INTO user_settings (user_id, feed, updated_at) VALUES (?, ?, ?)').run(
    'me',
    JSON.stringify({ vips: ['dana@acme.example'], timezone: 'Not/AZone', retired: true }),
    new Date().toISOString(),
  );
  expect(settings.get('me')).toEqual({ ...DEFAULT_FEED_SETTINGS, vips: ['dana@acme.example'] });
});
