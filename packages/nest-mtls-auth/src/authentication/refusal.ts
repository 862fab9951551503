import type { MtlsReasonCode } from '../x509/reason-code.js';

/**
 * A caller refused, logged and counted once: what the Nest face turns into a 401 or 403 with
 * the reason code (`ClientCertificateException`).
 */
export class Refusal {
  constructor(readonly code: MtlsReasonCode) {}
}
