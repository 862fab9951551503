import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-strategy';
import type { CertificateIdentity } from '../x509/client-identity.js';
import { MtlsReasonCode } from '../x509/reason-code.js';
import { ClientCertAuthenticator } from './client-cert.authenticator.js';
import type { HttpRequest } from './http-request.js';
import { authenticatorOfRequest } from './request-accessors.js';
import { CLIENT_CERT_STRATEGY } from './mtls-auth.constants.js';

type Verify = (identity: CertificateIdentity, done: (err: unknown, user?: unknown) => void) => void;

/**
 * The Passport strategy `'client-cert'`, written on `passport-strategy`. It does not build on
 * `passport-client-cert`: that strategy calls `getPeerCertificate()` (~14 µs) on every request,
 * fails without a reason, cannot pin self-signed certificates, and knows nothing of forwarded
 * certificates. This one asks {@link ClientCertAuthenticator}, which caches per connection and
 * returns a reason code for every refusal.
 */
export class ClientCertPassportStrategy extends Strategy {
  name = CLIENT_CERT_STRATEGY;

  constructor(
    private readonly authenticator: ClientCertAuthenticator,
    private readonly verify: Verify,
  ) {
    super();
  }

  override authenticate(req: HttpRequest): void {
    // Passport keeps one strategy per name for the whole process: the request names its own app's.
    const authenticator = authenticatorOfRequest(req) ?? this.authenticator;
    authenticator.authenticateAsync(req).then(
      (outcome) => {
        // Refusals are errors carrying the reason code (and logged once, by reject()): any guard
        // on this strategy, ours or a plain AuthGuard('client-cert'), answers 401/403 with it.
        if (!outcome.ok) {
          this.error(authenticator.reject(req, outcome.code, outcome.identity));
          return;
        }
        this.verify(outcome.identity, (err, user) => {
          if (err) this.error(err as Error);
          else if (!user)
            this.error(
              authenticator.reject(req, MtlsReasonCode.ServiceForbidden, outcome.identity),
            );
          else this.success(user);
        });
      },
      (error: unknown) => this.error(error as Error),
    );
  }
}

/**
 * The Nest provider of the `'client-cert'` strategy. Override {@link validate} to map the
 * certificate identity to your own user object, or to refuse it (return `null`: 403
 * `MTLS_SERVICE_FORBIDDEN`), as ASP.NET Core's `OnCertificateValidated` does.
 */
@Injectable()
export class ClientCertStrategy extends PassportStrategy(
  ClientCertPassportStrategy,
  CLIENT_CERT_STRATEGY,
) {
  constructor(authenticator: ClientCertAuthenticator) {
    super(authenticator);
  }

  /** @returns what `request.user` becomes; the identity itself by default. */
  validate(identity: CertificateIdentity): unknown {
    return identity;
  }
}
