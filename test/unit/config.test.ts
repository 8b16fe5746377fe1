import { ConfigError, loadConfig } from '../../src/config';

test('defaults: loopback, port 5050, user "me", offline model, embedded Temporal', () => {
  const c = loadConfig({});
  expect(c).toMatchObject({ host: '127.0.0.1', port: 5050, userId: 'me', model: { kind: 'offline' }, temporal: { address: undefined, taskQueue: 'paprika' } });
});

test('a bad variable is named in the error', () => {
  expect(() => loadConfig({ PAPRIKA_PORT: 'eighty' })).toThrow(/PAPRIKA_PORT/);
  expect(() => loadConfig({ PAPRIKA_USER: 'a b' })).toThrow(/PAPRIKA_USER: letters/);
  expect(() => loadConfig({ OPENAI_BASE_URL: 'not a url' })).toThrow(/OPENAI_BASE_URL/);
  expect(() => loadConfig({ PAPRIKA_MCP_SERVERS: '[{"name":"x"}]' })).toThrow(/PAPRIKA_MCP_SERVERS/);
});

test('PAPRIKA_API_TOKEN overrides the token file; a public URL must be a URL', () => {
  // Without it the entries create <dataDir>/api-token (test/unit/api-token.test.ts).
  expect(loadConfig({ PAPRIKA_HOST: '0.0.0.0', PAPRIKA_API_TOKEN: 's3cret-token' }).apiToken).toBe('s3cret-token');
  expect(loadConfig({}).apiToken).toBeUndefined();
  expect(() => loadConfig({ PAPRIKA_PUBLIC_URL: 'paprika.example' })).toThrow(ConfigError);
  expect(() => loadConfig({ PAPRIKA_PUBLIC_URL: 'paprika.example' })).toThrow(/PAPRIKA_PUBLIC_URL/);
});

test('a model endpoint switches from the offline rules to the model', () => {
  expect(loadConfig({ OPENAI_API_KEY: 'sk-x' }).model.kind).toBe('openai');
  expect(loadConfig({ OPENAI_BASE_URL: 'http://localhost:11434/v1' }).model.kind).toBe('openai');
});

describe('tuning knobs', () => {
  const knobs: [string, number, (c: ReturnType<typeof loadConfig>) => number, string[]][] = [
    ['PAPRIKA_BATCH_SIZE', 25, (c) => c.limits.batchSize, ['0', '201', 'many', '2.5']],
    ['PAPRIKA_QUEUE_MAX', 200, (c) => c.limits.queueMax, ['1', '-5', 'lots']],
    ['PAPRIKA_WORKER_CONCURRENCY', 40, (c) => c.worker.concurrency, ['0', '1001', 'x']],
    ['PAPRIKA_TASK_TIMEOUT_MINUTES', 60, (c) => c.limits.taskTimeoutMinutes, ['0', 'an hour']],
    ['PAPRIKA_ACTIVITY_TIMEOUT_SECONDS', 30, (c) => c.limits.activityTimeoutSeconds, ['0', '3601', 'soon']],
    ['PAPRIKA_MODEL_TIMEOUT_SECONDS', 60, (c) => c.model.timeoutSeconds, ['0', 'slow']],
    ['PAPRIKA_HEARTBEAT_TIMEOUT_SECONDS', 30, (c) => c.limits.heartbeatTimeoutSeconds, ['-1']],
    ['PAPRIKA_GMAIL_CATCHUP_MINUTES', 15, (c) => c.feeds.gmailCatchupMinutes, ['-1', '1441', 'hourly']],
  ];
  test.each(knobs)('%s defaults to %d, reads a value, and names itself when bad', (name, fallback, read, bad) => {
    expect(read(loadConfig({}))).toBe(fallback);
    expect(read(loadConfig({ [name]: '7' }))).toBe(7);
    for (const value of bad) expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}: .*\\(got "${value.replace('.', '\\.')}"\\)`));
  });

  test('a catch-up period of 0 means only at start', () => {
    expect(loadConfig({ PAPRIKA_GMAIL_CATCHUP_MINUTES: '0' }).feeds.gmailCatchupMinutes).toBe(0);
  });
});
