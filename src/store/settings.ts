// The user's feed settings (VIPs, mutes, keywords, notify threshold, briefing time). Only the fields
// the user changed are stored, so a better default in a later version reaches everyone else.
import type { z } from 'zod';
import { DEFAULT_FEED_SETTINGS, FeedSettings, FeedSettingsPatch } from '../shared/feed';
import { nowIso } from './db';
import { registerSchema } from './schema';
import type { Sql } from './sql';

const USER_SETTINGS = `
  CREATE TABLE IF NOT EXISTS user_settings (
    user_id TEXT PRIMARY KEY,
    feed TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
`;
registerSchema({ name: 'settings', sqlite: USER_SETTINGS, postgres: USER_SETTINGS });

/** A rejected update; `field` is the dotted path of the first bad value (e.g. `vips.1`). */
export class SettingsError extends Error {
  override name = 'SettingsError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

type Overrides = z.output<typeof FeedSettingsPatch>;

export class SettingsStore {
  constructor(private readonly sql: Sql) {}

  /** The user's settings with defaults for everything they have not set. */
  async get(userId: string): Promise<FeedSettings> {
    return resolve(await this.overrides(userId));
  }

  /** The settings `update(userId, patch)` would put in force, without writing them (throws like it). */
  async preview(userId: string, patch: unknown): Promise<FeedSettings> {
    return resolve(await this.merged(userId, patch));
  }

  /**
   * Changes some settings; lists are replaced, not appended to. Throws SettingsError naming the
   * field when a value is invalid or the field does not exist. Returns the settings now in force.
   */
  async update(userId: string, patch: unknown): Promise<FeedSettings> {
    return this.sql.transaction(async () => {
      const next = await this.merged(userId, patch);
      await this.sql.run(
        `INSERT INTO user_settings (user_id, feed, updated_at) VALUES (?, ?, ?)
         ON CONFLICT(user_id) DO UPDATE SET feed = excluded.feed, updated_at = excluded.updated_at`,
        [userId, JSON.stringify(next), nowIso()],
      );
      return resolve(next);
    });
  }

  private async merged(userId: string, patch: unknown): Promise<Overrides> {
    const parsed = FeedSettingsPatch.safeParse(patch);
    if (!parsed.success) throw toSettingsError(parsed.error);
    const current = await this.overrides(userId);
    return {
      ...current,
      ...parsed.data,
      ...(parsed.data.keywords ? { keywords: { ...current.keywords, ...parsed.data.keywords } } : {}),
    };
  }

  private async overrides(userId: string): Promise<Overrides> {
    const row = await this.sql.get<{ feed: string }>('SELECT feed FROM user_settings WHERE user_id = ?', [userId]);
    if (!row) return {};
    let stored: unknown;
    try {
      stored = JSON.parse(row.feed);
    } catch {
      return {};
    }
    // A value a newer version no longer accepts falls back to its default instead of failing reads.
    const obj = (stored && typeof stored === 'object' ? { ...(stored as Record<string, unknown>) } : {}) as Record<string, unknown>;
    for (let i = 0; i < 20; i++) {
      const r = FeedSettingsPatch.safeParse(obj);
      if (r.success) return r.data;
      const bad = r.error.issues[0]!;
      const key = bad.code === 'unrecognized_keys' ? bad.keys[0] : bad.path[0];
      if (key === undefined) return {};
      delete obj[String(key)];
    }
    return {};
  }
}

function resolve(overrides: Overrides): FeedSettings {
  const d = DEFAULT_FEED_SETTINGS;
  // Copies, so a caller changing the result cannot touch the defaults or the next caller's view.
  return FeedSettings.parse({
    vips: [...(overrides.vips ?? d.vips)],
    muted: [...(overrides.muted ?? d.muted)],
    keywords: {
      urgent: [...(overrides.keywords?.urgent ?? d.keywords.urgent)],
      high: [...(overrides.keywords?.high ?? d.keywords.high)],
    },
    notifyThreshold: overrides.notifyThreshold ?? d.notifyThreshold,
    briefingTime: overrides.briefingTime ?? d.briefingTime,
    timezone: overrides.timezone ?? d.timezone,
    webFetchAllowlist: [...(overrides.webFetchAllowlist ?? d.webFetchAllowlist)],
  });
}

function toSettingsError(error: z.ZodError): SettingsError {
  const issue = error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const field = [...issue.path, issue.keys[0]].join('.');
    return new SettingsError(field, `Unknown setting "${field}"`);
  }
  const field = issue.path.join('.') || '(settings)';
  return new SettingsError(field, `Invalid setting "${field}": ${issue.message}`);
}
