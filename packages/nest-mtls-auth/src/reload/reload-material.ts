import {
  createSecureContext,
  type SecureContextOptions,
  type Server as TlsServer,
  type TlsOptions,
} from 'node:tls';
import type { OptionProblem } from '../options/options-error.js';
import { checkTrust, resolveAccess } from '../options/resolve-options.js';

/**
 * What a hot reload reads, all of it each time: the module's trust (as `MtlsAuthModule.forRoot()`
 * takes it: what is left out is dropped, as with `MtlsAuthService.reloadTrust`), optionally who
 * may call, and over HTTPS the server's options for new connections.
 */
export interface MtlsReloadMaterial {
  /** The PEM bundle of CAs that issue client certificates. */
  readonly trustedCa: string | Buffer;
  /** The PEM CRLs, one per CA of the bundle. */
  readonly crl?: string | Buffer;
  /** The SPIFFE trust domains' bundles (PEM or JWKS), by trust domain. */
  readonly spiffeBundles?: Readonly<Record<string, string | Buffer>>;
  /** Replaces the service-wide allowlist and the pins, both; left out, they stay as they are. */
  readonly access?: {
    readonly allowedServices: readonly string[];
    readonly allowedFingerprints: readonly string[];
  };
  /**
   * The HTTPS server's options, built as for `NestFactory.create()` (Fastify: the adapter's
   * `https`): its certificate and key (or PFX) and `mtlsServerOptions()` of the same trust. They
   * become the secure context of new connections; what the server decides outside it
   * (`requestCert`, `rejectUnauthorized`: the client certificate mode) stays as started. Left
   * out, the server is not touched (plain HTTP behind a proxy).
   */
  readonly httpsOptions?: SecureContextOptions &
    Pick<TlsOptions, 'requestCert' | 'rejectUnauthorized'>;
}

/** Where a reload lands: the module's trust, and the application's HTTP server. */
export interface ReloadTarget {
  readonly trust: {
    reloadTrust(
      trustedCa: string | Buffer,
      crl?: string | Buffer,
      spiffeBundles?: Readonly<Record<string, string | Buffer>>,
    ): void;
    reloadAccess(rules: NonNullable<MtlsReloadMaterial['access']>): void;
  };
  /** The application's HTTP server, if any. */
  readonly server: unknown;
}

/**
 * Checks every part of `material`, then applies it: the trust and access to the module (every
 * caller is judged again on its next request, on open connections too) and the HTTPS options to
 * the server's new connections, keeping its session-ticket keys (a new context would otherwise
 * draw new ones and no earlier session would resume). Returns the server when it is HTTPS.
 *
 * @throws {Error} naming the part that does not work; then nothing was applied.
 */
export function applyMaterial(
  material: MtlsReloadMaterial,
  target: ReloadTarget,
): TlsServer | undefined {
  const problems: OptionProblem[] = [];
  checkTrust(material.trustedCa, material.crl, problems, material.spiffeBundles);
  if (material.access) checkAccess(material.access, problems);
  if (problems.length > 0) {
    throw new Error(problems.map((p) => `${p.option}: ${p.message}`).join('; '));
  }
  const server = isTlsServer(target.server) ? target.server : undefined;
  const https = material.httpsOptions;
  if (https) {
    if (!server) {
      throw new Error(
        "httpsOptions: the application's server is not an HTTPS server; leave them out over plain HTTP",
      );
    }
    try {
      createSecureContext(https);
    } catch (error) {
      throw new Error(`httpsOptions: ${(error as Error).message}`, { cause: error });
    }
  }

  target.trust.reloadTrust(material.trustedCa, material.crl, material.spiffeBundles);
  if (material.access) target.trust.reloadAccess(material.access);
  if (https && server) server.setSecureContext({ ticketKeys: server.getTicketKeys(), ...https });
  return server;
}

function checkAccess(
  access: NonNullable<MtlsReloadMaterial['access']>,
  problems: OptionProblem[],
): void {
  const lists = [
    ['allowedServices', () => resolveAccess(access.allowedServices, [])],
    ['allowedFingerprints', () => resolveAccess([], access.allowedFingerprints)],
  ] as const;
  for (const [option, resolve] of lists) {
    try {
      resolve();
    } catch (error) {
      problems.push({ option, message: (error as Error).message });
    }
  }
}

function isTlsServer(server: unknown): server is TlsServer {
  const candidate = server as Partial<TlsServer> | undefined;
  return (
    typeof candidate?.setSecureContext === 'function' &&
    typeof candidate.getTicketKeys === 'function'
  );
}
