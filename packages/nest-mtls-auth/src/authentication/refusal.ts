import type { MtlsReasonCode } from '../x509/reason-code.js';

/**
 * A caller refused, logged and counted once: what the Nest face turns into a 401 or 403 with
 * the reason code (`ClientCertificateException`).
 */
export class Refusal {
  /** @param detail what the answer's message says instead of the code's usual one. */
  constructor(
    readonly code: MtlsReasonCode,
    readonly detail?: string,
  ) {}
}
