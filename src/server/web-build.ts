// Builds the page when it is missing or older than its sources (npm start after a fresh clone).
import fs from 'node:fs';
import path from 'node:path';
import { WEB_DIST } from './static';

export async function ensureWebBuilt(): Promise<void> {
  const script = path.resolve(__dirname, '../../scripts/build-web');
  if (!fs.existsSync(`${script}.ts`) && !fs.existsSync(`${script}.js`)) return;
  const mod = (await import(script)) as { buildWeb?: (o?: object) => Promise<unknown>; webDistReady?: () => boolean };
  if (mod.webDistReady?.() && fs.existsSync(path.join(WEB_DIST, 'index.html'))) return;
  console.log('Building the web app…');
  await mod.buildWeb?.();
}
