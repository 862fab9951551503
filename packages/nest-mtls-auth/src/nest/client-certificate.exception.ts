import { HttpException } from '@nestjs/common';
import { REASON_DESCRIPTIONS, type MtlsReasonCode } from '../x509/reason-code.js';

/**
 * A refused caller: 401 (present a valid certificate) or 403 (valid, but not allowed here), with
 * the stable reason code in the body:
 * `{"statusCode":401,"error":"Unauthorized","code":"MTLS_CERT_EXPIRED","message":"..."}`.
 */
export class ClientCertificateException extends HttpException {
  /**
   * @param options.detail the message instead of the code's usual one, when the refusal says more
   *   (a SPIFFE ID refused for its trust domain names both domains).
   */
  constructor(
    readonly code: MtlsReasonCode,
    options?: { cause?: unknown; detail?: string },
  ) {
    const { status } = REASON_DESCRIPTIONS[code];
    const message = options?.detail ?? REASON_DESCRIPTIONS[code].message;
    super(
      { statusCode: status, error: status === 401 ? 'Unauthorized' : 'Forbidden', code, message },
      status,
      options,
    );
  }
}
