// The web_fetch tool: fetch one URL and return readable plain text, within size and time limits.
// An agent may be steered by untrusted text (an email saying "fetch this link"), so only
// http(s) is allowed and, unless the caller opts in, nothing on loopback or private networks
// (checked on the address actually connected to, so DNS tricks do not get around it).
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { convert } from 'html-to-text';

export interface WebFetchOptions {
  maxBytes: number;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Allow loopback, private, link-local and similar addresses. Off by default. */
  allowPrivateNetwork?: boolean;
}

export interface WebFetchResult {
  /** The final URL, after redirects. */
  url: string;
  status: number;
  contentType: string;
  /** Plain text: HTML is converted, binary content is described, never inlined. */
  text: string;
  /** True when the body was longer than maxBytes and only its start was read. */
  truncated: boolean;
}

export class WebFetchError extends Error {
  override name = 'WebFetchError';
}

export const MAX_REDIRECTS = 5;

const BLOCKED = new net.BlockList();
for (const [net4, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  BLOCKED.addSubnet(net4, prefix, 'ipv4');
}
for (const [net6, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  BLOCKED.addSubnet(net6, prefix, 'ipv6');
}

export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return BLOCKED.check(mapped[1]!, 'ipv4');
  const family = net.isIP(address);
  if (family === 0) return false;
  return BLOCKED.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/** dns.lookup that refuses names resolving to a private address. */
function guardedLookup(hostname: string, options: dns.LookupOptions, callback: LookupCallback): void {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    const bad = addresses.find((a) => isPrivateAddress(a.address));
    if (bad) {
      return callback(new WebFetchError(`refusing to fetch ${hostname}: it resolves to a private or local address (${bad.address})`), []);
    }
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0]!.address, addresses[0]!.family);
  });
}

function parseHttpUrl(raw: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    throw new WebFetchError(`not a valid URL: ${JSON.stringify(raw.slice(0, 200))}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new WebFetchError(`only http and https URLs can be fetched, not ${url.protocol.replace(/:$/, '')}: (${url.href.slice(0, 200)})`);
  }
  return url;
}

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Readable;
  /** Stops the download (and the connection). */
  abort: () => void;
}

function request(url: URL, opts: WebFetchOptions, signal: AbortSignal): Promise<RawResponse> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  // An IP literal is never looked up, so it is checked here.
  if (!opts.allowPrivateNetwork && isPrivateAddress(host)) {
    return Promise.reject(new WebFetchError(`refusing to fetch ${url.hostname}: a private or local address`));
  }
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.get(
      url,
      {
        signal,
        lookup: opts.allowPrivateNetwork ? undefined : (guardedLookup as unknown as typeof dns.lookup),
        headers: {
          'user-agent': 'Paprika/0.1 (personal assistant; web_fetch)',
          accept: 'text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5',
          'accept-encoding': 'gzip, deflate, br',
        },
      },
      (res) => {
        const encoding = String(res.headers['content-encoding'] ?? '').toLowerCase();
        const decoder =
          encoding === 'gzip' || encoding === 'x-gzip'
            ? zlib.createGunzip()
            : encoding === 'deflate'
              ? zlib.createInflate()
              : encoding === 'br'
                ? zlib.createBrotliDecompress()
                : undefined;
        const body = decoder ? res.pipe(decoder) : res;
        if (decoder) res.on('error', (err) => decoder.destroy(err));
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body,
          abort: () => {
            decoder?.destroy();
            req.destroy();
          },
        });
      },
    );
    req.on('error', reject);
  });
}

/** Reads at most maxBytes of the body; reports whether there was more. */
async function readLimited(res: RawResponse, maxBytes: number): Promise<{ bytes: Buffer; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of res.body) {
    const buf = chunk as Buffer;
    chunks.push(buf);
    total += buf.length;
    if (total > maxBytes) {
      res.abort();
      return { bytes: Buffer.concat(chunks).subarray(0, maxBytes), truncated: true };
    }
  }
  return { bytes: Buffer.concat(chunks), truncated: false };
}

function decodeText(bytes: Buffer, contentType: string): string {
  const charset = /charset\s*=\s*"?([^";\s]+)/i.exec(contentType)?.[1];
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

const TEXTUAL = /^(text\/|application\/(json|ld\+json|xml|rss\+xml|atom\+xml|javascript|x-javascript|ecmascript|x-ndjson)|[^;]*\+json|[^;]*\+xml)/i;
const LOOKS_LIKE_HTML = /^\s*(<!--[\s\S]*?-->\s*)*<(!doctype\s+html|html|head|body)[\s>]/i;

function resolveHref(href: string, baseUrl: string | undefined): string {
  try {
    return baseUrl ? new URL(href, baseUrl).href : href;
  } catch {
    return href;
  }
}

/** HTML to readable text; the page title, when there is one, comes first. */
export function htmlToText(html: string, baseUrl?: string): string {
  const text = convert(html, {
    wordwrap: false,
    selectors: [
      // Links resolved like a browser would (the library's baseUrl only prefixes "/" paths).
      { selector: 'a', options: { hideLinkHrefIfSameAsText: true, noAnchorUrl: true, pathRewrite: (href: string) => resolveHref(href, baseUrl) } },
      { selector: 'img', format: 'skip' },
      { selector: 'noscript', format: 'skip' },
      { selector: 'svg', format: 'skip' },
      { selector: 'iframe', format: 'skip' },
      ...(['h1', 'h2', 'h3', 'h4', 'h5', 'h6'] as const).map((h) => ({ selector: h, options: { uppercase: false } })),
      { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
    ],
  }).trim();
  const rawTitle = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1];
  const title = rawTitle ? convert(rawTitle, { wordwrap: false }).trim() : '';
  return title && !text.startsWith(title) ? `${title}\n\n${text}` : text;
}

function bodyToText(bytes: Buffer, contentType: string, url: string): string {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  const isHtml = type === 'text/html' || type === 'application/xhtml+xml';
  if (!isHtml && type !== '' && !TEXTUAL.test(type)) {
    return `[${type} content, ${bytes.length} bytes read, not shown]`;
  }
  const text = decodeText(bytes, contentType);
  // Sniffed too: a server that calls its HTML text/plain must not smuggle markup through.
  if (isHtml || LOOKS_LIKE_HTML.test(text)) return htmlToText(text, url);
  return text;
}

export async function webFetch(rawUrl: string, opts: WebFetchOptions): Promise<WebFetchResult> {
  let url = parseHttpUrl(rawUrl);
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout.signal]) : timeout.signal;
  try {
    for (let redirects = 0; ; redirects++) {
      const res = await request(url, opts, signal);
      const location = res.headers.location;
      if (res.status >= 300 && res.status < 400 && location) {
        res.abort();
        if (redirects >= MAX_REDIRECTS) throw new WebFetchError(`too many redirects (more than ${MAX_REDIRECTS}) from ${rawUrl.slice(0, 200)}`);
        url = parseHttpUrl(location, url);
        continue;
      }
      const contentType = String(res.headers['content-type'] ?? '');
      const { bytes, truncated } = await readLimited(res, opts.maxBytes);
      return { url: url.href, status: res.status, contentType, text: bodyToText(bytes, contentType, url.href), truncated };
    }
  } catch (err) {
    if (opts.signal?.aborted) throw new WebFetchError(`fetching ${url.href.slice(0, 200)} was cancelled`, { cause: err });
    if (timeout.signal.aborted) throw new WebFetchError(`timed out after ${opts.timeoutMs} ms fetching ${url.href.slice(0, 200)}`, { cause: err });
    if (err instanceof WebFetchError) throw err;
    const cause = (err as { cause?: unknown }).cause;
    if (cause instanceof WebFetchError) throw cause;
    throw new WebFetchError(`fetching ${url.href.slice(0, 200)} failed: ${(err as Error).message}`, { cause: err });
  } finally {
    clearTimeout(timer);
  }
}
