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

// Scenario tests that run a second time with the store on PostgreSQL (the store's own unit tests
// already run on both engines). Chosen to cover every table: chat and transcript, stream, feeds
// and context search, approvals and the ledger, tasks, follow-ups, named agents, retention, users.
const ON_POSTGRES = [
  'chat', 'stream', 'feeds-webhook', 'feeds-ids', 'dedupe', 'approval', 'approval-race', 'cancel',
  'non-blocking', 'follow-up', 'named-agent', 'retention', 'turn-reads', 'cross-user', 'users',
];

module.exports = {
  projects: [
    { ...shared, displayName: 'paprika', testMatch: ['<rootDir>/test/**/*.test.ts'], testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/adversarial/'] },
    { ...shared, displayName: 'adversarial', testMatch: ['<rootDir>/test/adversarial/**/*.test.ts'] },
    {
      ...shared,
      displayName: 'postgres',
      setupFiles: [...shared.setupFiles, '<rootDir>/test/helpers/use-postgres.ts'],
      testMatch: ON_POSTGRES.map((name) => `<rootDir>/test/e2e/${name}.test.ts`),
    },
  ],
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
  testSequencer: '<rootDir>/test/helpers/sequencer.js',
  testTimeout: 120_000,
  maxWorkers: 1,
  reporters: ['default', '<rootDir>/test/helpers/count-reporter.js'],
};
