// The one-time login link: a fresh single-use code in the URL fragment, which browsers keep out of
// requests, logs and Referer headers; the page trades it for a session (POST /api/login).
import type { Config } from '../config';
import type { Store } from '../store';

/** A link that signs in as `userId` (the configured user when not given). */
export async function createLoginLink(
  config: Pick<Config, 'publicUrl' | 'userId' | 'loginLinkMinutes'>,
  store: Pick<Store, 'sessions'>,
  userId: string = config.userId,
): Promise<string> {
  const code = await store.sessions.createLoginCode(userId, config.loginLinkMinutes * 60_000);
  return `${config.publicUrl.replace(/\/+$/, '')}/#login=${code}`;
}
