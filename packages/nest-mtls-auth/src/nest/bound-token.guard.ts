import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { isPending } from '../authentication/admission.js';
import type { Refusal } from '../authentication/refusal.js';
import { rawRequest, type HttpRequest } from '../http/http-request.js';
import { bearerChallenge } from '../tokens/www-authenticate.js';
import { MtlsReasonCode } from '../x509/reason-code.js';
import { ClientCertAuthenticator } from './client-cert.authenticator.js';
import { ClientCertificateException } from './client-certificate.exception.js';

/** What a response offers to set a header on: Express's `setHeader`, Fastify's `header`. */
type HeaderTarget = {
  setHeader?(name: string, value: string): void;
  header?(n: string, v: string): void;
};

/**
 * The guard of `@RequireBoundToken()`: after the certificate guards, checks the request's bearer
 * token against the certificate it was authenticated with (`ClientCertAuthenticator
 * .checkBoundToken`). Synchronous for a token verified before; a new token waits for its
 * signature check (and, the first time, the JWKS).
 */
@Injectable()
export class BoundTokenGuard implements CanActivate {
  constructor(protected readonly authenticator: ClientCertAuthenticator) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    // getArgByIndex(0) is the request, (1) the response (Express's, or Fastify's reply).
    const request = context.getArgByIndex<HttpRequest>(0);
    const response = context.getArgByIndex<HeaderTarget>(1);
    const identity = this.authenticator.memory.identityOf(rawRequest(request));
    if (identity === undefined) {
      // Not authenticated by certificate (a @Public() route, or the guards opted out): fail closed.
      throw this.refuse(
        response,
        this.authenticator.reject(request, MtlsReasonCode.CertMissing),
        this.authenticator.boundTokenRealm,
      );
    }
    const checked = this.authenticator.checkBoundToken(request, identity);
    if (isPending(checked)) {
      return Promise.resolve(checked).then((refusal) => this.settle(response, refusal));
    }
    return this.settle(response, checked);
  }

  private settle(response: HeaderTarget, refusal: Refusal | undefined): true {
    if (refusal) throw this.refuse(response, refusal, this.authenticator.boundTokenRealm);
    return true;
  }

  /**
   * The exception for a refusal, after the RFC 6750 challenge is set on the response (Nest's
   * exception handling keeps headers already set).
   */
  protected refuse(response: HeaderTarget, refusal: Refusal, realm: string) {
    if (refusal.code !== MtlsReasonCode.CertMissing) {
      const challenge = bearerChallenge(
        realm,
        refusal.code === MtlsReasonCode.TokenMissing ? undefined : (refusal.detail ?? refusal.code),
      );
      if (typeof response.setHeader === 'function')
        response.setHeader('www-authenticate', challenge);
      else response.header?.('www-authenticate', challenge);
    }
    return new ClientCertificateException(refusal.code, { detail: refusal.detail });
  }
}
