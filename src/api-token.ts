// The API token: PAPRIKA_API_TOKEN when set (scripts, CI), otherwise a random token created on the
// first start in <dataDir>/api-token, readable by the owner only. Every entry and script gets it
// here, so the API is never open just because nobody configured a token.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from './config';

export const TOKEN_FILE = 'api-token';

export interface ApiToken {
  token: string;
  /** Where it came from, for the banner: the environment, the file, or created just now. */
  source: 'env' | 'file' | 'created';
  file?: string;
}

export function resolveApiToken(config: Pick<Config, 'apiToken' | 'dataDir'>): ApiToken {
  if (config.apiToken) return { token: config.apiToken, source: 'env' };
  const file = path.join(config.dataDir, TOKEN_FILE);
  fs.mkdirSync(config.dataDir, { recursive: true });
  try {
    // 'wx' fails when the file exists, so two processes starting at once agree on one token.
    fs.writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { flag: 'wx', mode: 0o600 });
    return { token: read(file), source: 'created', file };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  // A token others can read is no secret: tighten a file someone copied with a loose mode.
  if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
  return { token: read(file), source: 'file', file };
}

/** The config with its token filled in: what the API and scripts that call it use. */
export function withApiToken<C extends Pick<Config, 'apiToken' | 'dataDir'>>(config: C): C & { apiToken: string } {
  return { ...config, apiToken: resolveApiToken(config).token };
}

function read(file: string): string {
  const token = fs.readFileSync(file, 'utf8').trim();
  if (token.length < 16) throw new Error(`${file}: the API token is shorter than 16 characters; delete the file to make a new one`);
  return token;
}
