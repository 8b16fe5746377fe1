// `npm run eval`: the triage set, the injection suite and the chat tasks against the configured
// model (OPENAI_API_KEY / OPENAI_BASE_URL / PAPRIKA_MODEL), or the scripted fakes without one
// (PAPRIKA_EVAL_MODEL=fake). Starts its own Temporal dev server; prints one table and writes
// bench/eval/results/eval-<time>.json. EVAL_PARTS=triage,chat runs some parts only; EVAL_TASKS=<regex>
// runs the chat tasks whose name matches.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findTemporalCli } from '../../src/temporal/cli';
import { freePort, startDevServer } from '../../src/temporal/dev-server';
import { installRuntime } from '../../src/temporal/runtime';
import { bundleWorkflows } from '../../scripts/bundle-workflows';
import { type Part, rows, runEval, table } from './eval';
import { evalModelFromEnv } from './model';

async function main(): Promise<number> {
  const model = evalModelFromEnv();
  installRuntime('warn');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paprika-eval-'));
  const server = await startDevServer({ cliPath: findTemporalCli(process.env.TEMPORAL_CLI_PATH), port: await freePort(), headless: true, logFile: path.join(dir, 'temporal.log') });
  try {
    // The stack helpers read these, as under jest.
    process.env.PAPRIKA_TEST_TEMPORAL = server.address;
    process.env.PAPRIKA_TEST_BUNDLE = await bundleWorkflows(path.join(dir, 'bundle.js'));
    process.env.PAPRIKA_TEST_DIR = dir;
    const parts = process.env.EVAL_PARTS ? (process.env.EVAL_PARTS.split(',') as Part[]) : undefined;
    const only = process.env.EVAL_TASKS ? new RegExp(process.env.EVAL_TASKS, 'i') : undefined;
    const report = await runEval({ model, parts, ...(only ? { tasks: (t) => only.test(t.name) } : {}), log: (s) => console.error(`eval: ${s}`) });
    console.log(table(report));
    const out = path.resolve(__dirname, 'results');
    fs.mkdirSync(out, { recursive: true });
    const file = path.join(out, `eval-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    fs.writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), rows: rows(report), ...report }, null, 2));
    console.log(`\nwrote ${path.relative(process.cwd(), file)}`);
    return rows(report).every((r) => r.pass) ? 0 : 1;
  } finally {
    await server.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(2);
  },
);
