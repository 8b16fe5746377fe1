import { randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import { z } from 'zod';
import type { ServerDeps } from '../deps';
import { failureResponse } from '../errors';
import { jsonBody } from '../validate';

const ChatBody = z.object({
  message: z.string().trim().min(1, 'message must not be empty').max(8000, 'message is longer than 8000 characters'),
  id: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'id: letters, digits and _ . : - only, at most 100')
    .optional(),
});

export function chatRoutes(app: Hono, { paprika }: ServerDeps): void {
  app.post('/api/chat', jsonBody(ChatBody), async (c) => {
    const { message, id = randomUUID() } = c.req.valid('json');
    const user = c.get('userId');
    const res = await paprika.assistant.chat(user, id, message);
    if (!res.ok) return failureResponse(c, res);
    const { answer } = res;
    // The answer carries the row deliver wrote (same ID, text and time): no second read of the store.
    const reply = { id: answer.reply.id, userId: user, role: 'assistant' as const, text: answer.reply.text, createdAt: answer.reply.at };
    return c.json({ id, reply, toolCalls: answer.toolCalls });
  });
}
