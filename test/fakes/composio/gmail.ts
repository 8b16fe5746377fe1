// The fake mailbox: Gmail's trigger payload and the Gmail tools (send, draft, reply, fetch, label).
import type { FakeMessage, GmailMessageInput, ToolHandler } from './state';
import { gmailId, list, nano, now, str } from './state';

/** A GMAIL_FETCH_EMAILS message: camelCase fields and, with include_payload (the default), Gmail's own message. */
function messageView(m: FakeMessage, includePayload = false) {
  return {
    messageId: m.id,
    threadId: m.threadId,
    sender: m.from,
    to: m.to.join(', '),
    subject: m.subject,
    messageText: m.text,
    messageTimestamp: m.date,
    labelIds: m.labels,
    preview: { subject: m.subject, body: m.text.slice(0, 200) },
    attachmentList: [],
    ...(includePayload ? { payload: gmailTriggerPayload(m).payload } : {}),
  };
}

/** Gmail's after:/before: take epoch seconds or a date (YYYY/MM/DD, local midnight in Gmail; UTC here). */
function searchTime(value: string): number {
  return /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value.replace(/\//g, '-'));
}

/** The small part of Gmail's search syntax the fake understands: from:, to:, subject:, label:, is:unread, after:, before: and free words. */
function matchesQuery(m: FakeMessage, query: string): boolean {
  for (const term of query.split(/\s+/).filter(Boolean)) {
    const [key, ...rest] = term.split(':');
    const value = rest.join(':').toLowerCase();
    if (rest.length === 0) {
      if (!`${m.subject} ${m.text} ${m.from}`.toLowerCase().includes(term.toLowerCase())) return false;
    } else if (key === 'from') {
      if (!m.from.toLowerCase().includes(value)) return false;
    } else if (key === 'to') {
      if (!m.to.join(' ').toLowerCase().includes(value)) return false;
    } else if (key === 'subject') {
      if (!m.subject.toLowerCase().includes(value)) return false;
    } else if (key === 'label' || key === 'in') {
      if (!m.labels.map((l) => l.toLowerCase()).includes(value)) return false;
    } else if (key === 'is' && value === 'unread') {
      if (!m.labels.includes('UNREAD')) return false;
    } else if (key === 'after') {
      if (!(Date.parse(m.date) >= searchTime(value))) return false;
    } else if (key === 'before') {
      if (!(Date.parse(m.date) < searchTime(value))) return false;
    }
  }
  return true;
}

export function toFakeMessage(input: GmailMessageInput): FakeMessage {
  const id = input.id ?? gmailId();
  return {
    id,
    threadId: input.threadId ?? id,
    from: input.from,
    to: input.to ?? ['me@example.com'],
    cc: input.cc ?? [],
    subject: input.subject,
    text: input.text,
    date: input.date ?? now(),
    labels: input.labels ?? ['INBOX', 'UNREAD'],
    headers: input.headers ?? {},
  };
}

/** The trigger's payload as Composio's GMAIL_NEW_GMAIL_MESSAGE delivers it (snake_case, Gmail API message inside). */
export function gmailTriggerPayload(m: FakeMessage): Record<string, unknown> {
  const headers = [
    { name: 'From', value: m.from },
    { name: 'To', value: m.to.join(', ') },
    ...(m.cc.length ? [{ name: 'Cc', value: m.cc.join(', ') }] : []),
    { name: 'Subject', value: m.subject },
    { name: 'Date', value: new Date(m.date).toUTCString() },
    { name: 'Message-ID', value: `<${m.id}@mail.example.com>` },
    ...Object.entries(m.headers).map(([name, value]) => ({ name, value })),
  ];
  return {
    id: m.id,
    message_id: m.id,
    thread_id: m.threadId,
    sender: m.from,
    to: m.to.join(', '),
    subject: m.subject,
    message_text: m.text,
    message_timestamp: m.date,
    label_ids: m.labels,
    attachment_list: [],
    preview: { subject: m.subject, body: m.text.slice(0, 200) },
    payload: {
      id: m.id,
      threadId: m.threadId,
      labelIds: m.labels,
      snippet: m.text.slice(0, 200),
      internalDate: String(Date.parse(m.date)),
      payload: { mimeType: 'text/plain', headers, body: { size: Buffer.byteLength(m.text) } },
    },
  };
}

export function addGmailHandlers(h: Map<string, ToolHandler>): void {
  h.set('GMAIL_SEND_EMAIL', (args, { state }) => {
    const to = str(args.recipient_email);
    if (!to) throw new Error('recipient_email is required');
    const sent = {
      id: gmailId(),
      threadId: gmailId(),
      to: [to, ...list(args.extra_recipients)],
      cc: list(args.cc),
      bcc: list(args.bcc),
      subject: str(args.subject) ?? '',
      body: String(args.body ?? ''),
    };
    state.sent.push(sent);
    return { id: sent.id, threadId: sent.threadId, labelIds: ['SENT'] };
  });
  h.set('GMAIL_CREATE_EMAIL_DRAFT', (args, { state }) => {
    const to = str(args.recipient_email);
    if (!to) throw new Error('recipient_email is required');
    const draft = { id: nano('r'), messageId: gmailId(), threadId: str(args.thread_id) ?? gmailId(), to: [to], subject: str(args.subject) ?? '', body: String(args.body ?? '') };
    state.drafts.push(draft);
    return { id: draft.id, message: { id: draft.messageId, threadId: draft.threadId, labelIds: ['DRAFT'] } };
  });
  h.set('GMAIL_REPLY_TO_THREAD', (args, { state }) => {
    const threadId = str(args.thread_id);
    const to = str(args.recipient_email);
    if (!threadId) throw new Error('thread_id is required');
    if (!to) throw new Error('recipient_email is required');
    const original = state.mailbox.find((m) => m.threadId === threadId);
    const sent = {
      id: gmailId(),
      threadId,
      to: [to],
      cc: list(args.cc),
      bcc: list(args.bcc),
      subject: original ? `Re: ${original.subject.replace(/^re:\s*/i, '')}` : 'Re:',
      body: String(args.message_body ?? ''),
      inReplyToThread: threadId,
    };
    state.sent.push(sent);
    return { id: sent.id, threadId, labelIds: ['SENT'] };
  });
  h.set('GMAIL_FETCH_EMAILS', (args, { state }) => {
    const max = Math.max(1, Math.min(500, Number(args.max_results ?? 10) || 10));
    const labels = list(args.label_ids);
    const query = str(args.query) ?? '';
    const matches = [...state.mailbox]
      .sort((a, b) => Date.parse(b.date) - Date.parse(a.date))
      .filter((m) => labels.every((l) => m.labels.includes(l)) && matchesQuery(m, query));
    // Pages newest first, like Gmail; the token is opaque to callers (here: the next offset).
    const offset = Number(str(args.page_token) ?? 0) || 0;
    const page = matches.slice(offset, offset + max);
    const next = offset + max < matches.length ? String(offset + max) : null;
    const includePayload = args.include_payload !== false;
    return { messages: page.map((m) => messageView(m, includePayload)), nextPageToken: next, resultSizeEstimate: matches.length };
  });
  h.set('GMAIL_FETCH_MESSAGE_BY_THREAD_ID', (args, { state }) => {
    const threadId = str(args.thread_id);
    if (!threadId) throw new Error('thread_id is required');
    const messages = state.mailbox.filter((m) => m.threadId === threadId).sort((a, b) => Date.parse(a.date) - Date.parse(b.date));
    if (messages.length === 0) throw new Error(`Requested entity was not found: thread ${threadId}`);
    return { messages: messages.map((m) => messageView(m)) };
  });
  h.set('GMAIL_ADD_LABEL_TO_EMAIL', (args, { state }) => {
    const id = str(args.message_id);
    const m = state.mailbox.find((x) => x.id === id);
    if (!m) throw new Error(`Requested entity was not found: message ${String(id)}`);
    const remove = new Set(list(args.remove_label_ids));
    m.labels = [...new Set([...m.labels.filter((l) => !remove.has(l)), ...list(args.add_label_ids)])];
    return { id: m.id, threadId: m.threadId, labelIds: m.labels };
  });
}
