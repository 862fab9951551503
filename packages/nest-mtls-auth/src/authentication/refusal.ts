import type { RefusedCertificate } from '../x509/client-identity.js';
import type { MtlsReasonCode } from '../x509/reason-code.js';

/**
 * A caller refused, logged and counted once: what the Nest face turns into a 401 or 403 with
 * the reason code (`ClientCertificateException`).
 */
export class Refusal {
  constructor(
    readonly code: MtlsReasonCode,
    /** What the log line said of the certificate, when there was one. */
    readonly identity?: RefusedCertificate,
    /** Why, in a few words, where the code alone does not say (a bearer token's fault). */
    readonly detail?: string,
  ) {}
}
