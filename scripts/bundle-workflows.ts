// Bundles the workflow code once into a file, so workers (tests, scale-out) start without
// re-bundling: `npx tsx scripts/bundle-workflows.ts [out.js]`, then PAPRIKA_WORKFLOW_BUNDLE=out.js.
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { bundlerOptions, WORKFLOWS_PATH } from '../src/temporal/workflow-bundle';

export async function bundleWorkflows(outFile: string): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    ...bundlerOptions,
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error } as never,
  });
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, code);
  return outFile;
}

if (require.main === module) {
  const out = path.resolve(process.argv[2] ?? 'dist/workflow-bundle.js');
  bundleWorkflows(out).then((f) => console.log(`workflow bundle written to ${f}`));
}
