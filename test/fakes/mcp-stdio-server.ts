// A small real MCP server for tests, written with the SDK. Run it over stdio:
//   npx tsx test/fakes/mcp-stdio-server.ts
// or import createFakeMcpServer() and connect it to another transport (the tests use
// streamable HTTP too).
//
// MCP_FAKE_LOG names a file the server appends one line to per observable event, so a
// test can count what really happened: "start\t<pid>" when a process starts and
// "ticket\t<title>" for every executed create_ticket.
// MCP_FAKE_STUBBORN=1 makes the process ignore both the end of stdin and SIGTERM, like a
// badly behaved server, so a test can check the client still stops it.
import { appendFileSync } from 'node:fs';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

function log(line: string): void {
  const file = process.env.MCP_FAKE_LOG;
  if (file) appendFileSync(file, `${line}\n`);
}

// Deterministic so tests can assert exact answers.
const WEATHER: Record<string, string> = {
  paris: '18°C, light rain',
  berlin: '12°C, overcast',
  lisbon: '24°C, sunny',
};

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Error('cancelled'));
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new Error('cancelled'));
    });
  });
}

export function createFakeMcpServer(): McpServer {
  const server = new McpServer({ name: 'paprika-fake', version: '1.0.0' });
  let tickets = 0;

  server.registerTool(
    'lookup_weather',
    {
      description: 'Current weather for a city',
      inputSchema: { city: z.string().min(1) },
      annotations: { readOnlyHint: true },
    },
    async ({ city }) => {
      const weather = WEATHER[city.trim().toLowerCase()];
      if (!weather) return { isError: true, content: [{ type: 'text', text: `Unknown city: ${city}` }] };
      return { content: [{ type: 'text', text: `Weather in ${city}: ${weather}` }] };
    },
  );

  server.registerTool(
    'create_ticket',
    {
      description: 'Create a support ticket',
      inputSchema: { title: z.string().min(1) },
      annotations: { readOnlyHint: false, destructiveHint: false },
    },
    async ({ title }) => {
      tickets += 1;
      log(`ticket\t${title}`);
      return { content: [{ type: 'text', text: `Created ticket T-${tickets}: ${title}` }] };
    },
  );

  // No annotations on purpose: only the client's safeTools list can make it "read".
  server.registerTool(
    'slow_echo',
    {
      description: 'Echo text after a delay in milliseconds',
      inputSchema: { text: z.string(), ms: z.number().int().min(0).max(600_000) },
    },
    async ({ text, ms }, extra) => {
      await sleep(ms, extra.signal);
      return { content: [{ type: 'text', text }] };
    },
  );

  server.registerTool(
    'repeat',
    {
      description: 'Repeat a text n times (for output-size tests)',
      inputSchema: { text: z.string(), times: z.number().int().min(1).max(100_000) },
      annotations: { readOnlyHint: true },
    },
    async ({ text, times }) => ({
      content: [
        { type: 'text', text: text.repeat(times) },
        { type: 'image', data: 'iVBORw0KGgo=', mimeType: 'image/png' },
      ],
    }),
  );

  server.registerTool(
    'server_pid',
    { description: 'The process ID of this server', annotations: { readOnlyHint: true } },
    async () => ({ content: [{ type: 'text', text: String(process.pid) }] }),
  );

  return server;
}

async function main(): Promise<void> {
  log(`start\t${process.pid}`);
  const server = createFakeMcpServer();
  await server.connect(new StdioServerTransport());
  if (process.env.MCP_FAKE_STUBBORN === '1') {
    process.on('SIGTERM', () => log(`sigterm\t${process.pid}`));
    setInterval(() => undefined, 60_000);
    return;
  }
  // The client ends stdin to ask us to stop; do not linger.
  process.stdin.on('end', () => process.exit(0));
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`fake MCP server failed: ${String(err)}\n`);
    process.exit(1);
  });
}
