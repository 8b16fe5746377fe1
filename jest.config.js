/** Unit, workflow (real dev server), replay, e2e and browser tests, in one run. */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.(tsx?|mjs)$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  // @composio/core ships ES modules only; compile it for Jest's CommonJS runtime.
  transformIgnorePatterns: ['/node_modules/(?!@composio/)'],
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  setupFiles: ['<rootDir>/test/helpers/setup-runtime.ts'],
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
  testSequencer: '<rootDir>/test/helpers/sequencer.js',
  testTimeout: 120_000,
  maxWorkers: 1,
  reporters: ['default', '<rootDir>/test/helpers/count-reporter.js'],
};
