import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// SWC compiles the tests and the sources they import with decorator metadata, which Nest's
// dependency injection reads (esbuild does not emit it). The `source` condition makes
// `import 'nest-mtls-auth'` load the package's TypeScript, so most tests need no build.
const REPLICAS = 'test/e2e/replicas-behind-a-balancer.e2e-spec.ts';

// The tests that run or read the build as a user does (the built service, `dist/healthcheck.js`,
// the package's published types). Their projects build dist/ first when it is missing or older
// than the sources (test/global-setup.ts), so `npm test` needs no build and never tests stale
// code; a run without them (the spec you are editing) pays nothing. Add such a test here.
const USES_DIST = [
  'test/e2e/startup-errors.e2e-spec.ts',
  'test/e2e/graceful-shutdown.e2e-spec.ts',
  'test/e2e/container-healthcheck.e2e-spec.ts',
  'test/unit/testing-kit-types.spec.ts',
];
const BUILD_IF_STALE = ['test/global-setup.ts'];

export default defineConfig({
  plugins: [swc.vite({ module: { type: 'es6' } })],
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    projects: [
      'packages/*/vitest.config.ts',
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.spec.ts'],
          exclude: USES_DIST,
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          // Anywhere under test/: test/e2e, the sample's, test/features (yours).
          include: ['test/**/*.e2e-spec.ts'],
          exclude: [REPLICAS, ...USES_DIST],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e-dist',
          include: USES_DIST,
          globalSetup: BUILD_IF_STALE,
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // Six service processes and HAProxy: run after every other file, alone, so that their
        // start-up load does not fall on the tests that measure server CPU.
        extends: true,
        test: {
          name: 'e2e-replicas',
          include: [REPLICAS],
          globalSetup: BUILD_IF_STALE,
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
