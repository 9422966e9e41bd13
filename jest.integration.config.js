// Integration tests against a real Keycloak (test/integration, see docs/keycloak.md):
// `npm run test:integration`. Same swc ESM transform as jest.config.js; one worker, because
// every Keycloak start takes most of the CPU for 30-60 s.
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/integration'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['@swc/jest', {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'es6' },
    }],
  },
  maxWorkers: 1,
  testTimeout: 120_000,
  slowTestThreshold: 60,
  verbose: true,
};
