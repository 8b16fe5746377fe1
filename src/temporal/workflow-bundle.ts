// How the workflow code is bundled, in one place for the worker, `npm run replay` and prebuilt
// bundles (tests, Docker, bench), so what replays is what runs.
import type { WorkerOptions } from '@temporalio/worker';

export const WORKFLOWS_PATH = require.resolve('../workflows');

/**
 * zod is evaluated once per worker and shared by every workflow. Otherwise the SDK evaluates it
 * again for each workflow it starts or replays into its cache (it isolates module state per
 * workflow): ~3 ms and ~620 KB of an assistant's ~750 KB of modules. zod keeps no per-call state,
 * and our schemas stay per workflow (only the library is shared).
 *
 * The SDK deep-freezes shared modules. zod's own module-level regexes are then frozen, and the
 * checks that reset their `lastIndex` (z.email(), z.uuid(), z.url() and other built-in formats)
 * would throw inside a workflow. Workflow code uses none of them (test/workflow/shared-zod.test.ts
 * keeps it so); `.regex(ours)` and `.datetime()` build their own RegExp and are fine.
 */
export const bundlerOptions = { preloadModules: [require.resolve('./zod-preload')] } satisfies WorkerOptions['bundlerOptions'];
