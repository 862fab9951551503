import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// The package's own tests (npm test -w nest-mtls-auth), also a project of the root run. SWC
// emits the decorator metadata Nest's dependency injection reads (esbuild does not).
export default defineConfig({
  plugins: [swc.vite({ module: { type: 'es6' } })],
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    name: 'nest-mtls-auth',
    root: import.meta.dirname,
    include: ['test/**/*.spec.ts', 'test/**/*.e2e-spec.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
