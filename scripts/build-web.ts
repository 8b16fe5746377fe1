// Builds the web page (web/src, web/index.html, web/styles.css) into web/dist with esbuild.
// `npx tsx scripts/build-web.ts [--no-minify] [--out DIR]`; `npm start` calls webDistReady() and
// builds only when the bundle is missing or older than its sources.
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const ROOT = path.resolve(__dirname, '..');
export const WEB_DIR = path.join(ROOT, 'web');
export const WEB_DIST = path.join(WEB_DIR, 'dist');
const OUTPUTS = ['index.html', 'app.js', 'app.css'];

export interface BuildWebOptions {
  /** Default web/dist. */
  outDir?: string;
  /** Default true. */
  minify?: boolean;
}

export interface BuildWebResult {
  outDir: string;
  files: string[];
  ms: number;
}

export async function buildWeb(opts: BuildWebOptions = {}): Promise<BuildWebResult> {
  const started = Date.now();
  const outDir = path.resolve(opts.outDir ?? WEB_DIST);
  const minify = opts.minify ?? true;
  fs.mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [path.join(WEB_DIR, 'src', 'main.tsx')],
    outfile: path.join(outDir, 'app.js'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    tsconfig: path.join(WEB_DIR, 'src', 'tsconfig.json'),
    minify,
    sourcemap: minify ? false : 'inline',
    legalComments: 'none',
    define: { 'process.env.NODE_ENV': minify ? '"production"' : '"development"' },
    logLevel: 'silent',
  });
  await build({
    entryPoints: [path.join(WEB_DIR, 'styles.css')],
    outfile: path.join(outDir, 'app.css'),
    bundle: true,
    minify,
    target: ['chrome100', 'firefox100', 'safari15'],
    logLevel: 'silent',
  });
  fs.copyFileSync(path.join(WEB_DIR, 'index.html'), path.join(outDir, 'index.html'));
  return { outDir, files: OUTPUTS.map((f) => path.join(outDir, f)), ms: Date.now() - started };
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** True when web/dist holds every output and each is newer than every source of the page. */
export function webDistReady(outDir: string = WEB_DIST): boolean {
  try {
    const sources = Math.max(
      newestMtime(path.join(WEB_DIR, 'src')),
      fs.statSync(path.join(WEB_DIR, 'index.html')).mtimeMs,
      fs.statSync(path.join(WEB_DIR, 'styles.css')).mtimeMs,
      fs.statSync(__filename).mtimeMs,
    );
    return OUTPUTS.every((f) => fs.statSync(path.join(outDir, f)).mtimeMs >= sources);
  } catch {
    return false;
  }
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const outAt = args.indexOf('--out');
  buildWeb({ minify: !args.includes('--no-minify'), ...(outAt >= 0 && args[outAt + 1] ? { outDir: args[outAt + 1] } : {}) }).then(
    (r) => console.log(`web built into ${path.relative(process.cwd(), r.outDir) || '.'} in ${r.ms} ms`),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
