// Composio's GMAIL_NEW_GMAIL_MESSAGE payload → RawEmail, and RFC 5322 address lists.
import { z } from 'zod';
import { htmlToText, keptText, snippetOf } from './email-text';
import { type EmailAddress, RawEmail, normaliseMessageId } from '../shared/feed';

const MAX_HEADERS = 200;

/** The payload is not a Gmail message we can read; the message names the bad field. */
export class GmailPayloadError extends Error {
  override name = 'GmailPayloadError';
}

const GmailPayload = z.object({
  id: z.string().min(1).optional(),
  message_id: z.string().min(1).optional(),
  thread_id: z.string().optional().nullable(),
  sender: z.string().min(1, 'is empty'),
  to: z.string().optional().nullable(),
  subject: z.string().optional().nullable(),
  message_text: z.string().optional().nullable(),
  message_timestamp: z.string().optional().nullable(),
  label_ids: z.array(z.string()).optional().nullable(),
  attachment_list: z.array(z.record(z.string(), z.unknown())).optional().nullable(),
  preview: z.object({ body: z.string().optional().nullable() }).passthrough().optional().nullable(),
  payload: z
    .object({
      snippet: z.string().optional().nullable(),
      internalDate: z.union([z.string(), z.number()]).optional().nullable(),
      labelIds: z.array(z.string()).optional().nullable(),
      payload: z
        .object({ headers: z.array(z.object({ name: z.string(), value: z.string().nullable().optional() })).optional().nullable() })
        .passthrough()
        .optional()
        .nullable(),
    })
    .passthrough()
    .optional()
    .nullable(),
});

const issuesOf = (err: z.ZodError) => err.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ');

/**
 * Turns Composio's GMAIL_NEW_GMAIL_MESSAGE payload into a RawEmail (src/shared/feed.ts);
 * throws GmailPayloadError naming the bad field. The id is the normalised Message-ID, as for
 * every other mail source, so the same message from Gmail and from an mbox import is one item.
 */
export async function parseGmailPayload(payload: unknown): Promise<{ gmailMessageId: string; message: RawEmail }> {
  const parsed = GmailPayload.safeParse(payload ?? {});
  if (!parsed.success) throw new GmailPayloadError(`gmail message payload: ${issuesOf(parsed.error)}`);
  const p = parsed.data;
  const gmailMessageId = p.message_id ?? p.id;
  if (!gmailMessageId) throw new GmailPayloadError('gmail message payload: message_id is missing');
  const from = parseAddressList(p.sender)[0];
  if (!from) throw new GmailPayloadError(`gmail message payload: sender has no email address`);

  const headers = new Map<string, string>();
  for (const h of (p.payload?.payload?.headers ?? []).slice(0, MAX_HEADERS)) {
    const name = h.name.toLowerCase();
    if (!headers.has(name) && typeof h.value === 'string') headers.set(name, h.value);
  }
  const messageId = (headers.get('message-id') ?? '').trim();
  const normalisedId = normaliseMessageId(messageId);
  const references = (headers.get('references') ?? '').split(/\s+/).map(normaliseMessageId).filter(Boolean);
  const inReplyTo = normaliseMessageId((headers.get('in-reply-to') ?? '').split(/\s+/)[0] ?? '');
  const text = keptText(await plainText(p.message_text ?? ''));

  const candidate = {
    id: normalisedId && normalisedId.length <= 200 ? normalisedId : `gmail-${gmailMessageId}`,
    source: 'gmail',
    messageId: messageId.slice(0, 1000),
    threadId: (p.thread_id || gmailMessageId).slice(0, 1000),
    from,
    to: parseAddressList(p.to ?? headers.get('to') ?? ''),
    cc: parseAddressList(headers.get('cc') ?? ''),
    subject: (p.subject ?? headers.get('subject') ?? '').trim().slice(0, 2000),
    date: messageDate(p.message_timestamp, p.payload?.internalDate, headers.get('date')),
    text,
    snippet: snippetOf(p.preview?.body?.trim() || p.payload?.snippet?.trim() || text),
    labels: p.label_ids ?? p.payload?.labelIds ?? [],
    headers: {
      listUnsubscribe: headers.get('list-unsubscribe')?.slice(0, 2000),
      listId: headers.get('list-id')?.slice(0, 500),
      precedence: headers.get('precedence')?.toLowerCase().slice(0, 100),
      autoSubmitted: headers.get('auto-submitted')?.toLowerCase().slice(0, 100),
      inReplyTo: inReplyTo ? inReplyTo.slice(0, 1000) : undefined,
      ...(references.length > 0 ? { references: references.slice(-200).map((r) => r.slice(0, 1000)) } : {}),
      replyTo: parseAddressList(headers.get('reply-to') ?? '')[0]?.address.slice(0, 320),
    },
    attachments: (p.attachment_list ?? []).slice(0, 100).map((a) => ({
      ...(trimmed(a.filename) ? { filename: trimmed(a.filename).slice(0, 300) } : {}),
      contentType: (trimmed(a.mimeType) || trimmed(a.mime_type) || trimmed(a.contentType) || 'application/octet-stream').slice(0, 200),
      size: Number.isFinite(Number(a.size)) && Number(a.size) >= 0 ? Math.floor(Number(a.size)) : 0,
    })),
  };
  const email = RawEmail.safeParse(candidate);
  if (!email.success) throw new GmailPayloadError(`gmail message payload: ${issuesOf(email.error)}`);
  return { gmailMessageId, message: email.data };
}

const trimmed = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');

const LOOKS_LIKE_HTML = /<(html|body|div|p|br|table|span|a|font|td)\b[^>]*>/i;

/** Gmail hands over the HTML part when a message has no text part; never keep HTML. */
async function plainText(body: string): Promise<string> {
  return LOOKS_LIKE_HTML.test(body) ? htmlToText(body) : body;
}

function messageDate(timestamp?: string | null, internalDate?: string | number | null, dateHeader?: string): string {
  const candidates = [timestamp, internalDate !== undefined && internalDate !== null && internalDate !== '' ? Number(internalDate) : undefined, dateHeader];
  for (const candidate of candidates) {
    if (candidate === undefined || candidate === null || candidate === '') continue;
    const d = new Date(candidate);
    if (!Number.isNaN(d.getTime())) return d.toISOString();
  }
  return new Date().toISOString();
}

/** Splits `"Doe, Jane" <jane@x.org>, bob@y.org` into addresses; commas inside quotes or <> do not split. */
export function parseAddressList(value: string): EmailAddress[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  let angle = false;
  for (const ch of value) {
    if (ch === '"') quoted = !quoted;
    else if (ch === '<' && !quoted) angle = true;
    else if (ch === '>' && !quoted) angle = false;
    if (ch === ',' && !quoted && !angle) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  const out: EmailAddress[] = [];
  for (const part of parts.map((p) => p.trim()).filter(Boolean)) {
    const m = /^(.*?)<([^<>]+)>\s*$/.exec(part);
    const address = (m ? m[2]! : part).trim().toLowerCase();
    if (!address.includes('@') || address.length > 320) continue;
    const name = m ? m[1]!.trim().replace(/^"(.*)"$/, '$1').trim().slice(0, 300) : '';
    out.push(name ? { name, address } : { address });
  }
  return out;
}
