import type { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { Injectable, Logger } from '@nestjs/common';
import { CertificatePolicy, type AuthOutcome } from './certificate/certificate-policy.js';
import type { CertificateIdentity } from './certificate/client-identity.js';
import { FingerprintPins } from './certificate/fingerprint-pins.js';
import { compileIdentityPatterns, type IdentityMatcher } from './certificate/identity-pattern.js';
import { parsePemCertificates } from './certificate/pem.js';
import { MtlsReasonCode } from './certificate/reason-code.js';
import { TrustStore } from './certificate/trust-store.js';
import { ClientCertificateException } from './errors/client-certificate.exception.js';
import { rawRequest, type HttpRequest } from './http-request.js';
import type { MtlsAuthModuleOptions } from './interfaces/mtls-auth-options.interface.js';
import { InjectMtlsAuthOptions } from './mtls-auth.module-definition.js';
import {
  connectionEntry,
  installRequestUserAccessor,
  rememberConnection,
  type ConnectionEntry,
  type TrustGeneration,
} from './request-identity.js';

/**
 * Authenticates callers by client certificate: resolves the module options once (trust store,
 * pins, allowlist) and turns a request into an {@link AuthOutcome}.
 *
 * A direct TLS connection's identity cannot change while it is open (renegotiation is refused), so
 * the outcome is computed on its first request and kept on the socket; later requests on the same
 * keep-alive connection pay two comparisons (trust generation, validity period). A trust change
 * ({@link invalidate}) bumps the generation, so every connection is judged again.
 */
@Injectable()
export class ClientCertAuthenticator implements TrustGeneration {
  private readonly logger = new Logger('MtlsAuth');
  private readonly policy: CertificatePolicy;
  private currentGeneration = 0;
  /** Service-wide allowlist; `undefined` = any authenticated caller. */
  readonly allowedServices: IdentityMatcher | undefined;

  constructor(@InjectMtlsAuthOptions() private readonly options: MtlsAuthModuleOptions) {
    this.policy = this.createPolicy(options.trustedCa);
    this.allowedServices = compileIdentityPatterns(options.allowedServices ?? []);
    installRequestUserAccessor();
  }

  /** Bumped by {@link invalidate}; connection entries of an older generation are stale. */
  get generation(): number {
    return this.currentGeneration;
  }

  /**
   * The full decision for a request. Uses the connection's remembered outcome when there is one.
   * Never throws for anything a client sends.
   */
  authenticate(request: HttpRequest): AuthOutcome {
    const socket = rawRequest(request).socket;
    const cached = connectionEntry(socket);
    if (cached) return cached.outcome;
    const outcome = this.authenticateSocket(socket as TLSSocket);
    rememberConnection(socket, this, outcome);
    return outcome;
  }

  /** The request's connection entry, when the connection was judged under the current trust. */
  connectionEntry(request: HttpRequest): ConnectionEntry | undefined {
    return connectionEntry(rawRequest(request).socket);
  }

  /** Forgets every remembered outcome: call when trust configuration changes. */
  invalidate(): void {
    this.currentGeneration++;
  }

  /**
   * Logs a refusal once, structured (reason code, CN, SHA-256 fingerprint, peer address; never a
   * key or a full header), and returns the exception to throw.
   */
  reject(
    request: HttpRequest,
    code: MtlsReasonCode,
    identity?: CertificateIdentity,
  ): ClientCertificateException {
    const raw = rawRequest(request);
    this.logger.warn({
      msg: 'client refused',
      event: 'mtls.rejected',
      code,
      cn: identity?.commonName ?? null,
      fingerprint256: identity?.fingerprint256 ?? null,
      source: identity?.source ?? 'tls',
      peer: raw.socket.remoteAddress ?? null,
      method: raw.method,
      url: raw.url?.slice(0, 200),
    });
    return new ClientCertificateException(code);
  }

  private authenticateSocket(socket: TLSSocket): AuthOutcome {
    if (!socket.encrypted || typeof socket.getPeerX509Certificate !== 'function') {
      return { ok: false, code: MtlsReasonCode.CertMissing };
    }
    const cert = socket.getPeerX509Certificate();
    if (!cert) return { ok: false, code: MtlsReasonCode.CertMissing };
    try {
      return this.policy.evaluate(cert, 'tls', presentedChain(cert), {
        authorized: socket.authorized,
        error: socket.authorizationError,
      });
    } catch (cause) {
      // The handshake accepted the DER but our parser did not: refuse, and say why in the log.
      this.logger.warn({ msg: 'client certificate could not be read', err: cause });
      return { ok: false, code: MtlsReasonCode.CertUntrusted };
    }
  }

  private createPolicy(trustedCa: string | Buffer): CertificatePolicy {
    return new CertificatePolicy({
      trustStore: new TrustStore(parsePemCertificates(trustedCa.toString())),
      allowedTypes: this.options.allowedCertificateTypes ?? 'chained',
      pins: new FingerprintPins(this.options.allowedFingerprints ?? []),
    });
  }
}

/** The certificates the peer sent above its leaf (Node links them through `issuerCertificate`). */
function presentedChain(leaf: X509Certificate): X509Certificate[] {
  const chain: X509Certificate[] = [];
  let current = leaf.issuerCertificate;
  while (
    current &&
    chain.length < 10 &&
    !chain.some((c) => c.fingerprint256 === current?.fingerprint256)
  ) {
    chain.push(current);
    current = current.issuerCertificate;
  }
  return chain;
}
