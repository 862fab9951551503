// Loaded with `node --import` by test/e2e/startup-imports.e2e-spec.ts: records the URL of every
// module the process loads, and writes them, one per line, to LOADED_MODULES_FILE when it exits.
import { writeFileSync } from 'node:fs';
import process from 'node:process';
import { registerHooks } from 'node:module';

const loaded = [];
registerHooks({
  load(url, context, nextLoad) {
    loaded.push(url);
    return nextLoad(url, context);
  },
});
process.on('exit', () => writeFileSync(process.env.LOADED_MODULES_FILE, loaded.join('\n')));
