// Serves the built web app (web/dist) at /. The page is built by `npm run build:web`, and
// `npm start` builds it when missing.
import fs from 'node:fs';
import path from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono } from 'hono';

export const WEB_DIST = path.resolve(__dirname, '../../web/dist');

export function staticRoutes(app: Hono, root = WEB_DIST): void {
  app.use('/*', async (c, next) => {
    await next();
    // The page loads nothing from elsewhere; say so to the browser too.
    c.header(
      'Content-Security-Policy',
      "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'",
    );
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
  });
  // Before the page is built there is nothing to serve; the fallback below says how to build it.
  if (fs.existsSync(root)) app.use('/*', serveStatic({ root: path.relative(process.cwd(), root) || '.' }));
  app.get('*', (c) => {
    const index = path.join(root, 'index.html');
    if (!c.req.path.startsWith('/api/') && fs.existsSync(index)) return c.html(fs.readFileSync(index, 'utf8'));
    if (c.req.path.startsWith('/api/')) return c.json({ error: `no such endpoint: ${c.req.method} ${c.req.path}` }, 404);
    return c.text('The web app is not built yet: run `npm run build:web` (npm start does it for you).', 503);
  });
}
