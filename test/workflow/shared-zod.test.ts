// zod is preloaded into the workflow bundle (src/temporal/workflow-bundle.ts): one copy shared by
// every workflow in a worker, deep-frozen by the SDK. These run real workflows in such a bundle on
// the dev server, with the kinds of schema Paprika's workflow code uses, and check the workflow
// sources stay off the built-in formats whose shared regexes a frozen zod cannot reset.
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { bundlerOptions } from '../../src/temporal/workflow-bundle';
import type { ZodKind, zodKindsWorkflow } from './shared-zod-workflows';

const taskQueue = `shared-zod-${randomUUID()}`;
let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createFromExistingServer({ address: process.env.PAPRIKA_TEST_TEMPORAL });
  const bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('./shared-zod-workflows'), ...bundlerOptions, logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error } as never });
  worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle });
  running = worker.run();
}, 120_000);
afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

const run = (kinds: ZodKind[]) =>
  env.client.workflow.execute<typeof zodKindsWorkflow>('zodKindsWorkflow', { taskQueue, workflowId: `workflow-test:zod:${randomUUID()}`, args: [kinds] });

const ALL: ZodKind[] = ['object', 'ownRegex', 'datetime', 'isoDatetime', 'discriminatedUnion', 'collections', 'errors', 'signalledEvent'];

test('schemas of the kinds workflow code uses parse and report errors with zod shared', async () => {
  // Twice in a row, so the second workflow meets the zod the first one used.
  for (let i = 0; i < 2; i++) {
    const out = await run(ALL);
    expect(Object.entries(out).filter(([, v]) => v.startsWith('error:'))).toEqual([]);
    expect(JSON.parse(out.errors!)).toEqual([expect.stringMatching(/^a: .*string/i)]);
    expect(JSON.parse(out.signalledEvent!)).toEqual({ ok: true, forged: false });
  }
});

test('workflow code stays off zod formats that reset a shared regex (z.email(), z.url(), z.uuid(), …)', () => {
  // The workflow bundle's own source modules, by the paths webpack records in it.
  const code = fs.readFileSync(process.env.PAPRIKA_TEST_BUNDLE!, 'utf8');
  const sources = [...new Set([...code.matchAll(/"\.\/(src\/[^"]+\.ts)"/g)].map((m) => m[1]!))];
  expect(sources).toContain('src/workflows/assistant.ts');
  const risky = /\b(?:email|url|httpUrl|uuid|uuidv4|uuidv6|uuidv7|guid|nanoid|cuid|cuid2|ulid|xid|ksuid|ipv4|ipv6|cidrv4|cidrv6|base64|base64url|e164|jwt|emoji|hostname|hex|lowercase|uppercase|mac)\(/;
  const read = (f: string) => fs.readFileSync(path.resolve(__dirname, '../..', f), 'utf8');
  const offenders = sources.filter((f) => /from 'zod'/.test(read(f)) && risky.test(read(f)));
  expect(offenders).toEqual([]);
});
