// The MCP pool against real MCP servers written with the SDK: the stdio fake spawned the way a
// user would configure it (npx tsx …), and the same tools served over streamable HTTP.
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isAlive, McpPool, MCP_RESULT_MAX_CHARS } from '../../src/integrations/mcp';
import type { McpServerConfig } from '../../src/config';
import { createFakeMcpServer } from '../fakes/mcp-stdio-server';
import { eventually } from '../helpers/eventually';

jest.setTimeout(60_000);

const FAKE = path.resolve(__dirname, '../fakes/mcp-stdio-server.ts');

const alive = isAlive;

describe('McpPool over stdio', () => {
  let dir: string;
  let logFile: string;
  let pool: McpPool;

  const lines = (kind: string) =>
    existsSync(logFile)
      ? readFileSync(logFile, 'utf8')
          .split('\n')
          .filter((l) => l.startsWith(`${kind}\t`))
      : [];
  const pidOf = async () => Number((await pool.callTool('mcp__fake__server_pid', {})).text);

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'paprika-mcp-'));
    logFile = path.join(dir, 'fake.log');
    const servers: McpServerConfig[] = [
      { name: 'fake', command: 'npx', args: ['tsx', FAKE], env: { MCP_FAKE_LOG: logFile }, safeTools: ['slow_echo'] },
    ];
    pool = new McpPool(servers);
  });

  afterAll(async () => {
    await pool.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the tools with qualified names and side-effect flags', async () => {
    const tools = await pool.listTools();
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
    expect(Object.keys(byName).sort()).toEqual(['create_ticket', 'lookup_weather', 'repeat', 'server_pid', 'slow_echo']);
    expect(byName.create_ticket!.sideEffect).toBe(true); // no readOnlyHint, not in safeTools
    expect(byName.lookup_weather!.sideEffect).toBe(false); // readOnlyHint
    expect(byName.slow_echo!.sideEffect).toBe(false); // in safeTools
    expect(byName.lookup_weather).toMatchObject({
      server: 'fake',
      qualifiedName: 'mcp__fake__lookup_weather',
      description: 'Current weather for a city',
      inputSchema: { type: 'object', required: ['city'] },
    });
  });

  it('calls a read tool and a side-effect tool on one reused connection', async () => {
    const pid = await pidOf();
    expect(await pool.callTool('mcp__fake__lookup_weather', { city: 'Paris' })).toEqual({
      text: 'Weather in Paris: 18°C, light rain',
      isError: false,
    });
    const first = await pool.callTool('mcp__fake__create_ticket', { title: 'Printer on fire' });
    const second = await pool.callTool('mcp__fake__create_ticket', { title: 'Coffee machine empty' });
    expect(first).toEqual({ text: 'Created ticket T-1: Printer on fire', isError: false });
    expect(second.text).toBe('Created ticket T-2: Coffee machine empty');
    expect(lines('ticket')).toEqual(['ticket\tPrinter on fire', 'ticket\tCoffee machine empty']);
    expect(await pidOf()).toBe(pid);
    expect(lines('start')).toEqual([`start\t${pid}`]); // one spawn for every call so far
  });

  it('reports a tool error as isError, not as a thrown error', async () => {
    expect(await pool.callTool('mcp__fake__lookup_weather', { city: 'Atlantis' })).toEqual({
      text: 'Unknown city: Atlantis',
      isError: true,
    });
  });

  it('truncates long results and names non-text content', async () => {
    const long = await pool.callTool('mcp__fake__repeat', { text: 'abcd', times: 10_000 });
    expect(long.text.length).toBeLessThan(MCP_RESULT_MAX_CHARS + 100);
    expect(long.text.startsWith('abcdabcd')).toBe(true);
    expect(long.text).toMatch(/truncated, \d+ more characters/);
    const short = await pool.callTool('mcp__fake__repeat', { text: 'hi', times: 2 });
    expect(short.text).toBe('hihi\n[image image/png omitted]');
  });

  it('times out and cancels a slow call, naming server and tool, and keeps the connection', async () => {
    const pid = await pidOf();
    await expect(pool.callTool('mcp__fake__slow_echo', { text: 'late', ms: 5000 }, { timeoutMs: 300 })).rejects.toThrow(
      /MCP server "fake", tool "slow_echo": timed out/,
    );
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    await expect(
      pool.callTool('mcp__fake__slow_echo', { text: 'late', ms: 5000 }, { signal: controller.signal }),
    ).rejects.toThrow(/MCP server "fake", tool "slow_echo": cancelled/);
    expect(await pool.callTool('mcp__fake__slow_echo', { text: 'on time', ms: 10 })).toEqual({ text: 'on time', isError: false });
    expect(await pidOf()).toBe(pid);
  });

  it('rejects unknown tools and servers with a message naming them', async () => {
    await expect(pool.callTool('mcp__fake__nope', {})).rejects.toThrow(/MCP server "fake" has no tool "nope"/);
    await expect(pool.callTool('mcp__other__x', {})).rejects.toThrow(/"mcp__other__x".*no configured MCP server/);
  });

  it('reconnects once when the server died', async () => {
    const pid = await pidOf();
    process.kill(pid, 'SIGKILL');
    await eventually(() => !alive(pid), 8000, `MCP server process ${pid} to exit`);
    const after = await pool.callTool('mcp__fake__lookup_weather', { city: 'Lisbon' });
    expect(after).toEqual({ text: 'Weather in Lisbon: 24°C, sunny', isError: false });
    const newPid = await pidOf();
    expect(newPid).not.toBe(pid);
    expect(lines('start')).toHaveLength(2);
  });

  it('stops the stdio server on close', async () => {
    const own = new McpPool([{ name: 'fake', command: 'npx', args: ['tsx', FAKE], safeTools: [] }]);
    const pid = Number((await own.callTool('mcp__fake__server_pid', {})).text);
    expect(alive(pid)).toBe(true);
    await own.close();
    await eventually(() => !alive(pid), 10_000, `MCP server process ${pid} to exit`);
    await expect(own.callTool('mcp__fake__server_pid', {})).rejects.toThrow(/pool is closed/);
  });

  it('kills a server that ignores stdin closing and SIGTERM, and every process npx started', async () => {
    const stubbornLog = path.join(dir, 'stubborn.log');
    const own = new McpPool([
      { name: 'fake', command: 'npx', args: ['tsx', FAKE], env: { MCP_FAKE_STUBBORN: '1', MCP_FAKE_LOG: stubbornLog }, safeTools: [] },
    ]);
    const pid = Number((await own.callTool('mcp__fake__server_pid', {})).text);
    await own.close();
    // Killed processes may take a moment to be reaped on a busy machine.
    await eventually(() => !alive(pid), 10_000, `MCP server process ${pid} to exit`);
    expect(readFileSync(stubbornLog, 'utf8')).toContain(`sigterm\t${pid}`); // it was asked first
  });
});

describe('McpPool over streamable HTTP', () => {
  let server: http.Server;
  let url: string;
  let initializations = 0;
  const TOKEN = 'test-token-123';

  beforeAll(async () => {
    // Stateless server (a fresh McpServer per request), as in the SDK's examples; the client
    // still initialises once per connection, which is what we count.
    server = http.createServer(async (req, res) => {
      if (req.headers.authorization !== `Bearer ${TOKEN}`) {
        res.writeHead(401).end('unauthorised');
        return;
      }
      if (req.method !== 'POST') {
        res.writeHead(405).end();
        return;
      }
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      if (body?.method === 'initialize') initializations += 1;
      const mcp = createFakeMcpServer();
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      res.on('close', () => {
        void transport.close();
        void mcp.close();
      });
      await mcp.connect(transport);
      await transport.handleRequest(req, res, body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('lists and calls tools with the configured headers, initialising once', async () => {
    const pool = new McpPool([
      { name: 'remote', url, headers: { Authorization: `Bearer ${TOKEN}` }, safeTools: [] },
      // A broken server must not hide the working one.
      { name: 'broken', command: process.execPath, args: ['-e', 'console.error("boom: no token"); process.exit(3)'], safeTools: [] },
    ]);
    try {
      const { tools, errors } = await pool.listToolsDetailed();
      expect(tools.map((t) => t.qualifiedName)).toContain('mcp__remote__lookup_weather');
      expect(tools.find((t) => t.name === 'create_ticket')!.sideEffect).toBe(true);
      expect(errors).toHaveLength(1);
      expect(errors[0]!.server).toBe('broken');
      expect(errors[0]!.message).toMatch(/MCP server "broken": could not connect/);
      expect(errors[0]!.message).toMatch(/boom: no token/);
      expect(await pool.callTool('mcp__remote__lookup_weather', { city: 'Berlin' })).toEqual({
        text: 'Weather in Berlin: 12°C, overcast',
        isError: false,
      });
      expect((await pool.callTool('mcp__remote__create_ticket', { title: 'x' })).text).toBe('Created ticket T-1: x');
      expect(initializations).toBe(1);
    } finally {
      await pool.close();
    }
  });

  it('fails with a message naming the server when the headers are wrong', async () => {
    const pool = new McpPool([{ name: 'remote', url, headers: { Authorization: 'Bearer wrong' }, safeTools: [] }]);
    try {
      const { errors } = await pool.listToolsDetailed();
      expect(errors[0]!.message).toMatch(/MCP server "remote": could not connect/);
    } finally {
      await pool.close();
    }
  });
});
