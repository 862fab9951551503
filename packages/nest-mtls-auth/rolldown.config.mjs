// The published JavaScript: tsc's output (dist/, with its decorator metadata) bundled per entry
// into dist/bundle/, each dependency left an import. Why: a service imports the whole package at
// start-up, and ~100 modules cost ~30 ms to resolve, read and link where one costs ~14 ms
// (npm run bench:startup). One build for every entry, so the entries share one copy of each class
// (a DI token or an `instanceof` across entries stays one class); what is loaded on first use
// (the OCSP codec) stays a chunk of its own. The declarations stay tsc's (dist/**/*.d.ts).
import { builtinModules } from 'node:module';

const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

export default {
  input: {
    index: 'dist/index.js',
    'testing/index': 'dist/testing/index.js',
    'testing/ports': 'dist/testing/ports.js',
  },
  // Every bare specifier (a dependency, a peer, a Node built-in) stays an import.
  external: (id) => builtins.has(id) || !(id.startsWith('.') || id.startsWith('/')),
  platform: 'node',
  output: {
    dir: 'dist/bundle',
    format: 'esm',
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
    keepNames: true,
    // The code the entries share is one chunk named for the package (in stack traces too).
    codeSplitting: {
      groups: [{ name: 'nest-mtls-auth', test: /\/dist\/(?!testing\/|ocsp\/ocsp\.js$)/ }],
    },
    sourcemap: false,
  },
};
