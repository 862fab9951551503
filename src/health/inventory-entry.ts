export type ExpiryState = 'ok' | 'warning' | 'expired' | 'not-yet-valid';

/** What a certificate is to this service: its own server identity, a CA it trusts, its outbound identity. */
export type CertificateRole = 'server' | 'client-ca' | 'outbound';

/** One certificate the service depends on, and how long it has left. */
export interface InventoryEntry {
  /** `server`, `client-ca:<CN>`, `client-ca:spiffe://<trust domain>:<CN>`, `outbound`. */
  readonly name: string;
  readonly role: CertificateRole;
  readonly subject: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly daysRemaining: number;
  readonly state: ExpiryState;
}

/**
 * Whether a CRL can be used now. `expired`, past its nextUpdate: every certificate whose chain
 * runs through its CA is refused (by OpenSSL in the handshake, by the package when forwarded).
 * `not-yet-valid`, before its thisUpdate: the same, both ways (a clock out of step).
 */
export type CrlState = 'ok' | 'expired' | 'not-yet-valid';

/** One CRL in force, named by the CA that issued it. */
export interface CrlEntry {
  /** `client-ca:<CN>`, as the CA's own entry. */
  readonly name: string;
  /** The CA's subject. */
  readonly ca: string;
  readonly thisUpdate: string;
  /** `null` when the CRL names no nextUpdate. */
  readonly nextUpdate: string | null;
  readonly state: CrlState;
}
