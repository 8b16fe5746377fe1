/**
 * Three projects in one run: the main suite (unit, workflow, e2e, replay, browser), the
 * adversarial suite, and a set of scenarios again on PostgreSQL. Global setup, teardown, sequencer
 * and reporters are run-level options, so the one Temporal dev server and the one PostgreSQL
 * server start once and the count line counts every project.
 */
const shared = {
  testEnvironment: 'node',
  transform: { '^.+\\.(tsx?|mjs)$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  // @composio/core ships ES modules only; compile it for Jest's CommonJS runtime.
  transformIgnorePatterns: ['/node_modules/(?!@composio/)'],
  setupFiles: ['<rootDir>/test/helpers/setup-runtime.ts'],
};

// Every scenario and browser test runs a second time with the store on PostgreSQL (the store's own
// unit tests already run on both engines), but for four: scale-out runs on Postgres already and
// replaces kill-worker there; eval-harness grades the model's answers and feeds-calendar waits on
// real minutes, neither touching more of the store than the others do.
const NOT_ON_POSTGRES = ['eval-harness', 'feeds-calendar', 'scale-out', 'kill-worker'];

module.exports = {
  projects: [
    { ...shared, displayName: 'paprika', testMatch: ['<rootDir>/test/**/*.test.ts'], testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/adversarial/'] },
    { ...shared, displayName: 'adversarial', testMatch: ['<rootDir>/test/adversarial/**/*.test.ts'] },
    {
      ...shared,
      displayName: 'postgres',
      setupFiles: [...shared.setupFiles, '<rootDir>/test/helpers/use-postgres.ts'],
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts', '<rootDir>/test/browser/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', ...NOT_ON_POSTGRES.map((name) => `/test/e2e/${name}\\.test\\.ts$`)],
    },
  ],
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
  testSequencer: '<rootDir>/test/helpers/sequencer.js',
  testTimeout: 120_000,
  maxWorkers: 1,
  reporters: ['default', '<rootDir>/test/helpers/count-reporter.js'],
};
