// The user profile: what the profile workflow built from mail (`auto`) and what the user corrected
// (`overrides`). Corrections win and survive every weekly rebuild.
import { Profile, ProfilePatch } from '../shared/profile';
import { nowIso } from './db';
import { registerSchema } from './schema';
import type { Sql } from './sql';

const USER_PROFILE = `
  CREATE TABLE IF NOT EXISTS user_profile (
    user_id TEXT PRIMARY KEY,
    auto TEXT NOT NULL DEFAULT '{}',
    overrides TEXT NOT NULL DEFAULT '{}',
    built_at TEXT,
    updated_at TEXT NOT NULL
  );
`;
registerSchema({ name: 'profile', sqlite: USER_PROFILE, postgres: USER_PROFILE });

export interface StoredProfile {
  profile: Profile;
  /** When the profile workflow last built it; undefined before the first build. */
  builtAt?: string;
  /** Fields the user set by hand. */
  corrected: (keyof Profile)[];
}

interface Row {
  auto: string;
  overrides: string;
  built_at: string | null;
}

const parse = (raw: string): Profile => {
  try {
    const r = Profile.safeParse(JSON.parse(raw));
    return r.success ? r.data : {};
  } catch {
    return {};
  }
};

export class ProfileStore {
  constructor(private readonly sql: Sql) {}

  async get(userId: string): Promise<StoredProfile> {
    const row = await this.sql.get<Row>('SELECT auto, overrides, built_at FROM user_profile WHERE user_id = ?', [userId]);
    if (!row) return { profile: {}, corrected: [] };
    const auto = parse(row.auto);
    const overrides = parse(row.overrides);
    const merged: Record<string, unknown> = { ...auto, ...overrides };
    // An empty correction clears the field.
    for (const [k, v] of Object.entries(merged)) if (v === '' || (Array.isArray(v) && v.length === 0)) delete merged[k];
    return {
      profile: merged as Profile,
      ...(row.built_at ? { builtAt: row.built_at } : {}),
      corrected: Object.keys(overrides) as (keyof Profile)[],
    };
  }

  /** Replaces what the profile workflow knows; the user's corrections stay. */
  async setAuto(userId: string, profile: Profile): Promise<StoredProfile> {
    const valid = Profile.parse(profile);
    const now = nowIso();
    await this.sql.run(
      `INSERT INTO user_profile (user_id, auto, built_at, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(user_id) DO UPDATE SET auto = excluded.auto, built_at = excluded.built_at, updated_at = excluded.updated_at`,
      [userId, JSON.stringify(valid), now, now],
    );
    return this.get(userId);
  }

  /** Applies the user's correction (throws ZodError on a bad field). */
  async correct(userId: string, patch: unknown): Promise<StoredProfile> {
    const valid = ProfilePatch.parse(patch);
    return this.sql.transaction(async () => {
      const row = await this.sql.get<{ overrides: string }>('SELECT overrides FROM user_profile WHERE user_id = ?', [userId]);
      const next = { ...(row ? (JSON.parse(row.overrides) as object) : {}), ...valid };
      await this.sql.run(
        `INSERT INTO user_profile (user_id, overrides, updated_at) VALUES (?, ?, ?)
         ON CONFLICT(user_id) DO UPDATE SET overrides = excluded.overrides, updated_at = excluded.updated_at`,
        [userId, JSON.stringify(next), nowIso()],
      );
      return this.get(userId);
    });
  }
}
