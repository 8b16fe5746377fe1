// Turns real RFC 5322 mail (a .eml file, an mbox, a Maildir) into RawEmail records.
// mailparser does the MIME work; this file only decides what of it we keep.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import readline from 'node:readline';
import { type AddressObject, type ParsedMail, simpleParser } from 'mailparser';
import { htmlToText, keptText, MAIL_PARSER_OPTIONS, snippetOf } from './email-text';
import {
  type EmailAddress,
  type EmailSource,
  RawEmail,
  normaliseMessageId,
} from '../shared/feed';


export interface ParseOptions {
  /** Used when the message has no usable Date header (e.g. the mbox `From ` line's date, a file's mtime). */
  fallbackDate?: Date;
}


/** Parses one message. Never keeps HTML: HTML-only mail is converted to plain text. */
export async function parseEml(input: Buffer | string, source: EmailSource = 'eml', opts: ParseOptions = {}): Promise<RawEmail> {
  const parsed = await simpleParser(input, MAIL_PARSER_OPTIONS);

  const from = firstAddress(parsed.from) ?? { address: '' };
  const subject = (parsed.subject ?? '').trim();
  const dateHeader = rawHeader(parsed, 'date');
  const headerDate = dateHeader !== undefined && parsed.date && !Number.isNaN(parsed.date.getTime()) && validDateHeader(dateHeader)
    ? parsed.date
    : undefined;
  const date = headerDate ? isoWithOffset(headerDate, senderOffsetMinutes(dateHeader!)) : (opts.fallbackDate ?? new Date()).toISOString();

  const messageId = (parsed.messageId ?? '').trim();
  const id = stableId(messageId, from.address, headerDate?.toISOString() ?? '', subject);
  const references = toArray(parsed.references).map(normaliseMessageId).filter(Boolean);
  const inReplyTo = parsed.inReplyTo ? normaliseMessageId(parsed.inReplyTo.split(/\s+/)[0]!) : undefined;
  const gmailThread = rawHeader(parsed, 'x-gm-thrid');

  const text = keptText(await plainText(parsed));
  const replyTo = firstAddress(parsed.replyTo)?.address;

  return RawEmail.parse({
    id,
    source,
    messageId: messageId.slice(0, 1000),
    threadId: (gmailThread ?? references[0] ?? inReplyTo ?? id).slice(0, 1000),
    from,
    to: addresses(parsed.to),
    cc: addresses(parsed.cc),
    subject: subject.slice(0, 2000),
    date,
    text,
    snippet: snippetOf(text),
    labels: gmailLabels(rawHeader(parsed, 'x-gmail-labels')),
    headers: {
      listUnsubscribe: rawHeader(parsed, 'list-unsubscribe')?.slice(0, 2000),
      listId: rawHeader(parsed, 'list-id')?.slice(0, 500),
      precedence: rawHeader(parsed, 'precedence')?.toLowerCase().slice(0, 100),
      autoSubmitted: rawHeader(parsed, 'auto-submitted')?.toLowerCase().slice(0, 100),
      inReplyTo: inReplyTo?.slice(0, 1000),
      ...(references.length > 0 ? { references: references.slice(-200).map((r) => r.slice(0, 1000)) } : {}),
      replyTo: replyTo?.slice(0, 320),
    },
    attachments: parsed.attachments.slice(0, 100).map((a) => ({
      ...(a.filename ? { filename: a.filename.slice(0, 300) } : {}),
      contentType: (a.contentType || 'application/octet-stream').slice(0, 200),
      size: a.size ?? a.content?.length ?? 0,
    })),
  });
}

// ---- mbox ---------------------------------------------------------------------------------------

// A `From ` separator names a sender and a date with a time in it; requiring the time keeps a body
// line such as "From the desk of ..." (unquoted by a careless writer) from splitting a message.
const FROM_LINE = /^From \S+ +.*\b\d{1,2}:\d{2}/;
// mboxrd quoting: any run of '>' before "From " lost exactly one '>' when written.
const QUOTED_FROM = /^>+From /;

interface MboxEntry {
  raw: string;
  fromLine?: string;
}

/** Line-by-line mbox splitter, shared by the in-memory and the streaming reader. */
class MboxSplitter {
  private lines: string[] = [];
  private fromLine: string | undefined;
  private prevBlank = true;

  push(rawLine: string): MboxEntry | undefined {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    let done: MboxEntry | undefined;
    if (this.prevBlank && FROM_LINE.test(line)) {
      done = this.flush();
      this.fromLine = line;
    } else {
      this.lines.push(QUOTED_FROM.test(line) ? line.slice(1) : line);
    }
    this.prevBlank = line === '';
    return done;
  }

  end(): MboxEntry | undefined {
    return this.flush();
  }

  private flush(): MboxEntry | undefined {
    const lines = this.lines;
    const fromLine = this.fromLine;
    this.lines = [];
    this.fromLine = undefined;
    // The blank line before the next separator belongs to the mbox, not to the message.
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    if (lines.every((l) => l.trim() === '')) return undefined;
    return { raw: `${lines.join('\n')}\n`, ...(fromLine ? { fromLine } : {}) };
  }
}

/** Splits an mbox (mboxrd or mboxo) into raw messages, `From ` lines removed and `>From ` unquoted. */
export function splitMbox(text: string): string[] {
  return splitMboxEntries(text).map((e) => e.raw);
}

function splitMboxEntries(text: string): MboxEntry[] {
  const splitter = new MboxSplitter();
  const out: MboxEntry[] = [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (const line of lines) {
    const e = splitter.push(line);
    if (e) out.push(e);
  }
  const last = splitter.end();
  if (last) out.push(last);
  return out;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** The delivery date on a `From sender Tue Sep 30 13:14:00 2025` line, read as UTC as mbox writers do. */
function fromLineDate(line: string | undefined): Date | undefined {
  const m = line?.match(/\b([A-Za-z]{3}) +(\d{1,2}) (\d{1,2}):(\d{2})(?::(\d{2}))?(?: [+-]\d{4})? (\d{4})\b/);
  if (!m) return undefined;
  const month = MONTHS.indexOf(m[1]!.toLowerCase());
  if (month < 0) return undefined;
  return new Date(Date.UTC(Number(m[6]), month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5] ?? 0)));
}

// ---- mailboxes on disk --------------------------------------------------------------------------

export interface ReadMailboxOptions {
  /** Called for a message that cannot be parsed; without it the error ends the import. */
  onError?: (error: Error) => void;
}

/**
 * Reads a .eml file, an mbox file or a Maildir (cur/ and new/; a plain folder of message files works
 * too), oldest file first for Maildir. Streams: an mbox of any size is read line by line.
 */
export async function* readMailbox(target: string, opts: ReadMailboxOptions = {}): AsyncGenerator<RawEmail> {
  const st = await fs.stat(target);
  if (st.isDirectory()) {
    yield* readMaildir(target, opts);
  } else if (await looksLikeMbox(target)) {
    yield* readMboxFile(target, opts);
  } else {
    const parsed = await guarded(target, opts, () => readEmlFile(target, 'eml'));
    if (parsed) yield parsed;
  }
}

/** Collects readMailbox into an array, for callers that want all of a small mailbox at once. */
export async function readMailboxAll(target: string, opts: ReadMailboxOptions = {}): Promise<RawEmail[]> {
  const out: RawEmail[] = [];
  for await (const m of readMailbox(target, opts)) out.push(m);
  return out;
}

async function looksLikeMbox(file: string): Promise<boolean> {
  if (/\.(mbox|mbx)$/i.test(file)) return true;
  const fh = await fs.open(file, 'r');
  try {
    const buf = Buffer.alloc(512);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const firstLine = buf.subarray(0, bytesRead).toString('latin1').split('\n')[0] ?? '';
    return FROM_LINE.test(firstLine.replace(/\r$/, ''));
  } finally {
    await fh.close();
  }
}

async function* readMboxFile(file: string, opts: ReadMailboxOptions): AsyncGenerator<RawEmail> {
  // latin1 maps bytes 1:1 to chars, so 8-bit bodies in any charset reach mailparser unchanged.
  const input = createReadStream(file, { encoding: 'latin1' });
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  const splitter = new MboxSplitter();
  let n = 0;
  const parseEntry = (e: MboxEntry) =>
    guarded(`${file} (message ${++n})`, opts, () =>
      parseEml(Buffer.from(e.raw, 'latin1'), 'mbox', { fallbackDate: fromLineDate(e.fromLine) }),
    );
  try {
    for await (const line of lines) {
      const entry = splitter.push(line);
      if (entry) {
        const parsed = await parseEntry(entry);
        if (parsed) yield parsed;
      }
    }
    const last = splitter.end();
    if (last) {
      const parsed = await parseEntry(last);
      if (parsed) yield parsed;
    }
  } finally {
    lines.close();
    input.destroy();
  }
}

async function* readMaildir(dir: string, opts: ReadMailboxOptions): AsyncGenerator<RawEmail> {
  const subdirs = [];
  for (const sub of ['cur', 'new']) {
    const p = path.join(dir, sub);
    if (await isDirectory(p)) subdirs.push(p);
  }
  const source: EmailSource = subdirs.length > 0 ? 'maildir' : 'eml';
  const folders = subdirs.length > 0 ? subdirs : [dir];
  const files: string[] = [];
  for (const folder of folders) {
    for (const ent of await fs.readdir(folder, { withFileTypes: true })) {
      if (ent.isFile() && !ent.name.startsWith('.')) files.push(path.join(folder, ent.name));
    }
  }
  // Maildir names start with the delivery time, so sorting by name is sorting by arrival.
  files.sort((a, b) => path.basename(a).localeCompare(path.basename(b)));
  for (const file of files) {
    const parsed = await guarded(file, opts, () => readEmlFile(file, source));
    if (parsed) yield parsed;
  }
}

async function readEmlFile(file: string, source: EmailSource): Promise<RawEmail> {
  const [buf, st] = await Promise.all([fs.readFile(file), fs.stat(file)]);
  return parseEml(buf, source, { fallbackDate: st.mtime });
}

async function guarded<T>(where: string, opts: ReadMailboxOptions, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (cause) {
    const err = new Error(`${where}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    if (!opts.onError) throw err;
    opts.onError(err);
    return undefined;
  }
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).isDirectory();
  } catch {
    return false;
  }
}

// ---- helpers ------------------------------------------------------------------------------------

/** The Message-ID when it makes a usable key, else a hash that stays the same on every import. */
function stableId(messageId: string, from: string, dateIso: string, subject: string): string {
  const normalised = normaliseMessageId(messageId);
  // eslint-disable-next-line no-control-regex
  if (normalised && normalised.length <= 200 && !/[\u0000-\u001f\u007f]/.test(normalised)) return normalised;
  const basis = normalised || `${from.toLowerCase()}\n${dateIso}\n${subject}`;
  return `sha256-${createHash('sha256').update(basis).digest('hex').slice(0, 40)}`;
}

function rawHeader(parsed: ParsedMail, key: string): string | undefined {
  const entry = parsed.headerLines.find((h) => h.key === key);
  if (!entry) return undefined;
  const value = entry.line
    .slice(entry.line.indexOf(':') + 1)
    .replace(/\r?\n[ \t]+/g, ' ')
    .trim();
  return value || undefined;
}

function validDateHeader(value: string): boolean {
  return !Number.isNaN(Date.parse(value.replace(/\([^)]*\)/g, ' ').trim()));
}

/** The sender's UTC offset from the raw Date header; -0000 means "unknown zone" (RFC 5322). */
function senderOffsetMinutes(value: string): number | undefined {
  const m = value.match(/([+-])(\d{2})(\d{2})\s*(\([^)]*\))?\s*$/);
  if (!m || (m[1] === '-' && m[2] === '00' && m[3] === '00')) return undefined;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return minutes > 14 * 60 ? undefined : (m[1] === '-' ? -1 : 1) * minutes;
}

// Keeping the sender's offset lets deadline extraction read "Friday 5pm" in the sender's zone.
function isoWithOffset(date: Date, offsetMinutes: number | undefined): string {
  if (offsetMinutes === undefined || offsetMinutes === 0) return `${date.toISOString().slice(0, 19)}Z`;
  const local = new Date(date.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 19);
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${local}${offsetMinutes < 0 ? '-' : '+'}${hh}:${mm}`;
}

function toArray<T>(v: T | T[] | undefined): T[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function addresses(header: AddressObject | AddressObject[] | undefined): EmailAddress[] {
  const out: EmailAddress[] = [];
  for (const obj of toArray(header)) {
    for (const entry of obj.value) {
      for (const a of entry.group ?? [entry]) {
        if (a.address) out.push(address(a.name, a.address));
      }
    }
  }
  return out.slice(0, 200);
}

function firstAddress(header: AddressObject | undefined): EmailAddress | undefined {
  return addresses(header)[0];
}

function address(name: string | undefined, addr: string): EmailAddress {
  const n = name?.trim();
  return { ...(n ? { name: n.slice(0, 300) } : {}), address: addr.trim().toLowerCase().slice(0, 320) };
}

async function plainText(parsed: ParsedMail): Promise<string> {
  if (parsed.text && parsed.text.trim() !== '') return parsed.text;
  // mailparser converts HTML only when it is the message's sole body part; for HTML inside an
  // alternative without a text part, convert it on its own.
  if (typeof parsed.html === 'string' && parsed.html.trim() !== '') return htmlToText(parsed.html);
  return '';
}


// Gmail Takeout writes system labels by display name; the Gmail API (and the rules) use IDs.
const SYSTEM_LABELS: Record<string, string> = {
  inbox: 'INBOX',
  important: 'IMPORTANT',
  starred: 'STARRED',
  unread: 'UNREAD',
  sent: 'SENT',
  spam: 'SPAM',
  trash: 'TRASH',
  draft: 'DRAFT',
  drafts: 'DRAFT',
  chat: 'CHAT',
};

function gmailLabels(header: string | undefined): string[] {
  if (!header) return [];
  const out = new Set<string>();
  for (const raw of header.split(',')) {
    const label = raw.trim().replace(/^"|"$/g, '');
    if (!label) continue;
    const category = label.match(/^category[ _](\w+)$/i);
    out.add(category ? `CATEGORY_${category[1]!.toUpperCase()}` : (SYSTEM_LABELS[label.toLowerCase()] ?? label));
  }
  return [...out].slice(0, 100).map((l) => l.slice(0, 200));
}
