/**
 * Two projects in one run: the main suite (unit, workflow, e2e, replay, browser) and the
 * adversarial suite. Global setup, teardown, sequencer and reporters are run-level options, so the
 * one Temporal dev server starts once and the count line counts both projects.
 */
const shared = {
  testEnvironment: 'node',
  transform: { '^.+\\.(tsx?|mjs)$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  // @composio/core ships ES modules only; compile it for Jest's CommonJS runtime.
  transformIgnorePatterns: ['/node_modules/(?!@composio/)'],
  setupFiles: ['<rootDir>/test/helpers/setup-runtime.ts'],
};

module.exports = {
  projects: [
    { ...shared, displayName: 'paprika', testMatch: ['<rootDir>/test/**/*.test.ts'], testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/adversarial/'] },
    { ...shared, displayName: 'adversarial', testMatch: ['<rootDir>/test/adversarial/**/*.test.ts'] },
  ],
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
  testSequencer: '<rootDir>/test/helpers/sequencer.js',
  testTimeout: 120_000,
  maxWorkers: 1,
  reporters: ['default', '<rootDir>/test/helpers/count-reporter.js'],
};
