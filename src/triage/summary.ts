// The rules' summary line and action items: the first real sentence, and the sentences that ask
// for something.
import { type Category, MAX_ACTION_ITEM, MAX_SUMMARY, type RawEmail } from '../shared/feed';
import { DEADLINE_CUE } from './deadlines';
import { type Features, HEAD_CHARS, REQUEST } from './features';
import { clip } from './text';

export function summarise(email: RawEmail, f: Features, category: Category): string {
  const subject = email.subject || '(no subject)';
  const who = f.senderName ? `${f.senderName} <${f.sender}>` : f.sender || 'unknown sender';
  if (f.phishing.suspected) {
    return clip(`Likely phishing: "${subject}" from ${f.sender}${f.senderName ? ` (posing as ${f.senderName})` : ''}. Do not click its links or reply.`, MAX_SUMMARY);
  }
  if (f.injection) {
    return clip(`Suspicious email from ${who}: "${subject}". It contains instructions aimed at an AI assistant; none were followed.`, MAX_SUMMARY);
  }
  const lead = category === 'newsletter' ? undefined : firstSentence(email.text);
  return clip(`${f.senderName ?? f.sender}: ${subject}${lead ? ` — ${lead}` : ''}`, MAX_SUMMARY);
}

const GREETING = /^(hi|hello|hey|dear|good (morning|afternoon|evening)|greetings)\b[^.!?]{0,40}[,!:]?$/i;

function paragraphs(text: string): string[] {
  return text
    .slice(0, HEAD_CHARS)
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s*\n\s*/g, ' ').trim())
    .filter(Boolean);
}

function sentences(text: string): string[] {
  return paragraphs(text)
    .flatMap((p) => p.split(/(?<=[.!?])\s+(?=[A-Z0-9"'(])/))
    .map((s) => s.trim())
    .filter((s) => s.length > 0 && !GREETING.test(s));
}

/** The first real sentence: headings (short or all capitals) and greetings are skipped. */
function firstSentence(text: string): string | undefined {
  return sentences(text).find((s) => s.split(/\s+/).length >= 5 && /[a-z]/.test(s));
}

export function actionItems(email: RawEmail, f: Features): string[] {
  const items: string[] = [];
  for (const s of sentences(email.text)) {
    if (REQUEST.test(s) || (f.deadline && s.includes(f.deadline.text) && DEADLINE_CUE.test(s.slice(0, s.indexOf(f.deadline.text))))) {
      items.push(clip(s, MAX_ACTION_ITEM));
      if (items.length === 3) break;
    }
  }
  return items;
}
