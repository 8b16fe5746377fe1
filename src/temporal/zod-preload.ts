// What the workflow bundle preloads (src/temporal/workflow-bundle.ts). A module of ours, not 'zod'
// itself: zod's package.json says it has no side effects, so webpack drops a bare require of it
// whose result is unused; re-exporting keeps it, and zod's modules land in the shared cache.
import { z } from 'zod';

// zod sets its default locale and memoizer on its global config when the first schema is built.
// The SDK freezes what is preloaded, so that first build happens here, before the freeze.
z.object({ primed: z.string() });

export { z };
