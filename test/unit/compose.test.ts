// docker-compose.yml cannot run here (no Docker engine), so this checks what can be checked: the
// file parses, every variable Paprika reads reaches the worker and the API, its defaults pass the
// config's own validation, and the topology is the one the README describes.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ENV_VARIABLES, loadConfig } from '../../src/config';

interface Service {
  image?: string;
  build?: unknown;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  deploy?: { replicas?: number };
  healthcheck?: unknown;
}
const compose = parse(fs.readFileSync(path.resolve(__dirname, '../../docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service> };
const { services } = compose;

/** Variables that only make sense for `npm start` on one machine or in tests, never in containers. */
const LOCAL_ONLY = new Set([
  'TEMPORAL_CLI_PATH', // the embedded dev server's binary
  'PAPRIKA_TEMPORAL_PORT',
  'PAPRIKA_TEMPORAL_UI_PORT',
  'PAPRIKA_WORKFLOW_BUNDLE', // set by the Dockerfile
  'PAPRIKA_WEB_FETCH_ALLOW_PRIVATE', // tests serve pages on loopback
]);

/** `${VAR:-default}` → default, `${VAR:?message}` → a stand-in value: what compose gives with nothing set. */
function resolved(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).map(([k, v]) => [k, String(v).replace(/\$\{[A-Z0-9_]+(?::-([^}]*)|:\?[^}]*)\}/g, (_m, def?: string) => def ?? 'set-by-the-user-0123456789')]),
  );
}

test.each(['worker', 'api'])('every variable the config reads is passed to %s', (name) => {
  const env = services[name]!.environment ?? {};
  const missing = ENV_VARIABLES.filter((v) => !LOCAL_ONLY.has(v) && !(v in env));
  expect(missing).toEqual([]);
  expect(Object.keys(env).filter((v) => !ENV_VARIABLES.includes(v))).toEqual([]);
});

test("the containers' defaults pass the config's validation", () => {
  const config = loadConfig(resolved(services.api!.environment!));
  expect(config.temporal.address).toBe('temporal:7233');
  expect(config.dataDir).toBe('/data');
});

test('Temporal is set up by admin-tools (not auto-setup), the UI decodes through the codec, two workers', () => {
  const images = Object.values(services).map((s) => s.image ?? '');
  expect(images.some((i) => i.includes('auto-setup'))).toBe(false);
  expect(services['temporal-schema']!.image).toMatch(/^temporalio\/admin-tools:/);
  expect(services.temporal!.depends_on!['temporal-schema']!.condition).toBe('service_completed_successfully');
  expect(services['temporal-ui']!.environment!.TEMPORAL_CODEC_ENDPOINT).toMatch(/\/api\/codec$/);
  expect(services.worker!.deploy!.replicas).toBeGreaterThanOrEqual(2);
  for (const name of ['postgresql', 'temporal', 'worker', 'api']) expect(services[name]!.healthcheck).toBeDefined();
});
