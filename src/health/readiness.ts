import type { CrlEntry, InventoryEntry } from './inventory-entry.js';

/** One thing a readiness verdict says, about one certificate, CRL or the trust as a whole. */
export interface ReadinessNote {
  /**
   * What it is about: `server`, `outbound`, `client-ca:<CN>` (as in the `/health` details),
   * `trust` (the CA bundle as a whole) or `crl:client-ca:<CN>` (the CRL of that CA).
   */
  readonly name: string;
  /** `expired`, `not-yet-valid`, `warning` (expires within `CERT_EXPIRY_WARNING_DAYS`) or `none-valid`. */
  readonly state: string;
  /** What it means for callers, and what to do. */
  readonly message: string;
}

/** Whether the instance can serve its callers now, and what needs attention without stopping it. */
export interface Readiness {
  /** `false`: take the instance out of rotation (`/health/ready` and `/health` answer 503). */
  readonly ready: boolean;
  /** Why it is not ready (empty when ready). */
  readonly reasons: readonly ReadinessNote[];
  /** What people should fix before it matters; never a reason to leave the rotation. */
  readonly warnings: readonly ReadinessNote[];
}

/**
 * The readiness verdict from the certificates and CRLs in force.
 *
 * Not ready when the instance cannot serve and another one might: its server certificate is
 * expired or not yet valid (callers refuse the handshake), or no CA of `MTLS_CA_FILE` is within
 * its validity period (no client certificate can be verified).
 *
 * Everything else is a warning, because leaving the rotation mends nothing and would take every
 * replica out at once: a server certificate close to expiry; one CA of the bundle expired or not
 * yet valid beside current ones (only the callers whose chains run through it are refused, as
 * with a stale CRL); a CRL past its nextUpdate or before its thisUpdate (it refuses only its
 * CA's callers, and every replica shares it); and the outbound certificate expired, not yet
 * valid or close to expiry (it is this service's identity towards others: callers of this
 * service are served as before).
 */
export function judgeReadiness(
  certificates: readonly InventoryEntry[],
  crls: readonly CrlEntry[],
): Readiness {
  const reasons: ReadinessNote[] = [];
  const warnings: ReadinessNote[] = [];
  const days = (e: InventoryEntry) => `${e.daysRemaining} day${e.daysRemaining === 1 ? '' : 's'}`;

  for (const server of certificates.filter((e) => e.role === 'server')) {
    const about = 'The server certificate (TLS_CERT_FILE)';
    if (server.state === 'expired') {
      reasons.push({
        name: server.name,
        state: server.state,
        message: `${about} expired on ${server.notAfter}: callers refuse the handshake. Put a renewed certificate and key in place (they are reloaded without a restart).`,
      });
    } else if (server.state === 'not-yet-valid') {
      reasons.push({
        name: server.name,
        state: server.state,
        message: `${about} is not valid before ${server.notBefore}: callers refuse the handshake. Check the clocks.`,
      });
    } else if (server.state === 'warning') {
      warnings.push({
        name: server.name,
        state: server.state,
        message: `${about} expires on ${server.notAfter} (${days(server)}): renew it.`,
      });
    }
  }

  const cas = certificates.filter((e) => e.role === 'client-ca');
  const current = cas.filter((e) => e.state === 'ok' || e.state === 'warning');
  if (cas.length > 0 && current.length === 0) {
    reasons.push({
      name: 'trust',
      state: 'none-valid',
      message: `No CA of MTLS_CA_FILE is valid now (${cas.map((e) => `${e.name} ${e.state}`).join(', ')}): every client certificate is refused. Put current CAs in the bundle.`,
    });
  }
  for (const ca of cas) {
    const about = `The client CA ${ca.subject} (MTLS_CA_FILE)`;
    if (current.length > 0 && (ca.state === 'expired' || ca.state === 'not-yet-valid')) {
      const when =
        ca.state === 'expired'
          ? `expired on ${ca.notAfter}`
          : `is not valid before ${ca.notBefore}`;
      warnings.push({
        name: ca.name,
        state: ca.state,
        message: `${about} ${when}: callers whose chains run through it are refused; the other CAs of the bundle still verify theirs. Replace it, or remove it from the bundle.`,
      });
    } else if (ca.state === 'warning') {
      warnings.push({
        name: ca.name,
        state: ca.state,
        message: `${about} expires on ${ca.notAfter} (${days(ca)}): put its successor in the bundle beside it.`,
      });
    }
  }

  for (const crl of crls) {
    if (crl.state === 'ok') continue;
    const why =
      crl.state === 'expired'
        ? `is past its nextUpdate (${crl.nextUpdate}): publish a current CRL`
        : `is not valid before its thisUpdate (${crl.thisUpdate}): check the clocks`;
    warnings.push({
      name: `crl:${crl.name}`,
      state: crl.state,
      message: `The CRL of ${crl.ca} (MTLS_CRL_FILE) ${why}; until then every certificate whose chain runs through this CA is refused.`,
    });
  }

  for (const outbound of certificates.filter((e) => e.role === 'outbound')) {
    const about = "This service's outbound certificate (OUTBOUND_CERT_FILE)";
    const effect = 'other services refuse its calls; its own callers are served as before';
    const message =
      outbound.state === 'expired'
        ? `${about} expired on ${outbound.notAfter}: ${effect}. Renew it.`
        : outbound.state === 'not-yet-valid'
          ? `${about} is not valid before ${outbound.notBefore}: ${effect}. Check the clocks.`
          : outbound.state === 'warning'
            ? `${about} expires on ${outbound.notAfter} (${days(outbound)}): renew it.`
            : undefined;
    if (message) warnings.push({ name: outbound.name, state: outbound.state, message });
  }

  return { ready: reasons.length === 0, reasons, warnings };
}
