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
