/** Jest runs the TypeScript sources as ES modules through SWC. */
const swcOptions = {
  jsc: {
    target: 'es2022',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
  },
  module: { type: 'es6' },
};

export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Exhaustive sweeps in *.slow.test.ts run only with SEALBID_SLOW_TESTS=1 (npm run test:slow).
  testPathIgnorePatterns: process.env.SEALBID_SLOW_TESTS === '1' ? ['/node_modules/'] : ['/node_modules/', '\\.slow\\.test\\.ts$'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['@swc/jest', swcOptions] },
  globalSetup: '<rootDir>/test/global-setup.mjs',
  testTimeout: 60000,
};
