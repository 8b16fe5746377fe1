// A follow-up as plain logic: who is expected to answer a mail thread, who has, when it is complete,
// what the task row says and what the nudge draft says. No Temporal import: the workflow
// (src/workflows/follow-up.ts) only wires signals, timers and activities to it.
// Replies are untrusted: only their sender address and time are used, never their text.
import { clip } from '../shared/text';

export type FollowUpStatus = 'watching' | 'complete' | 'resolved';

export interface FollowUpAnswer {
  address: string;
  at: string;
  contextId: string;
}

export interface FollowUpData {
  threadId: string;
  subject: string;
  /** The question the user asked, from the user's own mail (trusted). */
  question: string;
  /** Lower-case addresses, in the order the user named them. */
  expected: string[];
  answered: FollowUpAnswer[];
  /** ISO time after which a nudge is offered. */
  deadline: string;
  nudged: boolean;
  status: FollowUpStatus;
  /** Who settled the thread, when a mail did (absent in runs from before). */
  resolvedBy?: string;
}

export interface FollowUpReply {
  from: string;
  at: string;
  contextId: string;
}

/** The bare address of "Dana Lee <dana@acme.example>" or "dana@acme.example", lower-case. */
export function addressOf(person: string): string {
  const angle = /<([^<>\s]+@[^<>\s]+)>/.exec(person);
  return (angle ? angle[1]! : person).trim().toLowerCase();
}

/** A name to show: the local part, capitalised ("dana.lee@x" → "Dana.lee"). */
export function displayName(address: string): string {
  const local = address.split('@')[0] ?? address;
  const first = local.split('+')[0] ?? local;
  return first.charAt(0).toUpperCase() + first.slice(1);
}

const REQUEST_PHRASES =
  /\b(can you|could you|would you|will you|please (?:let me know|confirm|reply|send|tell)|let me know|get back to me|are you (?:able|free|available)|do you (?:have|know|want|agree)|rsvp)\b/i;

/**
 * True when a mail the user sends asks its recipients something: a question mark outside quoted
 * lines, or a request phrase. Quoted history ("> …") is the other side's text and does not count.
 */
export function asksSomething(body: string): boolean {
  const own = body
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('>'))
    .join('\n');
  return /\?(\s|$)/.test(own) || REQUEST_PHRASES.test(own);
}

/**
 * True when a mail in the thread says the question is settled ("resolved", "never mind", "called
 * off", "no longer needed"), outside quoted lines. Ending a follow-up sends nothing anywhere, and the
 * user is told which mail ended it, so a mail that says so only stops the waiting.
 */
export function settlesThread(body: string): boolean {
  const own = body
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('>'))
    .join('\n');
  return SETTLED_PHRASES.test(own);
}
const SETTLED_PHRASES =
  /\b(this is (now )?resolved|(it'?s|all|issue|question) (now )?(resolved|sorted( out)?|settled)|never ?mind|no longer (needed|necessary|required)|no need to (reply|answer|respond)|(has been|is) (cancel+ed|called off)|we'?re all set)\b/i;

/** The sentence that asks: the first line with a question mark or a request phrase, else the start. */
export function questionOf(body: string): string {
  const lines = body
    .split(/\n|(?<=[.?!])\s+/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('>'));
  const asking = lines.find((l) => /\?$/.test(l) || REQUEST_PHRASES.test(l));
  return clip(asking ?? lines[0] ?? '', 300);
}

export function newFollowUp(input: { threadId: string; subject: string; question: string; people: string[]; deadline: string; self?: string[] }): FollowUpData {
  const self = new Set((input.self ?? []).map(addressOf));
  const expected = [...new Set(input.people.map(addressOf))].filter((a) => a.includes('@') && !self.has(a));
  return { threadId: input.threadId, subject: input.subject, question: input.question, expected, answered: [], deadline: input.deadline, nudged: false, status: 'watching' };
}

export class FollowUp {
  constructor(readonly data: FollowUpData) {}

  /**
   * Records a reply in the thread. Only a sender the user is waiting for counts, once; the user's
   * own messages and anyone else in the thread change nothing. True when it marked someone.
   */
  reply(r: FollowUpReply): boolean {
    if (this.data.status !== 'watching') return false;
    const address = addressOf(r.from);
    if (!this.data.expected.includes(address) || this.hasAnswered(address)) return false;
    this.data.answered.push({ address, at: r.at, contextId: r.contextId });
    if (this.missing.length === 0) this.data.status = 'complete';
    return true;
  }

  /** The thread was resolved (by the user, or by a mail in it that says so): nothing more to wait for. */
  resolve(by?: { from: string }): void {
    if (this.data.status !== 'watching') return;
    this.data.status = 'resolved';
    if (by) this.data.resolvedBy = addressOf(by.from);
  }

  hasAnswered(address: string): boolean {
    return this.data.answered.some((a) => a.address === address);
  }

  get missing(): string[] {
    return this.data.expected.filter((a) => !this.hasAnswered(a));
  }

  get done(): boolean {
    return this.data.status !== 'watching';
  }

  /** After the deadline the user is offered a nudge, once. */
  nudgeDue(now: number): boolean {
    return !this.done && !this.data.nudged && now >= Date.parse(this.data.deadline);
  }

  /** "2 of 3 answered: Dana, Priya"; then who is still awaited. */
  progress(): string {
    const { expected, answered } = this.data;
    const names = answered.map((a) => displayName(a.address));
    const head = `${answered.length} of ${expected.length} answered${names.length ? `: ${names.join(', ')}` : ''}`;
    const missing = this.missing;
    return missing.length && answered.length ? `${head}; waiting for ${missing.map(displayName).join(', ')}` : head;
  }

  title(): string {
    return clip(`Follow-up: ${this.data.subject || this.data.question || this.data.threadId}`, 120);
  }

  /** How the follow-up ended, in the user's words. */
  outcome(): string {
    switch (this.data.status) {
      case 'complete':
        return `Everyone answered: ${this.data.answered.map((a) => displayName(a.address)).join(', ')}.`;
      case 'resolved':
        return `The thread was resolved${this.data.resolvedBy ? ` by a mail from ${this.data.resolvedBy}` : ''} (${this.progress()}).`;
      case 'watching':
        return `Stopped waiting: ${this.missing.map(displayName).join(', ')} did not answer (${this.progress()}).`;
    }
  }

  /**
   * The nudge: a new mail to the ones who did not answer, quoting the user's own question. The
   * replies' text is never included, so nothing a correspondent wrote can steer what is sent.
   */
  nudgeDraft(): { tool: 'gmail_send'; args: { to: string[]; subject: string; body: string } } {
    const subject = this.data.subject ? `Re: ${this.data.subject.replace(/^re:\s*/i, '')}` : 'Following up';
    const body = [
      'Hi,',
      '',
      'Just following up on my earlier message:',
      '',
      `> ${this.data.question}`,
      '',
      'Could you let me know when you get a chance?',
      '',
      'Thanks',
    ].join('\n');
    return { tool: 'gmail_send', args: { to: this.missing, subject: clip(subject, 500), body } };
  }
}
