import type { X509Certificate } from 'node:crypto';
import type { ModulesContainer, Reflector } from '@nestjs/core';
import { Authenticator } from '../authentication/authenticator.js';
import type { Enforcement, MtlsAuthModuleOptions } from '../options/mtls-auth-options.js';
import type { CertificateIdentity } from '../x509/client-identity.js';
import { MtlsReasonCode, REASON_DESCRIPTIONS } from '../x509/reason-code.js';
import { declaredRoutes } from './declared-routes.js';

/** A known caller: a name for the column, and the certificate it presents. */
export interface PolicyCaller {
  readonly name: string;
  readonly certificate: X509Certificate;
  /** The CA certificates it sends after its own, if any. */
  readonly presented?: readonly X509Certificate[];
  /**
   * Judge this caller against this CA instead of the application's (a caller made up for the
   * occasion, issued by a CA of its own: `npm run policy -- --identity <name>`).
   */
  readonly trustedCa?: string | Buffer;
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
  /**
   * The matrix as aligned plain text, one line per route: stable, so that a committed copy shows
   * a change of who may call what as a one-line diff in review.
   */
  readonly text: string;
}

/** What the matrix is computed from: the application's own parts. */
export interface AccessMatrixSources {
  readonly modules: ModulesContainer;
  readonly reflector: Reflector;
  readonly authenticator: Authenticator;
  /** The module's options (to judge made-up callers against another CA). */
  readonly options: MtlsAuthModuleOptions;
  /** The application's strategy, if any. */
  readonly validate: ((identity: CertificateIdentity) => unknown) | undefined;
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
  sources: AccessMatrixSources,
  callers: readonly PolicyCaller[],
  options: { readonly trustedCa?: string | Buffer } = {},
): Promise<AccessMatrix> {
  const own = sources.authenticator;
  // One authenticator per other CA (the application's own options otherwise), closed at the end.
  const others = new Map<string | Buffer, Authenticator>();
  const authenticatorOf = (caller: PolicyCaller): Authenticator => {
    const ca = caller.trustedCa ?? options.trustedCa;
    if (ca === undefined) return own;
    let other = others.get(ca);
    if (!other) {
      other = new Authenticator({ ...sources.options, trustedCa: ca }, { warn: () => undefined });
      others.set(ca, other);
    }
    return other;
  };
  try {
    const routes = declaredRoutes(sources.modules, sources.reflector).map((r) => ({
      method: r.method,
      path: r.path,
      controller: r.controller.name,
      isPublic: r.metadata.isPublic,
      requireBoundToken: r.metadata.requireBoundToken,
      rule: r.metadata.rule,
    }));
    const validated = new Map<PolicyCaller, boolean>();
    const rows: AccessRow[] = [];
    for (const route of routes) {
      const cells: string[] = [];
      for (const caller of callers) {
        if (route.isPublic) {
          cells.push('public');
          continue;
        }
        const { outcome, verdict } = authenticatorOf(caller).judgeCertificate(
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
          valid = await passesStrategy(sources.validate, outcome.identity);
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
    const matrix = {
      enforcement: own.enforcement,
      callers: callers.map((c) => c.name),
      rows: rows.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method)),
    };
    return { ...matrix, text: renderAccessMatrix(matrix) };
  } finally {
    for (const other of others.values()) other.close();
  }
}

/**
 * The matrix as aligned plain text, one line per route: stable, so that a committed copy shows a
 * change of who may call what as a one-line diff in review.
 */
export function renderAccessMatrix(matrix: Omit<AccessMatrix, 'text'>): string {
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
  validate: AccessMatrixSources['validate'],
  identity: CertificateIdentity,
): Promise<boolean> {
  if (!validate) return true;
  try {
    return !!(await validate(identity));
  } catch {
    // A strategy that throws refuses the caller, as the guard's answer would.
    return false;
  }
}
