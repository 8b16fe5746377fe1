// Gmail catch-up: what arrived while Paprika was down, or while a webhook or the subscription
// failed to hand a message on, is fetched with GMAIL_FETCH_EMAILS and fed through the same
// pipeline. Feed workflow IDs dedupe, so fetching a message twice notifies once.
import type { Config } from '../../config';
import { parseGmailPayload } from '../../mail/gmail-payload';
import type { RawEmail } from '../../shared/feed';
import type { Store } from '../../store';
import { GmailCursorStore } from '../../store/gmail-cursor';
import { executeComposioTool } from './tools';

/** Searched again behind the mark: Gmail indexes late, and clocks drift. Dedupe absorbs the repeats. */
export const CATCHUP_OVERLAP_MS = 10 * 60_000;
const PAGE_SIZE = 50;
/** A very long downtime is fed up to here (the newest); older mail past it is left to the profile. */
const MAX_MESSAGES = 2000;

export interface CatchupResult {
  /** True on the first run for this user: the mark was set to now and nothing was fetched. */
  first: boolean;
  since?: string;
  fetched: number;
  fed: number;
  duplicates: number;
  /** Messages whose payload could not be read (logged, skipped). */
  unreadable: number;
  /** True when MAX_MESSAGES was reached: older mail since the mark was not fed (the banner says so). */
  truncated: boolean;
}

export type SubmitEmail = (email: RawEmail) => Promise<{ duplicate: boolean }>;

/** GMAIL_FETCH_EMAILS returns camelCase messages; the trigger's payload, which the parser reads, is snake_case. */
function asTriggerPayload(m: Record<string, unknown>): Record<string, unknown> {
  return {
    message_id: m.messageId,
    thread_id: m.threadId,
    sender: m.sender,
    to: m.to,
    subject: m.subject,
    message_text: m.messageText,
    message_timestamp: m.messageTimestamp,
    label_ids: m.labelIds,
    attachment_list: m.attachmentList,
    preview: m.preview,
    payload: m.payload,
  };
}

/** One page of GMAIL_FETCH_EMAILS; a tool-level failure throws with Composio's message. */
async function fetchPage(config: Config, userId: string, query: string, pageSize: number, pageToken?: string) {
  const result = await executeComposioTool(config, {
    userId,
    slug: 'GMAIL_FETCH_EMAILS',
    arguments: { query, max_results: pageSize, include_payload: true, ...(pageToken ? { page_token: pageToken } : {}) },
  });
  if (!result.successful) throw new Error(`GMAIL_FETCH_EMAILS failed: ${result.error ?? 'unknown error'}`);
  const messages = Array.isArray(result.data.messages) ? (result.data.messages as Record<string, unknown>[]) : [];
  const next = typeof result.data.nextPageToken === 'string' && result.data.nextPageToken ? result.data.nextPageToken : undefined;
  return { messages, next };
}

/**
 * Fetches Gmail since the user's mark (minus an overlap), submits each message, then moves the
 * mark to the newest one submitted. The first run only sets the mark: mail from before Paprika
 * watched the account is the profile's business, not a flood of notifications.
 */
export async function catchUpGmail(
  config: Config,
  store: Store,
  userId: string,
  submit: SubmitEmail,
  { now = Date.now(), pageSize = PAGE_SIZE }: { now?: number; pageSize?: number } = {},
): Promise<CatchupResult> {
  const cursor = new GmailCursorStore(store.sql);
  const mark = await cursor.get(userId);
  const result: CatchupResult = { first: mark === undefined, fetched: 0, fed: 0, duplicates: 0, unreadable: 0, truncated: false };
  if (mark === undefined) {
    await cursor.advance(userId, now);
    return result;
  }
  const sinceMs = mark - CATCHUP_OVERLAP_MS;
  result.since = new Date(sinceMs).toISOString();
  // Gmail's `after:` takes epoch seconds.
  const query = `after:${Math.floor(sinceMs / 1000)}`;
  const emails: RawEmail[] = [];
  let pageToken: string | undefined;
  do {
    const page = await fetchPage(config, userId, query, pageSize, pageToken);
    for (const m of page.messages) {
      try {
        emails.push((await parseGmailPayload(asTriggerPayload(m))).message);
      } catch (err) {
        result.unreadable++;
        console.error(`Gmail catch-up: skipped message ${String(m.messageId ?? '?')}: ${(err as Error).message}`);
      }
    }
    pageToken = page.next;
    if (emails.length >= MAX_MESSAGES) result.truncated = Boolean(pageToken);
  } while (pageToken && !result.truncated);
  result.fetched = emails.length + result.unreadable;

  // Oldest first, so the assistant hears them in the order they came.
  emails.sort((a, b) => Date.parse(a.date) - Date.parse(b.date));
  for (const email of emails) {
    const sent = await submit(email);
    if (sent.duplicate) result.duplicates++;
    else result.fed++;
  }
  // Gmail lists newest first, so a truncated fetch holds the newest mail; holding the mark back
  // would fetch the same newest page for ever, so it moves on and the result says what was left.
  if (emails.length > 0) {
    const newest = Math.max(...emails.map((e) => Date.parse(e.date)).filter(Number.isFinite));
    await cursor.advance(userId, Math.min(newest, now));
  }
  return result;
}

/** A banner or log line for a catch-up. */
export function describeCatchup(r: CatchupResult): string {
  if (r.first) return 'first start: new mail from now on is caught up after any downtime';
  const parts = [`${r.fed} new`, `${r.duplicates} already seen`];
  if (r.unreadable) parts.push(`${r.unreadable} unreadable`);
  return `${r.fetched} fetched since ${r.since} (${parts.join(', ')})${r.truncated ? `; stopped at the newest ${MAX_MESSAGES}, older mail from the downtime was not fed` : ''}`;
}

/**
 * A subscription's hand-off, retried a few times with backoff. Failing that, the message is not
 * lost: the next catch-up fetches it, and the log says so.
 */
export async function handOffWithRetry(
  submit: () => Promise<unknown>,
  what: string,
  { attempts = 4, firstDelayMs = 500, sleep = (ms: number) => new Promise((r) => setTimeout(r, ms)) } = {},
): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    try {
      await submit();
      return true;
    } catch (err) {
      if (attempt >= attempts) {
        console.error(`Gmail subscription: could not hand on ${what} after ${attempts} attempts (${(err as Error).message}); the next catch-up will fetch it`);
        return false;
      }
      await sleep(firstDelayMs * 2 ** (attempt - 1));
    }
  }
}
