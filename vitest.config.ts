import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// SWC compiles the tests and the sources they import with decorator metadata, which Nest's
// dependency injection reads (esbuild does not emit it). The `source` condition makes
// `import 'nest-mtls-auth'` load the package's TypeScript, so tests need no build first.
const REPLICAS = 'test/e2e/replicas-behind-a-balancer.e2e-spec.ts';

export default defineConfig({
  plugins: [swc.vite({ module: { type: 'es6' } })],
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    projects: [
      'packages/*/vitest.config.ts',
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.spec.ts'], environment: 'node' },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/**/*.e2e-spec.ts'],
          exclude: [REPLICAS],
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
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
