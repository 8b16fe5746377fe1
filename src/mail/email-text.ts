// An email's text as Paprika keeps it, whichever way the mail arrived (a file, Gmail through
// Composio): plain text only (HTML is converted by mailparser, never kept), tidy, and bounded.
import { simpleParser } from 'mailparser';
import { MAX_EMAIL_TEXT } from '../shared/feed';

export const MAIL_PARSER_OPTIONS = { skipTextToHtml: true, skipImageLinks: true } as const;

const SNIPPET_LENGTH = 200;
const TRUNCATED = '\n[… truncated]';

/** HTML as plain text, by handing it back to mailparser as a one-part HTML message. */
export async function htmlToText(html: string): Promise<string> {
  const reparsed = await simpleParser(
    Buffer.concat([Buffer.from('Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n'), Buffer.from(html, 'utf8')]),
    MAIL_PARSER_OPTIONS,
  );
  return reparsed.text ?? '';
}

/** Normalised line ends and blank lines, clipped to MAX_EMAIL_TEXT with a visible marker. */
export function keptText(text: string): string {
  const tidy = text.replace(/\r\n?/g, '\n').replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
  return tidy.length <= MAX_EMAIL_TEXT ? tidy : tidy.slice(0, MAX_EMAIL_TEXT - TRUNCATED.length) + TRUNCATED;
}

/** One line of at most SNIPPET_LENGTH characters. */
export function snippetOf(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= SNIPPET_LENGTH ? flat : `${flat.slice(0, SNIPPET_LENGTH - 1)}…`;
}
