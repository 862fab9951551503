import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-strategy';
import type { CertificateIdentity } from '../x509/client-identity.js';
import { admit, type IdentityValidator } from '../authentication/admission.js';
import { Refusal } from '../authentication/refusal.js';
import { ClientCertificateException } from './client-certificate.exception.js';
import { ClientCertAuthenticator } from './client-cert.authenticator.js';
import type { HttpRequest } from '../http/http-request.js';
import { authenticatorOfRequest } from './request-accessors.js';
import { CLIENT_CERT_STRATEGY } from './mtls-auth.constants.js';

type Verify = (identity: CertificateIdentity, done: (err: unknown, user?: unknown) => void) => void;

function toError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

/** `validate()` through Passport's verify callback, as a promise. */
function validatorOf(verify: Verify): IdentityValidator {
  return {
    validate: (identity) =>
      new Promise<unknown>((resolve, reject) =>
        verify(identity, (err, user) => (err ? reject(toError(err)) : resolve(user))),
      ),
  };
}

/**
 * What this strategy uses of `passport-strategy`'s `Strategy`, typed here: that package ships no
 * types, and the published declarations must not name it (`@types/passport-strategy` would bring
 * Express's types into every install).
 */
interface PassportStrategyBase {
  authenticate(req: HttpRequest): void;
  success(user: unknown): void;
  error(error: Error): void;
}
const StrategyBase = Strategy as unknown as new () => PassportStrategyBase;

/**
 * The Passport strategy `'client-cert'`, written on `passport-strategy`. It does not build on
 * `passport-client-cert`: that strategy calls `getPeerCertificate()` (~14 µs) on every request,
 * fails without a reason, cannot pin self-signed certificates, and knows nothing of forwarded
 * certificates. This one asks {@link ClientCertAuthenticator}, which caches per connection and
 * returns a reason code for every refusal.
 */
export class ClientCertPassportStrategy extends StrategyBase {
  name = CLIENT_CERT_STRATEGY;

  private readonly validator: IdentityValidator;

  constructor(
    private readonly authenticator: ClientCertAuthenticator,
    verify: Verify,
  ) {
    super();
    this.validator = validatorOf(verify);
  }

  override authenticate(req: HttpRequest): void {
    // Passport keeps one strategy per name for the whole process: the request names its own app's.
    const authenticator = authenticatorOfRequest(req) ?? this.authenticator;
    // The same path as ClientCertAuthGuard (validate() once per certificate, the same codes).
    // Refusals are errors carrying the reason code (logged once): any guard on this strategy,
    // ours or a plain AuthGuard('client-cert'), answers 401/403 with it.
    Promise.resolve(admit(authenticator, req, this.validator)).then(
      (user) => {
        if (user instanceof Refusal)
          this.error(new ClientCertificateException(user.code, { detail: user.detail }));
        else this.success(user);
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
