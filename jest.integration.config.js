// Integration tests against a real Keycloak (test/integration, see docs/keycloak.md):
// `npm run test:integration` (Keycloak from the Maven distribution) and
// `npm run test:integration:docker` (Keycloak in a container). The unit config's transform;
// one worker, because every Keycloak start takes most of the CPU for 30-60 s.
import base from './jest.config.js';

/** @type {import('jest').Config} */
export default {
  ...base,
  roots: ['<rootDir>/test/integration'],
  testPathIgnorePatterns: ['/node_modules/'],
  maxWorkers: 1,
  testTimeout: 120_000,
  slowTestThreshold: 60,
  verbose: true,
};
