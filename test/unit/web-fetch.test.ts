// web_fetch against a real local HTTP server.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { isPrivateAddress, webFetch, type WebFetchOptions } from '../../src/integrations/web-fetch';

const PAGE = `<!doctype html><html><head><title>Q3 &amp; beyond</title>
<style>body { color: red }</style><script>window.secret = "do-not-leak"; alert(1)</script></head>
<body><h1>Quarterly report</h1><p>Revenue grew <b>12%</b>. See <a href="/details">the details</a>.</p>
<script>document.write("injected")</script><ul><li>North</li><li>South</li></ul></body></html>`;

let server: http.Server;
let base: string;
const hits: string[] = [];
const open = new Set<http.ServerResponse>();

const opts = (extra: Partial<WebFetchOptions> = {}): WebFetchOptions => ({
  maxBytes: 100_000,
  timeoutMs: 5_000,
  allowPrivateNetwork: true,
  ...extra,
});

beforeAll(async () => {
  server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    const route = new URL(req.url ?? '/', 'http://x').pathname;
    switch (route) {
      case '/page':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
        return;
      case '/page.gz':
        res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' }).end(zlib.gzipSync(PAGE));
        return;
      case '/disguised':
        res.writeHead(200, { 'content-type': 'text/plain' }).end(PAGE);
        return;
      case '/big':
        res.writeHead(200, { 'content-type': 'text/plain' }).end('a'.repeat(200_000));
        return;
      case '/latin1':
        res.writeHead(200, { 'content-type': 'text/plain; charset=iso-8859-1' }).end(Buffer.from([0x63, 0x61, 0x66, 0xe9]));
        return;
      case '/image':
        res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.alloc(64, 1));
        return;
      case '/missing':
        res.writeHead(404, { 'content-type': 'text/html' }).end('<html><body><p>No such page</p></body></html>');
        return;
      case '/r1':
        res.writeHead(302, { location: '/r2' }).end();
        return;
      case '/r2':
        res.writeHead(301, { location: `${base}/page` }).end();
        return;
      case '/loop':
        res.writeHead(302, { location: '/loop' }).end();
        return;
      case '/to-file':
        res.writeHead(302, { location: 'file:///etc/passwd' }).end();
        return;
      case '/hang':
        open.add(res); // never answers
        return;
      case '/stall-body':
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('first part…');
        open.add(res); // the rest never comes
        return;
      default:
        res.writeHead(500).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const res of open) res.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('webFetch', () => {
  it('turns HTML into readable text without scripts, styles or markup', async () => {
    const page = await webFetch(`${base}/page`, opts());
    expect(page).toMatchObject({ url: `${base}/page`, status: 200, contentType: 'text/html; charset=utf-8', truncated: false });
    expect(page.text).toContain('Q3 & beyond');
    expect(page.text).toContain('Quarterly report');
    expect(page.text).toContain('Revenue grew 12%');
    expect(page.text).toContain(`the details [${base}/details]`);
    expect(page.text).toMatch(/North[\s\S]*South/);
    expect(page.text).not.toMatch(/do-not-leak|alert|injected|color: red|[<>]/);
  });

  it('decompresses gzip and converts HTML served as text/plain too', async () => {
    expect((await webFetch(`${base}/page.gz`, opts())).text).toContain('Revenue grew 12%');
    const disguised = await webFetch(`${base}/disguised`, opts());
    expect(disguised.text).toContain('Quarterly report');
    expect(disguised.text).not.toMatch(/<|do-not-leak/);
  });

  it('stops reading at maxBytes and says so', async () => {
    const big = await webFetch(`${base}/big`, opts({ maxBytes: 1000 }));
    expect(big.truncated).toBe(true);
    expect(big.text).toBe('a'.repeat(1000));
  });

  it('honours the charset and describes binary content instead of returning it', async () => {
    expect((await webFetch(`${base}/latin1`, opts())).text).toBe('café');
    const image = await webFetch(`${base}/image`, opts());
    expect(image.text).toBe('[image/png content, 64 bytes read, not shown]');
  });

  it('returns non-2xx statuses as results', async () => {
    const missing = await webFetch(`${base}/missing`, opts());
    expect(missing.status).toBe(404);
    expect(missing.text).toBe('No such page');
  });

  it('follows redirects, relative and absolute, up to a limit', async () => {
    const page = await webFetch(`${base}/r1`, opts());
    expect(page.url).toBe(`${base}/page`);
    expect(page.text).toContain('Quarterly report');
    hits.length = 0;
    await expect(webFetch(`${base}/loop`, opts())).rejects.toThrow(/too many redirects \(more than 5\)/);
    expect(hits).toHaveLength(6); // the first request and five redirects
    await expect(webFetch(`${base}/to-file`, opts())).rejects.toThrow(/only http and https URLs can be fetched, not file/);
  });

  it('times out when the server does not answer, or stops half-way', async () => {
    // The error names the limit that fired; the servers never answer, so nothing else could end these.
    await expect(webFetch(`${base}/hang`, opts({ timeoutMs: 300 }))).rejects.toThrow(/timed out after 300 ms fetching .*\/hang/);
    await expect(webFetch(`${base}/stall-body`, opts({ timeoutMs: 300 }))).rejects.toThrow(/timed out after 300 ms/);
  });

  it('can be cancelled', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expect(webFetch(`${base}/hang`, opts({ signal: controller.signal }))).rejects.toThrow(/was cancelled/);
  });

  it('rejects schemes other than http and https, and invalid URLs', async () => {
    for (const url of ['file:///etc/passwd', 'ftp://example.com/x', 'javascript:alert(1)', 'data:text/html,<b>x</b>']) {
      await expect(webFetch(url, opts())).rejects.toThrow(/only http and https URLs can be fetched/);
    }
    await expect(webFetch('not a url', opts())).rejects.toThrow(/not a valid URL/);
  });

  it('refuses loopback and private addresses unless allowed, by IP and by name', async () => {
    hits.length = 0;
    await expect(webFetch(`${base}/page`, opts({ allowPrivateNetwork: false }))).rejects.toThrow(
      /refusing to fetch 127\.0\.0\.1: a private or local address/,
    );
    const port = (server.address() as AddressInfo).port;
    await expect(webFetch(`http://localhost:${port}/page`, opts({ allowPrivateNetwork: undefined }))).rejects.toThrow(
      /refusing to fetch localhost: it resolves to a private or local address/,
    );
    expect(hits).toEqual([]);
  });
});

describe('isPrivateAddress', () => {
  it.each([
    ['127.0.0.1', true],
    ['10.20.30.40', true],
    ['172.16.5.4', true],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['::1', true],
    ['fd00::1', true],
    ['::ffff:127.0.0.1', true],
    ['8.8.8.8', false],
    ['172.32.0.1', false],
    ['2001:4860:4860::8888', false],
  ])('%s → %s', (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });
});
