// The IMAP feed: on every (re)connection a catch-up from the last UID fed (under the mailbox's
// UIDVALIDITY), then IDLE for new mail. A changed UIDVALIDITY means the UIDs mean nothing any
// more: the mailbox is read again and the pipeline's Message-ID dedupe keeps anything from being
// fed twice. Connection problems are reported and retried; they never stop Paprika.
import { ImapFlow } from 'imapflow';
import type { ImapConfig } from '../config';
import { parseEml } from '../mail/parse-mail';
import type { RawEmail } from '../shared/feed';
import { ImapCursorStore } from '../store/imap-cursor';
import type { Store } from '../store';

export interface ImapFeedOptions {
  imap: ImapConfig;
  store: Store;
  /** Feeds one message; the cursor moves past it only once this resolves. */
  submit(email: RawEmail): Promise<unknown>;
  /** Each change of state, for the banner and sources health. */
  onStatus(healthy: boolean, detail: string): void;
  /** Messages read on a first start or after a UIDVALIDITY change: the newest ones only. */
  backfill?: number;
  /** Wait before reconnecting, doubled up to 60 s. */
  retryMs?: number;
}

export interface ImapFeed {
  /** Resolves after the first connection attempt and its catch-up, whether or not it worked. */
  ready: Promise<void>;
  stop(): Promise<void>;
}

export const imapAccount = (imap: ImapConfig) => `${imap.user}@${imap.host}:${imap.port}/${imap.mailbox}`;

/** What to tell the user about a failed connection, without the password. */
export function describeImapError(imap: ImapConfig, err: unknown): string {
  const e = err as { authenticationFailed?: boolean; code?: string; message?: string; responseText?: string };
  const where = `${imap.user}@${imap.host}:${imap.port}`;
  if (e.authenticationFailed) return `IMAP login to ${where} failed: wrong user or password (PAPRIKA_IMAP_PASSWORD or PAPRIKA_IMAP_PASSWORD_FILE)${e.responseText ? ` — server said: ${e.responseText}` : ''}`;
  if (e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN' || e.code === 'ETIMEDOUT' || e.code === 'EHOSTUNREACH')
    return `IMAP server ${imap.host}:${imap.port} is unreachable (${e.code}); retrying`;
  if (e.code === 'NoConnection' || /mailbox/i.test(e.message ?? '')) return `IMAP ${where}: ${e.responseText ?? e.message}`;
  return `IMAP ${where}: ${e.responseText ?? e.message ?? String(err)}`;
}

export function startImapFeed(opts: ImapFeedOptions): ImapFeed {
  const { imap } = opts;
  const account = imapAccount(imap);
  const cursors = new ImapCursorStore(opts.store.sql);
  const backfill = opts.backfill ?? 200;
  let stopped = false;
  let client: ImapFlow | undefined;
  let retry: NodeJS.Timeout | undefined;
  let delay = opts.retryMs ?? 5000;
  // One catch-up at a time: IDLE's "exists" may fire while one is running.
  let chain: Promise<void> = Promise.resolve();

  async function catchUp(c: ImapFlow): Promise<number> {
    const box = c.mailbox;
    if (!box) return 0;
    const uidValidity = String(box.uidValidity);
    const cursor = await cursors.get(account);
    const fresh = !cursor || cursor.uidValidity !== uidValidity;
    const from = fresh ? 1 : cursor.lastUid + 1;
    const found = await c.search({ uid: `${from}:*` }, { uid: true });
    // `N:*` matches the last message even when its UID is below N.
    let uids = (found || []).filter((u) => u >= from).sort((a, b) => a - b);
    if (fresh) uids = uids.slice(-backfill);
    let fed = 0;
    for (const uid of uids) {
      if (stopped) break;
      const msg = await c.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
      if (msg && msg.source) {
        await opts.submit(await parseEml(msg.source, 'imap'));
        fed++;
      }
      await cursors.set(account, { uidValidity, lastUid: uid });
    }
    // An empty or fully read mailbox still records its UIDVALIDITY, so the next start is not "fresh".
    if (!uids.length && (fresh || cursor?.uidValidity !== uidValidity)) await cursors.set(account, { uidValidity, lastUid: Math.max(0, box.uidNext - 1) });
    return fed;
  }

  /** Resolves false when the catch-up failed (already reported). */
  const enqueue = (c: ImapFlow): Promise<boolean> => {
    const run = chain.then(() => catchUp(c)).then(
      () => true,
      (err) => {
        opts.onStatus(false, describeImapError(imap, err));
        return false;
      },
    );
    chain = run.then(() => undefined);
    return run;
  };

  function scheduleReconnect(): void {
    if (stopped || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      void connect();
    }, delay);
    retry.unref?.();
    delay = Math.min(delay * 2, 60_000);
  }

  async function connect(): Promise<void> {
    if (stopped) return;
    if (!imap.password) {
      opts.onStatus(false, `IMAP ${imap.user}@${imap.host}: no password (set PAPRIKA_IMAP_PASSWORD or PAPRIKA_IMAP_PASSWORD_FILE)`);
      return;
    }
    const c = new ImapFlow({
      host: imap.host,
      port: imap.port,
      secure: imap.secure,
      auth: { user: imap.user, pass: imap.password },
      logger: false,
      connectionTimeout: 15_000,
      // IDLE soon after the catch-up: the library's default waits 15 s, and new mail would wait with it.
      autoIdleDelay: 500,
    });
    client = c;
    c.on('error', (err) => opts.onStatus(false, describeImapError(imap, err)));
    let up = false;
    c.on('close', () => {
      if (client === c) client = undefined;
      // A connection that never came up has already said why.
      if (!stopped && up) {
        opts.onStatus(false, `IMAP ${imap.user}@${imap.host}:${imap.port}: connection closed; reconnecting`);
        scheduleReconnect();
      }
    });
    c.on('exists', () => void enqueue(c));
    try {
      await c.connect();
      await c.mailboxOpen(imap.mailbox);
      up = true;
      if (!(await enqueue(c))) {
        up = false;
        c.close();
        scheduleReconnect();
        return;
      }
      delay = opts.retryMs ?? 5000;
      if (!stopped && client === c) opts.onStatus(true, `Connected to ${imap.user}@${imap.host}:${imap.port}, ${imap.mailbox}; new mail arrives by IDLE.`);
    } catch (err) {
      opts.onStatus(false, describeImapError(imap, err));
      c.close();
      scheduleReconnect();
    }
  }

  const ready = connect();
  return {
    ready,
    async stop() {
      stopped = true;
      if (retry) clearTimeout(retry);
      await chain.catch(() => undefined);
      const c = client;
      client = undefined;
      if (c) await c.logout().catch(() => c.close());
    },
  };
}
