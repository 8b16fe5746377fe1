import type { DevServer } from '../../src/temporal/dev-server';
import type { LocalPostgres } from './postgres-server';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __paprikaTemporal?: DevServer }).__paprikaTemporal?.stop();
  await (globalThis as { __paprikaPostgres?: LocalPostgres }).__paprikaPostgres?.stop();
}
