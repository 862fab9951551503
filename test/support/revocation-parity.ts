import { X509Certificate } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import {
  resolveMtlsAuthOptions,
  resolveTrust,
} from '../../packages/nest-mtls-auth/src/options/resolve-options.js';
import { securityLevelOf } from '../../packages/nest-mtls-auth/src/tls/security-level.js';
import { CertificatePolicy } from '../../packages/nest-mtls-auth/src/x509/certificate-policy.js';
import { splitPemCrls } from '../../packages/nest-mtls-auth/src/x509/crl-set.js';
import { TrustStore } from '../../packages/nest-mtls-auth/src/x509/trust-store.js';
import {
  buildRevocationCase,
  createWorld,
  revocationPlan,
  simplerPlans,
  type RevocationCase,
  type RevocationPlan,
  type World,
} from '../../packages/nest-mtls-auth/test/support/forge/index.js';
import { doctorFor, opensslSays } from './attack-kit.js';
import type { Verdict } from './trust-parity.js';

/**
 * The differential test of revocation: generated bundles, leaves and CRLs (forge
 * revocation-cases.ts), each judged by Node's own handshake with the service's server options
 * (`opensslSays`, the oracle) and by the service's TypeScript (the doctor's forwarded and direct
 * verdicts, and the direct path given the handshake's answer).
 */

/** What one case came to. */
export type RevocationOutcome =
  /** The service refuses the configuration at start-up (not compared); what Node says of it. */
  | { readonly kind: 'start-up'; readonly service: string; readonly node: string }
  /** The service starts with it, Node's TLS context does not: a disagreement. */
  | { readonly kind: 'node-refused'; readonly node: string }
  | {
      readonly kind: 'judged';
      /** Node's `authorizationError` code, or `OK`. */
      readonly openssl: string;
      /** The direct path's verdict given that answer (`CertificatePolicy.evaluateHandshake`). */
      readonly direct: Verdict;
      /** The doctor's forwarded verdict (the leaf alone, judged in TypeScript). */
      readonly forwarded: Verdict;
      /** The doctor's direct verdict (the TypeScript verifier's last error as the handshake's). */
      readonly doctorDirect: Verdict;
      /** The TypeScript verifier's last error as Node names it (`OK` when it accepts). */
      readonly lastError: string;
    };

/** One case of a run. */
export interface RevocationRow {
  readonly index: number;
  readonly built: RevocationCase;
  readonly outcome: RevocationOutcome;
}

/**
 * `true` when every way gives the handshake's verdict, and the verifier ends on the handshake's
 * error (the doctor explains a refusal with it). Start-up refusals are not compared.
 */
export function agrees(outcome: RevocationOutcome): boolean {
  if (outcome.kind === 'start-up') return true;
  if (outcome.kind === 'node-refused') return false;
  return (
    outcome.forwarded === outcome.direct &&
    outcome.doctorDirect === outcome.direct &&
    outcome.lastError === outcome.openssl
  );
}

/** The judges of one world: its CAs, and the server's security level read once. */
export class RevocationJudge {
  private readonly level = securityLevelOf();

  constructor(readonly world: World) {}

  /** Builds the plan at `now` and judges it. */
  async judgePlan(
    plan: RevocationPlan,
    now = Date.now(),
  ): Promise<{ built: RevocationCase; outcome: RevocationOutcome }> {
    const built = buildRevocationCase(this.world, plan, Math.floor(now / 1000) * 1000);
    return { built, outcome: await this.judge(built) };
  }

  async judge(c: RevocationCase): Promise<RevocationOutcome> {
    const node = nodeLoads(c);
    try {
      resolveTrust(c.bundlePem, c.crlPem);
    } catch (error) {
      return { kind: 'start-up', service: (error as Error).message, node };
    }
    if (node !== 'loads') return { kind: 'node-refused', node };
    const presented = { leafPem: c.leaf.pem, keyPem: c.leaf.keyPem, sentPems: [] };
    const openssl = await opensslSays(this.world, c.bundlePem, presented, c.crlPem);
    const now = Date.now();
    const leaf = new X509Certificate(c.leaf.der);
    const explained = await doctorFor(c.bundlePem, c.crlPem, this.level).explain(leaf, [], now);
    // The direct path as the service runs it: the handshake's verdict, then the policy (compiled
    // as TrustConfiguration compiles it).
    const resolved = resolveMtlsAuthOptions({
      trustedCa: c.bundlePem,
      crl: c.crlPem,
      trustedProxyIdentities: ['trusted-proxy'],
      securityLevel: this.level,
    });
    const policy = new CertificatePolicy({
      trustStore: new TrustStore(resolved.cas),
      allowedTypes: resolved.allowedCertificateTypes,
      pins: resolved.pins,
      revocation: resolved.revocation,
      securityLevel: resolved.securityLevel,
    });
    const tls = openssl === 'OK' ? { authorized: true } : { authorized: false, error: openssl };
    const direct = policy.evaluateHandshake(leaf, tls, () => [], now);
    const verdict = policy.chainVerifier.verify(leaf, [], now);
    return {
      kind: 'judged',
      openssl,
      direct: direct.ok ? 'accepted' : direct.code,
      forwarded: explained.verdicts.forwarded,
      doctorDirect: explained.verdicts.direct,
      lastError: asNodeNames(
        verdict.ok ? 'OK' : (verdict.errors[verdict.errors.length - 1]?.code ?? '?'),
      ),
    };
  }

  /**
   * The simplest plan found from `plan` (a CRL, entry, extension, distribution point or CA fewer
   * at a time) whose outcome still disagrees; at most `budget` judgements.
   */
  async shrink(
    plan: RevocationPlan,
    budget = 300,
  ): Promise<{ plan: RevocationPlan; built: RevocationCase; outcome: RevocationOutcome }> {
    let best = { plan, ...(await this.judgePlan(plan)) };
    let spent = 1;
    for (let progress = true; progress && spent < budget;) {
      progress = false;
      for (const candidate of simplerPlans(best.plan)) {
        if (spent++ >= budget) break;
        const judged = await this.judgePlan(candidate);
        if (!agrees(judged.outcome)) {
          best = { plan: candidate, ...judged };
          progress = true;
          break;
        }
      }
    }
    return best;
  }
}

/**
 * The codes Node names in `authorizationError` (`X509ErrorCode`, src/crypto/crypto_common.cc; the
 * list in doc/api/errors.md): any other OpenSSL error reads `UNSPECIFIED` (KEYUSAGE_NO_CRL_SIGN,
 * UNHANDLED_CRITICAL_CRL_EXTENSION, DIFFERENT_CRL_SCOPE, ...).
 */
const NODE_NAMES: ReadonlySet<string> = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_CRL',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECRYPT_CRL_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CERT_SIGNATURE_FAILURE',
  'CRL_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'CRL_NOT_YET_VALID',
  'CRL_HAS_EXPIRED',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'ERROR_IN_CRL_LAST_UPDATE_FIELD',
  'ERROR_IN_CRL_NEXT_UPDATE_FIELD',
  'OUT_OF_MEM',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_CHAIN_TOO_LONG',
  'CERT_REVOKED',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'HOSTNAME_MISMATCH',
]);

/** An OpenSSL verification error as Node's `authorizationError.code` names it. */
export function asNodeNames(code: string): string {
  return code === 'OK' || NODE_NAMES.has(code) ? code : 'UNSPECIFIED';
}

/** What Node's TLS context says of the bundle and CRLs: `loads`, or its error. */
function nodeLoads(c: RevocationCase): string {
  try {
    createSecureContext({ ca: c.bundlePem, crl: splitPemCrls(c.crlPem) });
    return 'loads';
  } catch (error) {
    return (error as Error).message;
  }
}

/** A run: its seed, each case, and how long it took. */
export interface RevocationRun {
  readonly seed: number;
  readonly rows: readonly RevocationRow[];
  readonly seconds: number;
  readonly judge: RevocationJudge;
}

/** Judges cases `0 .. cases - 1` of `seed` (or only case `only`), in one world made from `seed`. */
export async function runRevocationParity(
  seed: number,
  cases: number,
  only?: number,
): Promise<RevocationRun> {
  const started = performance.now();
  const judge = new RevocationJudge(createWorld(seed));
  const rows: RevocationRow[] = [];
  for (let index = 0; index < cases; index++) {
    if (only !== undefined && index !== only) continue;
    const { built, outcome } = await judge.judgePlan(revocationPlan(seed, index));
    rows.push({ index, built, outcome });
  }
  return { seed, rows, seconds: (performance.now() - started) / 1000, judge };
}

/** One line: how many cases, agreements and start-up refusals, and what the handshake said. */
export function summary(run: RevocationRun): string {
  const startUp = run.rows.filter((r) => r.outcome.kind === 'start-up');
  const alsoNode = startUp.filter(
    (r) => r.outcome.kind === 'start-up' && r.outcome.node !== 'loads',
  );
  const agreed = run.rows.filter((r) => r.outcome.kind !== 'start-up' && agrees(r.outcome));
  const said = new Map<string, number>();
  for (const row of run.rows) {
    if (row.outcome.kind !== 'judged') continue;
    said.set(row.outcome.openssl, (said.get(row.outcome.openssl) ?? 0) + 1);
  }
  const counts = [...said].sort((a, b) => b[1] - a[1]).map(([code, n]) => `${code} ${n}`);
  return (
    `revocation parity: ${run.rows.length} cases, seed ${run.seed} (REVOCATION_SEED=${run.seed} runs them again), ` +
    `${agreed.length} of ${run.rows.length - startUp.length} agreed, ${startUp.length} start-up refusals ` +
    `(${alsoNode.length} of them Node's too), ${run.seconds.toFixed(1)} s; handshake: ${counts.join(', ')}`
  );
}

/** A disagreement, shrunk, with everything needed to see it again: plan, answers and PEMs. */
export async function reproduction(run: RevocationRun, row: RevocationRow): Promise<string> {
  const small = await run.judge.shrink(row.built.plan);
  const lines = [
    `case ${row.index} of seed ${run.seed} (REVOCATION_SEED=${run.seed} REVOCATION_ONLY=${row.index}):`,
    `  as generated: ${row.built.description}`,
    `  ${answers(row.outcome)}`,
    `  shrunk to: ${small.built.description}`,
    `  ${answers(small.outcome)}`,
    `  bundle:\n${small.built.bundlePem}`,
    `  leaf:\n${small.built.leaf.pem}`,
    `  CRLs:\n${small.built.crlPem}`,
  ];
  return lines.join('\n');
}

function answers(outcome: RevocationOutcome): string {
  switch (outcome.kind) {
    case 'start-up':
      return `the service does not start: ${outcome.service} (Node: ${outcome.node})`;
    case 'node-refused':
      return `the service starts, Node's TLS context does not: ${outcome.node}`;
    case 'judged':
      return `handshake ${outcome.openssl} -> direct ${outcome.direct}; forwarded ${outcome.forwarded}; doctor direct ${outcome.doctorDirect}; the verifier's last error ${outcome.lastError}`;
  }
}
