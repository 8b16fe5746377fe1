// Request validation with zod: a 400 whose message names the bad field.
import { zValidator } from '@hono/zod-validator';
import type { ZodType } from 'zod';
import { describeZod } from './errors';

export const jsonBody = <T extends ZodType>(schema: T) =>
  zValidator('json', schema, (result, c) => {
    if (!result.success) return c.json({ error: describeZod(result.error as never) }, 400);
  });

export const query = <T extends ZodType>(schema: T) =>
  zValidator('query', schema, (result, c) => {
    if (!result.success) return c.json({ error: describeZod(result.error as never) }, 400);
  });
