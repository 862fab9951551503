import type { RefusedCertificate } from '../x509/client-identity.js';
import type { MtlsReasonCode } from '../x509/reason-code.js';

/**
 * A caller refused, logged and counted once: what the Nest face turns into a 401 or 403 with
 * the reason code (`ClientCertificateException`).
 */
export class Refusal {
  /**
   * @param detail what the answer's message says instead of the code's usual one (a bearer
   *   token's fault, in a few words, also goes into its `WWW-Authenticate` challenge).
   * @param identity what the log line said of the certificate, when there was one.
   */
  constructor(
    readonly code: MtlsReasonCode,
    readonly detail?: string,
    readonly identity?: RefusedCertificate,
  ) {}
}
