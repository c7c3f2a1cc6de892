// jest under native ESM (see ../shared/TOOLCHAIN.md): swc transform, .js specifiers mapped to .ts sources.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      keepClassNames: true,
      target: 'es2022',
      // Keep `with { type: 'json' }` on JSON imports (the shipped track definitions): Node and jest require it.
      experimental: { keepImportAttributes: true },
    },
    module: { type: 'es6' },
  },
];

// @nestjs/throttler is CommonJS and require()s the ESM-only @nestjs/common 12 and @nestjs/core 12. Node ≥ 20.19
// does that natively; jest on Node 20 cannot, so those two packages are compiled to CommonJS by swc when they are
// require()d (and passed through as ESM when imported). Jest on Node ≥ 24.9 would not need this.
const nestEsm = ['@swc/jest', { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022', keepClassNames: true } }];

// Every project: jest's Node environment that keeps an error escaping a finished test file from ending the process
// (test/support/test-environment.ts), and the run's global setup and teardown (PostgreSQL for medium and e2e; at the
// end, whatever the run left running is stopped and its temporary folders removed, and late errors fail the run).
const common = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': swc, '/node_modules/@nestjs/(common|core)/.+\\.js$': nestEsm },
  transformIgnorePatterns: ['/node_modules/(?!@nestjs/(common|core)/)'],
  testEnvironment: '<rootDir>/test/support/test-environment.ts',
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
};

// Tests that start servers or workflows wait on other processes: on 2 shared cores jest's default 5 s per test (and per
// hook) is a coin toss, and a test timed out while a Temporal call is pending leaves that call retrying into the
// teardown. A test that hangs still fails, after 60 s. jest-circus reads testTimeout from the global configuration
// only (a project's own testTimeout is ignored), so it is set once for the whole run, below.
const TEST_TIMEOUT_MS = 60_000;

/** @type {import('jest').Config} */
export default {
  testTimeout: TEST_TIMEOUT_MS,
  // Each test file loads its own copy of NestJS, the Temporal SDK and webpack (the workflow bundle) into jest's module
  // registry, and not all of it is collected after the file: run in band, the whole suite's files reached the 4 GB heap
  // (CI: out of memory 1,000 s in). A worker whose heap is over 1 GB after a file is replaced by a fresh one. (With
  // this set, jest runs files in a worker even on one core, never in its own process.)
  workerIdleMemoryLimit: '1GB',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.spec.ts'] },
    // Controllers behind the API's real guards, pipe and filter, their services mocked: no PostgreSQL, no Temporal.
    { ...common, displayName: 'controller', testMatch: ['<rootDir>/test/controller/**/*.spec.ts'] },
    // Repositories (and the one workflow test with the production activities) against a real PostgreSQL.
    { ...common, displayName: 'medium', testMatch: ['<rootDir>/test/medium/**/*.spec.ts'] },
    // Workflows on Temporal's test servers with activity fakes (test/support/fake-activities.ts): no PostgreSQL.
    { ...common, displayName: 'workflow', testMatch: ['<rootDir>/test/workflow/**/*.spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.spec.ts'] },
  ],
};
