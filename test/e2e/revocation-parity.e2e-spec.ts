import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  agrees,
  reproduction,
  runRevocationParity,
  summary,
} from '../support/revocation-parity.js';

/** How many generated cases, from which seed (printed), and one of them alone by index. */
const CASES = Number(process.env.REVOCATION_CASES ?? 300);
const SEED = Number(process.env.REVOCATION_SEED ?? randomInt(2 ** 31));
const ONLY =
  process.env.REVOCATION_ONLY === undefined ? undefined : Number(process.env.REVOCATION_ONLY);

describe('revocation, proven by generation: the handshake and the TypeScript verifier agree', () => {
  it(
    `gives ${CASES} generated bundles, leaves and CRLs one verdict (seed ${SEED})`,
    async () => {
      const run = await runRevocationParity(SEED, CASES, ONLY);
      process.stdout.write(`${summary(run)}\n`);
      const failing = run.rows.filter((row) => !agrees(row.outcome));
      for (const row of failing.slice(0, 3)) {
        process.stdout.write(`${await reproduction(run, row)}\n`);
      }
      expect(
        failing.map((row) => `#${row.index}: ${row.built.description}`),
        `seed ${SEED}`,
      ).toEqual([]);
      if (ONLY !== undefined) return;
      // Not one-sided: accepted, revoked and otherwise refused leaves are all generated, and most
      // configurations start.
      const said = (code: string) =>
        run.rows.filter((r) => r.outcome.kind === 'judged' && r.outcome.openssl === code).length;
      const startUp = run.rows.filter((r) => r.outcome.kind === 'start-up').length;
      expect(said('OK')).toBeGreaterThan(CASES / 10);
      expect(said('CERT_REVOKED')).toBeGreaterThan(CASES / 20);
      expect(startUp).toBeLessThan(CASES / 5);
    },
    30 * 60_000,
  );
});
