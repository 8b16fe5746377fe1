// Test workers log warnings and errors only; PAPRIKA_TEST_VERBOSE=1 shows everything.
import { installRuntime } from '../../src/temporal/runtime';

installRuntime(process.env.PAPRIKA_TEST_VERBOSE ? 'debug' : 'warn');
