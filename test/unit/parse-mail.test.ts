// Real mail through the real parser: the sample inbox, mbox quoting, Maildir, HTML-only mail.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GmailPayloadError, parseAddressList, parseGmailPayload } from '../../src/mail/gmail-payload';
import { parseEml, readMailbox, readMailboxAll, splitMbox } from '../../src/mail/parse-mail';
import { RawEmail } from '../../src/shared/feed';

const SAMPLE = path.join(__dirname, '../../samples/inbox.mbox');
const expected = JSON.parse(fs.readFileSync(path.join(__dirname, '../../samples/expected-priorities.json'), 'utf8')) as Record<string, string>;
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'paprika-mail-'));

describe('the sample inbox', () => {
  let emails: RawEmail[];
  beforeAll(async () => {
    emails = await readMailboxAll(SAMPLE);
  });
  const byId = (id: string) => emails.find((e) => e.id === id)!;

  test('parses every message, each with the Message-ID the expectations use', () => {
    expect(emails.map((e) => e.id).sort()).toEqual(Object.keys(expected).sort());
    for (const e of emails) {
      expect(RawEmail.parse(e)).toEqual(e);
      expect(e.source).toBe('mbox');
      expect(e.snippet.length).toBeGreaterThan(0);
    }
  });

  test('keeps no HTML: an HTML-only invoice becomes plain text, its PDF only metadata', () => {
    for (const e of emails) expect(e.text).not.toMatch(/<\/?(p|b|html|body|style|a)\b/i);
    const invoice = byId('inv-2025-0917.20250929@billing.northwind-hosting.example');
    expect(invoice.text).toContain('Payment is due by October 15, 2025.');
    expect(invoice.text).toContain('$1,248.00');
    expect(invoice.text).not.toContain('font-size');
    expect(invoice.attachments).toEqual([{ filename: 'INV-2025-0917.pdf', contentType: 'application/pdf', size: expect.any(Number) }]);
  });

  test('headers the rules need: sender, date with its offset, list and auto headers, Gmail labels', () => {
    const dana = byId('20250930131400.dana.q3budget@acme.example');
    expect(dana.from).toEqual({ name: 'Dana Whitfield', address: 'dana@acme.example' });
    expect(dana.to).toEqual([{ name: 'Sam Rivera', address: 'sam@acme.example' }]);
    expect(dana.cc).toEqual([{ name: 'Finance Team', address: 'finance@acme.example' }]);
    expect(dana.date).toBe('2025-09-30T09:14:00-04:00');
    expect(dana.messageId).toBe('<20250930131400.dana.q3budget@acme.example>');
    expect(dana.labels).toEqual(['INBOX', 'IMPORTANT']);

    const byte = byId('weeklybyte-issue-212@mail.weeklybyte.example');
    expect(byte.headers.listUnsubscribe).toBe('<https://weeklybyte.example/unsubscribe?u=8f3a21>, <mailto:unsubscribe@weeklybyte.example?subject=unsubscribe>');
    expect(byte.headers.listId).toBe('The Weekly Byte <weekly.weeklybyte.example>');
    expect(byte.headers.precedence).toBe('bulk');
    expect(byId('ci-run-88123.failed@builds.example').headers.autoSubmitted).toBe('auto-generated');
    expect(byId('a81f2c9e.helpdesk@acrne.example').headers.replyTo).toBe('support-desk@mailbox-verify.example');
    expect(byId('linkup-connect-7731@linkup.example').labels).toEqual(['INBOX', 'CATEGORY_SOCIAL', 'UNREAD']);
    expect(byId('invite-q4-kickoff-1006@calendar.acme.example').attachments[0]).toMatchObject({ contentType: 'text/calendar', filename: 'invite.ics' });
  });

  test('decodes encoded subjects and quoted-printable bodies, and unquotes >From', () => {
    expect(byId('promo-fall-sale-8841@news.trailhead-outfitters.example').subject).toBe('URGENT: 40% off ends tonight ⛺');
    const maya = byId('maya-0930-dinner@mail.example.org');
    expect(maya.text).toContain('Chloé says hi');
    expect(maya.text).toContain('\nFrom the photos you sent');
    expect(maya.text).not.toContain('>From');
  });
});

describe('splitMbox', () => {
  const mbox = [
    'From alice@example.com Mon Sep 29 10:00:00 2025',
    'Subject: one',
    '',
    'Hello',
    '>From the quoted line',
    '>>From a doubly quoted line',
    '',
    'From the desk of Alice (no date here, so not a separator)',
    '',
    'From bob@example.com Mon Sep 29 11:00:00 2025',
    'Subject: two',
    '',
    'Body two',
    'From inside a paragraph is not a separator 10:00 2025',
    '',
    'From carol@example.com Mon Sep 29 12:00:00 +0000 2025',
    'Subject: three',
    '',
    'Body three',
    '',
  ].join('\n');

  test('splits on From_ lines only after a blank line and unquotes one level of >From', () => {
    const parts = splitMbox(mbox);
    expect(parts).toHaveLength(3);
    expect(parts[0]).toBe(
      'Subject: one\n\nHello\nFrom the quoted line\n>From a doubly quoted line\n\nFrom the desk of Alice (no date here, so not a separator)\n',
    );
    expect(parts[1]).toBe('Subject: two\n\nBody two\nFrom inside a paragraph is not a separator 10:00 2025\n');
    expect(parts[2]).toBe('Subject: three\n\nBody three\n');
  });

  test('handles CRLF line ends and a file with no messages', () => {
    expect(splitMbox(mbox.replace(/\n/g, '\r\n'))).toEqual(splitMbox(mbox));
    expect(splitMbox('')).toEqual([]);
    expect(splitMbox('\n\n')).toEqual([]);
  });
});

describe('parseEml', () => {
  const noId = (subject: string) =>
    `From: Pat <pat@example.org>\r\nTo: sam@acme.example\r\nDate: Wed, 01 Oct 2025 10:00:00 +0200\r\nSubject: ${subject}\r\n\r\nHi\r\n`;

  test('a message without a Message-ID gets a stable id from sender, date and subject', async () => {
    const a = await parseEml(noId('Lunch'));
    const again = await parseEml(Buffer.from(noId('Lunch')));
    const other = await parseEml(noId('Dinner'));
    expect(a.messageId).toBe('');
    expect(a.id).toMatch(/^sha256-[0-9a-f]{40}$/);
    expect(again.id).toBe(a.id);
    expect(other.id).not.toBe(a.id);
    expect(a.date).toBe('2025-10-01T10:00:00+02:00');
  });

  test('HTML inside an alternative with no text part is converted, scripts and tags dropped', async () => {
    const eml = [
      'From: shop@example.com',
      'Message-ID: <Html.Only@Example.com>',
      'Subject: html only',
      'Content-Type: multipart/alternative; boundary="b"',
      '',
      '--b',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<p>Hello <b>there</b> <a href="https://shop.example.com/x">offer</a></p><script>steal()</script>',
      '--b',
      'Content-Type: text/calendar; method=REQUEST',
      '',
      'BEGIN:VCALENDAR',
      'END:VCALENDAR',
      '--b--',
      '',
    ].join('\r\n');
    const e = await parseEml(eml, 'eml');
    expect(e.id).toBe('Html.Only@Example.com');
    expect(e.text).toContain('Hello there offer');
    expect(e.text).toContain('https://shop.example.com/x');
    expect(e.text).not.toMatch(/<|steal/);
  });

  test('a missing Date header falls back to the given date', async () => {
    const e = await parseEml('From: a@example.com\r\nSubject: x\r\n\r\nbody\r\n', 'eml', { fallbackDate: new Date('2025-01-02T03:04:05Z') });
    expect(e.date).toBe('2025-01-02T03:04:05.000Z');
  });

  test('over-long bodies are cut to the schema limit', async () => {
    const e = await parseEml(`From: a@example.com\r\nSubject: long\r\n\r\n${'word '.repeat(10_000)}\r\n`);
    expect(e.text.length).toBeLessThanOrEqual(20_000);
    expect(e.text.endsWith('[… truncated]')).toBe(true);
  });
});

describe('readMailbox', () => {
  test('reads a Maildir (cur/ and new/, not tmp/) oldest first, and a single .eml file', async () => {
    const dir = tmp();
    for (const sub of ['cur', 'new', 'tmp']) fs.mkdirSync(path.join(dir, sub));
    const msg = (n: number) => `From: a@example.com\nMessage-ID: <m${n}@example.com>\nSubject: ${n}\nDate: Wed, 01 Oct 2025 10:0${n}:00 +0000\n\nbody ${n}\n`;
    fs.writeFileSync(path.join(dir, 'cur', '1727776920.M2P1.host:2,S'), msg(2));
    fs.writeFileSync(path.join(dir, 'new', '1727776860.M1P1.host'), msg(1));
    fs.writeFileSync(path.join(dir, 'tmp', '1727776980.M3P1.host'), msg(3));
    const emails = await readMailboxAll(dir);
    expect(emails.map((e) => [e.id, e.source])).toEqual([
      ['m1@example.com', 'maildir'],
      ['m2@example.com', 'maildir'],
    ]);

    const eml = path.join(dir, 'one.eml');
    fs.writeFileSync(eml, msg(4));
    expect((await readMailboxAll(eml)).map((e) => [e.id, e.source])).toEqual([['m4@example.com', 'eml']]);
  });

  test('streams an mbox byte-exactly: 8-bit latin-1 bodies decode, same result as splitMbox', async () => {
    const dir = tmp();
    const file = path.join(dir, 'mail'); // no extension: recognised by its first line
    const latin1 = Buffer.concat([
      Buffer.from('From x@example.com Wed Oct  1 10:00:00 2025\nFrom: x@example.com\nMessage-ID: <l1@example.com>\nSubject: cafe\nContent-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: 8bit\n\nUn caf'),
      Buffer.from([0xe9]),
      Buffer.from(' au lait\n\n'),
    ]);
    fs.writeFileSync(file, Buffer.concat([latin1, fs.readFileSync(SAMPLE)]));
    const streamed: RawEmail[] = [];
    for await (const e of readMailbox(file)) streamed.push(e);
    expect(streamed).toHaveLength(15);
    expect(streamed[0]!.text).toBe('Un café au lait');

    const whole = await Promise.all(splitMbox(fs.readFileSync(SAMPLE, 'latin1')).map((m) => parseEml(Buffer.from(m, 'latin1'), 'mbox')));
    expect(streamed.slice(1)).toEqual(whole);
  });

  test('a missing path is an error, not an empty mailbox', async () => {
    await expect(readMailboxAll(path.join(tmp(), 'nope.mbox'))).rejects.toThrow(/ENOENT/);
  });
});

describe('Gmail payloads from Composio', () => {
  const payload = {
    message_id: '19a0c0ffee',
    thread_id: 't-1',
    sender: '"Doe, Jane" <Jane@Example.org>',
    to: 'me@example.com, "Bob (ops)" <bob@example.net>',
    subject: 'Budget',
    message_text: '<html><body><p>Please review the <b>budget</b> by Friday.</p></body></html>',
    message_timestamp: '2025-10-01T09:00:00Z',
    payload: { payload: { headers: [{ name: 'Message-ID', value: '<budget-1@example.org>' }] } },
  };

  test('addresses split at commas outside quotes and angle brackets, lower-cased, names kept', () => {
    expect(parseAddressList('"Doe, Jane" <Jane@Example.org>, bob@y.org,  , not-an-address')).toEqual([
      { name: 'Doe, Jane', address: 'jane@example.org' },
      { address: 'bob@y.org' },
    ]);
  });

  test('a message becomes a RawEmail keyed by its Message-ID, with HTML turned into text', async () => {
    const { gmailMessageId, message } = await parseGmailPayload(payload);
    expect(gmailMessageId).toBe('19a0c0ffee');
    expect(message).toMatchObject({
      id: 'budget-1@example.org',
      source: 'gmail',
      from: { name: 'Doe, Jane', address: 'jane@example.org' },
      to: [{ address: 'me@example.com' }, { name: 'Bob (ops)', address: 'bob@example.net' }],
      date: '2025-10-01T09:00:00.000Z',
    });
    expect(message.text).toContain('Please review the budget by Friday.');
    expect(message.text).not.toMatch(/<[a-z]/i);
  });

  test('a payload without a usable sender is refused, naming the field', async () => {
    await expect(parseGmailPayload({ ...payload, sender: 'nobody' })).rejects.toThrow(GmailPayloadError);
    await expect(parseGmailPayload({ ...payload, sender: '' })).rejects.toThrow(/sender/);
  });
});
