import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useTestPki } from '../../packages/nest-mtls-auth/test/support/test-pki.js';
import { agrees, CHAIN_FORMS, describeRow, runParity } from '../support/trust-parity.js';

const pki = useTestPki();

/** How many generated cases (`npm run fuzz:parity -- --cases N` sets more) and from which seed. */
const CASES = Number(process.env.PARITY_CASES ?? 2000);
const SEED = Number(process.env.PARITY_SEED ?? randomInt(2 ** 31));
/** One case of the run, by index, to look at it alone (`PARITY_ONLY=195`). */
const ONLY = process.env.PARITY_ONLY === undefined ? undefined : Number(process.env.PARITY_ONLY);

describe('one verdict, proven by generation: the handshake, a trusted proxy (the leaf alone, and with the chain) and the doctor agree', () => {
  it(
    `gives ${CASES} generated client certificates the same answer on every way (seed ${SEED})`,
    async () => {
      const disagreements: string[] = [];
      const run = await runParity(
        pki,
        SEED,
        CASES,
        (row) => {
          if (!agrees(row)) disagreements.push(describeRow(row));
        },
        ONLY,
      );
      const count = (verdict: string) => run.rows.filter((r) => r.direct === verdict).length;
      const accepted = count('accepted');
      const codes = new Map<string, number>();
      for (const row of run.rows) codes.set(row.direct, (codes.get(row.direct) ?? 0) + 1);
      process.stdout.write(
        `trust parity: ${run.rows.length} cases, seed ${run.seed} (PARITY_SEED=${run.seed} runs them again), ${run.seconds.toFixed(1)} s; direct verdicts: ${[...codes].map(([c, n]) => `${c} ${n}`).join(', ')}\n`,
      );
      const chainRows = (bounds: string) => run.rows.filter((r) => r.chainBounds === bounds).length;
      const rescued = run.rows.filter(
        (r) => r.forwardedChain === 'accepted' && r.forwarded !== 'accepted',
      ).length;
      process.stdout.write(
        `forwarded with the chain (${CHAIN_FORMS.join(', ')} in turn): ${chainRows('within')} within the bounds, ${chainRows('package')} over the service's (10 certificates, 16 KiB), ${chainRows('node')} near Node's 16 KiB; ${rescued} accepted only with their chain\n`,
      );
      if (disagreements.length > 0) {
        process.stdout.write(
          `${disagreements.length} disagreements (seed ${run.seed}):\n${disagreements.slice(0, 40).join('\n')}\n`,
        );
      }
      expect(disagreements, `seed ${run.seed}`).toEqual([]);
      if (ONLY !== undefined) return;
      expect(run.rows).toHaveLength(CASES);
      // Not one-sided: both acceptances and refusals are generated.
      expect(accepted).toBeGreaterThan(CASES / 5);
      expect(CASES - accepted).toBeGreaterThan(CASES / 5);
      // The forwarded chain matters: callers refused on their leaf alone are accepted with it.
      expect(rescued).toBeGreaterThan(CASES / 50);
    },
    30 * 60_000,
  );
});
