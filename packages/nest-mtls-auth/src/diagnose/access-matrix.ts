import type { X509Certificate } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { Authenticator } from '../authentication/authenticator.js';
import { ClientCertAuthenticator } from '../nest/client-cert.authenticator.js';
import { ClientCertStrategy } from '../nest/client-cert.strategy.js';
import { MTLS_AUTH_OPTIONS } from '../nest/mtls-auth.constants.js';
import type { Enforcement, MtlsAuthModuleOptions } from '../options/mtls-auth-options.js';
import { MtlsReasonCode, REASON_DESCRIPTIONS } from '../x509/reason-code.js';
import { describeRoutes } from './describe-routes.js';

/** A known caller: a name for the column, and the certificate it presents. */
export interface PolicyCaller {
  readonly name: string;
  readonly certificate: X509Certificate;
  /** The CA certificates it sends after its own, if any. */
  readonly presented?: readonly X509Certificate[];
}

/** One route of the matrix: what each caller gets, in the order of {@link AccessMatrix.callers}. */
export interface AccessRow {
  readonly method: string;
  readonly path: string;
  readonly controller: string;
  /**
   * Per caller: `public`, `allowed`, `allowed + bound token` (`@RequireBoundToken()`),
   * `401 <code>` or `403 <code>`, or `allowed (report-only, 403 <code>)`.
   */
  readonly cells: readonly string[];
}

/** Who may call what: known callers by route, as the guards decide. */
export interface AccessMatrix {
  readonly enforcement: Enforcement;
  readonly callers: readonly string[];
  readonly rows: readonly AccessRow[];
}

/**
 * The access matrix of an initialised application: for every route and every caller, what the
 * guards would answer, decided by the code they run (the application's `ClientCertAuthenticator`
 * for the certificate and the service-wide rules, its strategy's `validate()`, each route's
 * `@AllowServices()` and enforcement), without sending a request. A certificate is judged as a
 * forwarded one is (the same verdict as over TLS: the two are held equal by the parity tests).
 *
 * @param options.trustedCa judge the callers against this CA instead of the application's (for
 *   callers made up for the occasion: `npm run policy -- --identity <name>`).
 */
export async function accessMatrix(
  app: INestApplicationContext,
  callers: readonly PolicyCaller[],
  options: { readonly trustedCa?: string | Buffer } = {},
): Promise<AccessMatrix> {
  const own = app.get(ClientCertAuthenticator);
  const authenticator =
    options.trustedCa === undefined
      ? own
      : new Authenticator(
          { ...app.get<MtlsAuthModuleOptions>(MTLS_AUTH_OPTIONS), trustedCa: options.trustedCa },
          { warn: () => undefined },
        );
  try {
    const strategy = app.get(ClientCertStrategy, { strict: false });
    const routes = describeRoutes(app);
    const validated = new Map<PolicyCaller, boolean>();
    const rows: AccessRow[] = [];
    for (const route of routes) {
      const cells: string[] = [];
      for (const caller of callers) {
        if (route.isPublic) {
          cells.push('public');
          continue;
        }
        const { outcome, verdict } = authenticator.judgeCertificate(
          caller.certificate,
          caller.presented ?? [],
          route.rule,
        );
        if (!outcome.ok || !verdict) {
          cells.push(refusal(outcome.ok ? MtlsReasonCode.CertUntrusted : outcome.code));
          continue;
        }
        let valid = validated.get(caller);
        if (valid === undefined) {
          valid = await passesStrategy(strategy, outcome.identity);
          validated.set(caller, valid);
        }
        if (!valid) cells.push(refusal(MtlsReasonCode.ServiceForbidden));
        else if (verdict.code !== undefined && verdict.enforced) cells.push(refusal(verdict.code));
        else {
          const allowed = route.requireBoundToken ? 'allowed + bound token' : 'allowed';
          cells.push(
            verdict.code === undefined
              ? allowed
              : `${allowed} (report-only, ${refusal(verdict.code)})`,
          );
        }
      }
      rows.push({ method: route.method, path: route.path, controller: route.controller, cells });
    }
    return {
      enforcement: authenticator.enforcement,
      callers: callers.map((c) => c.name),
      rows: rows.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method)),
    };
  } finally {
    if (authenticator !== own) authenticator.close();
  }
}

/**
 * The matrix as aligned plain text, one line per route: stable, so that a committed copy shows a
 * change of who may call what as a one-line diff in review.
 */
export function renderAccessMatrix(matrix: AccessMatrix): string {
  const header = ['route', ...matrix.callers];
  const lines = matrix.rows.map((r) => [`${r.method} ${r.path}`, ...r.cells]);
  const widths = header.map((_, i) =>
    Math.max(...[header, ...lines].map((cells) => (cells[i] ?? '').length)),
  );
  const format = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return `${[
    `# Who may call what (enforcement: ${matrix.enforcement})`,
    format(header),
    ...lines.map(format),
  ].join('\n')}\n`;
}

function refusal(code: MtlsReasonCode): string {
  return `${REASON_DESCRIPTIONS[code].status} ${code}`;
}

/** Whether the strategy lets the identity in, as the guard asks it (a throw refuses). */
async function passesStrategy(
  strategy: ClientCertStrategy | undefined,
  identity: Parameters<ClientCertStrategy['validate']>[0],
): Promise<boolean> {
  if (!strategy) return true;
  try {
    return !!(await strategy.validate(identity));
  } catch {
    // A strategy that throws refuses the caller, as the guard's answer would.
    return false;
  }
}
