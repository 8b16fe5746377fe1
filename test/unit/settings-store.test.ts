// Feed settings on both engines: defaults, validated partial updates, clear errors.
import path from 'node:path';
import { DEFAULT_FEED_SETTINGS } from '../../src/shared/feed';
import { openPostgres, PostgresSql } from '../../src/store/postgres';
import { SettingsError, SettingsStore } from '../../src/store/settings';
import type { Sql } from '../../src/store/sql';
import { openSqlite, type SqliteSql } from '../../src/store/sqlite';
import { ENGINES, openTestSql } from '../helpers/test-sql';

/** A new connection to the same database, as after a restart. */
function reopen(sql: Sql): Sql {
  if (sql instanceof PostgresSql) return openPostgres(sql.pool.options.connectionString!);
  return openSqlite(path.dirname((sql as SqliteSql).db.name));
}

async function errorOf(fn: () => Promise<unknown>): Promise<SettingsError> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof SettingsError) return e;
    throw e;
  }
  throw new Error('expected a SettingsError');
}

describe.each(ENGINES)('%s', (engine) => {
  let sql: Sql;
  let settings: SettingsStore;
  beforeEach(async () => {
    sql = await openTestSql(engine);
    settings = new SettingsStore(sql);
  });
  afterEach(() => sql.close());

  test('a new user gets the defaults, as a copy they cannot corrupt', async () => {
    const s = await settings.get('me');
    expect(s).toEqual(DEFAULT_FEED_SETTINGS);
    s.vips.push('x@example.com');
    s.keywords.urgent.push('x');
    expect(await settings.get('me')).toEqual(DEFAULT_FEED_SETTINGS);
    expect(DEFAULT_FEED_SETTINGS.vips).toEqual([]);
  });

  test('update changes only the given fields, normalises lists, and persists across a reopen', async () => {
    const s = await settings.update('me', { vips: [' Dana@Acme.example ', '@Partners.Example.net', 'dana@acme.example'], notifyThreshold: 'normal' });
    expect(s.vips).toEqual(['dana@acme.example', '@partners.example.net']);
    expect(s.notifyThreshold).toBe('normal');
    expect(s.muted).toEqual([]);
    expect(s.keywords).toEqual(DEFAULT_FEED_SETTINGS.keywords);

    await settings.update('me', { keywords: { high: ['Contract'] }, timezone: 'Europe/Paris', briefingTime: '07:30' });
    await sql.close();
    sql = reopen(sql);
    settings = new SettingsStore(sql);
    expect(await settings.get('me')).toEqual({
      ...DEFAULT_FEED_SETTINGS,
      vips: ['dana@acme.example', '@partners.example.net'],
      notifyThreshold: 'normal',
      keywords: { urgent: DEFAULT_FEED_SETTINGS.keywords.urgent, high: ['contract'] },
      timezone: 'Europe/Paris',
      briefingTime: '07:30',
    });
    expect(await settings.get('someone-else')).toEqual(DEFAULT_FEED_SETTINGS);
  });

  test('lists are replaced, not appended to', async () => {
    await settings.update('me', { muted: ['@spam.example'] });
    expect((await settings.update('me', { muted: [] })).muted).toEqual([]);
  });

  test.each([
    [{ vips: ['dana@acme.example', 'not an address'] }, 'vips.1', /email address .* or a domain starting with @/],
    [{ muted: ['acme.example'] }, 'muted.0', /domain starting with @/],
    [{ notifyThreshold: 'critical' }, 'notifyThreshold', /notifyThreshold/],
    [{ briefingTime: '25:00' }, 'briefingTime', /HH:MM/],
    [{ timezone: 'Mars/Olympus_Mons' }, 'timezone', /IANA time zone/],
    [{ keywords: { urgent: ['ok', '  '] } }, 'keywords.urgent.1', /empty/],
    [{ vipz: ['dana@acme.example'] }, 'vipz', /Unknown setting "vipz"/],
  ])('a bad update %j is rejected naming the field, and nothing is saved', async (patch, field, message) => {
    const err = await errorOf(() => settings.update('me', patch));
    expect((await errorOf(() => settings.preview('me', patch))).field).toBe(field);
    expect(err.field).toBe(field);
    expect(err.message).toContain(`"${field}"`);
    expect(err.message).toMatch(message);
    expect(await settings.get('me')).toEqual(DEFAULT_FEED_SETTINGS);
  });

  test('a stored value a newer version rejects falls back to its default, keeping the rest', async () => {
    await sql.run('INSERT INTO user_settings (user_id, feed, updated_at) VALUES (?, ?, ?)', [
      'me',
      JSON.stringify({ vips: ['dana@acme.example'], timezone: 'Not/AZone', retired: true }),
      new Date().toISOString(),
    ]);
    expect(await settings.get('me')).toEqual({ ...DEFAULT_FEED_SETTINGS, vips: ['dana@acme.example'] });
  });

  test('concurrent updates of different fields both stay (each reads the other\'s write)', async () => {
    await Promise.all([
      settings.update('me', { vips: ['dana@acme.example'] }),
      settings.update('me', { muted: ['@spam.example'] }),
      settings.update('me', { keywords: { high: ['invoice'] } }),
      settings.update('me', { keywords: { urgent: ['outage'] } }),
    ]);
    expect(await settings.get('me')).toMatchObject({ vips: ['dana@acme.example'], muted: ['@spam.example'], keywords: { high: ['invoice'], urgent: ['outage'] } });
  });

  test('preview shows the outcome of an update without saving it', async () => {
    expect((await settings.preview('me', { briefingTime: '06:45' })).briefingTime).toBe('06:45');
    expect(await settings.get('me')).toEqual(DEFAULT_FEED_SETTINGS);
  });
});
