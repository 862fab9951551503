import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Authenticator } from '../authentication/authenticator.js';
import type { HttpRequest } from '../http/http-request.js';
import type { MtlsAuthModuleOptions } from '../options/mtls-auth-options.js';
import type { RefusedCertificate } from '../x509/client-identity.js';
import type { MtlsReasonCode } from '../x509/reason-code.js';
import { ClientCertificateException } from './client-certificate.exception.js';
import { InjectMtlsAuthOptions } from './mtls-auth.constants.js';

/**
 * The application's {@link Authenticator} as a Nest provider: built from the module's options,
 * reporting through Nest's logger (`MtlsAuth`), stopped when the application closes, and able to
 * turn a refusal into the exception a guard throws. One per application.
 */
@Injectable()
export class ClientCertAuthenticator extends Authenticator implements OnModuleDestroy {
  /** @throws {MtlsAuthOptionsError} naming every invalid option. */
  constructor(@InjectMtlsAuthOptions() options: MtlsAuthModuleOptions) {
    const logger = new Logger('MtlsAuth');
    super(options, { warn: (record) => logger.warn(record) });
  }

  onModuleDestroy(): void {
    this.close();
  }

  /** {@link Authenticator.reject} (logged and counted once), as the exception to throw. */
  refuse(
    request: HttpRequest,
    code: MtlsReasonCode,
    identity?: RefusedCertificate,
    detail?: string,
  ): ClientCertificateException {
    const refusal = this.reject(request, code, identity, detail);
    return new ClientCertificateException(refusal.code, { detail: refusal.detail });
  }
}
