// npm run fuzz:parity -- [--cases N] [--seed S] [--only I]
// The generated differential test of trust (test/e2e/trust-parity.e2e-spec.ts), with more cases
// than `npm test` runs: each forged client chain presented over TLS to the running service, with
// and without its chain, through a trusted proxy (the leaf alone, and with the chain in the forms
// proxies forward it), and to the doctor's code; all must agree.
// A failure prints its seed: `--seed S` runs the same cases again, `--only I` one of them.
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '20000' },
    seed: { type: 'string' },
    only: { type: 'string' },
  },
});
for (const [name, value] of Object.entries(values)) {
  if (value !== undefined && !/^\d+$/.test(value)) {
    console.error(`--${name} ${value}: give a whole number`);
    process.exit(2);
  }
}
const env = { ...process.env, PARITY_CASES: values.cases };
if (values.seed !== undefined) env.PARITY_SEED = values.seed;
if (values.only !== undefined) env.PARITY_ONLY = values.only;
const run = spawnSync('npx', ['vitest', 'run', 'test/e2e/trust-parity.e2e-spec.ts'], {
  stdio: 'inherit',
  env,
});
process.exit(run.status ?? 1);
