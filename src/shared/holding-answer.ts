// The answer a chat gets when its deadline passes before the assistant's reply: its reply ID is
// marked, so the client can tell it from a real one (it is never recorded as the message's answer).
import type { ChatAnswer } from '../assistant/state';

export const HOLDING_REPLY = "Still working on this — I'll reply here when I have it.";
const PREFIX = 'hold:';

export function holdingAnswer(messageId: string, at: string): ChatAnswer {
  return { id: messageId, reply: { id: `${PREFIX}${messageId}`, text: HOLDING_REPLY, at }, toolCalls: [] };
}

export function isHoldingAnswer(answer: ChatAnswer): boolean {
  return answer.reply.id.startsWith(PREFIX);
}
