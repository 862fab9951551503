import type { X509Certificate } from 'node:crypto';
import {
  id_ce_authorityKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_certificatePolicies,
  id_ce_extKeyUsage,
  id_ce_keyUsage,
  id_ce_subjectAltName,
  id_ce_subjectKeyIdentifier,
} from '@peculiar/asn1-x509';
import { readTbsParts, type TbsParts } from './tbs-certificate.js';
import {
  readBasicConstraintsCa,
  readExtendedKeyUsage,
  readKeyUsageFlags,
  readPathLenConstraint,
} from './extension-values.js';

/** id-kp-clientAuth. anyExtendedKeyUsage does not stand in for it: OpenSSL 3 refuses it too. */
export const CLIENT_AUTH_EKU = '1.3.6.1.5.5.7.3.2';

/** KeyUsage flags as {@link CertificateFacts.keyUsage} holds them (RFC 5280 bit n is 2^n). */
export const KeyUsageFlag = {
  digitalSignature: 1,
  keyAgreement: 16,
  keyCertSign: 32,
} as const;

/**
 * Extensions whose meaning this service enforces (or, for certificate policies, that OpenSSL
 * also accepts unchecked by default). A critical extension outside this list refuses the
 * certificate, as OpenSSL's `X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION` does. Name constraints and
 * policy constraints are not implemented here, so they are not listed: critical, they refuse.
 */
const HANDLED_EXTENSIONS: ReadonlySet<string> = new Set([
  id_ce_basicConstraints,
  id_ce_keyUsage,
  id_ce_extKeyUsage,
  id_ce_subjectAltName,
  id_ce_subjectKeyIdentifier,
  id_ce_authorityKeyIdentifier,
  id_ce_certificatePolicies,
]);

/** id-ce-nameConstraints: enforced by OpenSSL, not by this validator (a chain with it refuses). */
const NAME_CONSTRAINTS = '2.5.29.30';

/** What chain validation needs from one certificate, read from its DER once. */
export interface CertificateFacts {
  readonly notBeforeMs: number;
  readonly notAfterMs: number;
  /** basicConstraints cA. */
  readonly ca: boolean;
  /** basicConstraints pathLenConstraint, when the certificate is a CA and sets one. */
  readonly pathLen: number | undefined;
  /** KeyUsage as {@link KeyUsageFlag} bits; `undefined` without the extension (any usage). */
  readonly keyUsage: number | undefined;
  /** ExtendedKeyUsage OIDs; `undefined` without the extension (any purpose). */
  readonly extKeyUsage: readonly string[] | undefined;
  /** Critical extensions this validator does not handle (refuse when non-empty). */
  readonly unhandledCritical: readonly string[];
  /** Carries name constraints (any criticality), which this validator does not evaluate. */
  readonly nameConstraints: boolean;
}

/**
 * The policy's usage rule, in one place (the guard and `explain` both ask it): a trusted
 * certificate may authenticate a client when its extended key usages name clientAuth and it is
 * not a CA. What the policy adds to a verdict that already covers the rest (an accepted
 * handshake, or the chain verifier).
 */
export function allowsClientAuth(ca: boolean, extKeyUsage: readonly string[] | undefined): boolean {
  return !ca && extKeyUsage?.includes(CLIENT_AUTH_EKU) === true;
}

/**
 * {@link allowsClientAuth} of a certificate, reading only its basicConstraints and extended key
 * usage (a new caller's first request: no other extension is decoded).
 *
 * @throws {Error} when either extension does not parse.
 */
export function isClientCertificate(tbs: TbsParts): boolean {
  let ca = false;
  let extKeyUsage: readonly string[] | undefined;
  for (const ext of tbs.extensions) {
    if (ext.oid === id_ce_basicConstraints) ca = readBasicConstraintsCa(ext.value);
    else if (ext.oid === id_ce_extKeyUsage) extKeyUsage = readExtendedKeyUsage(ext.value);
  }
  return allowsClientAuth(ca, extKeyUsage);
}

/**
 * Reads the validation facts of a certificate: walks the DER once (see {@link readTbsParts}) and
 * decodes only the two small extensions Node does not expose (pathLenConstraint and keyUsage
 * bits), never the subjectAltName list, however long.
 *
 * @throws {Error} when the DER does not parse.
 */
export function readCertificateFacts(
  cert: X509Certificate,
  tbs: TbsParts = readTbsParts(cert.raw),
): CertificateFacts {
  let ca = false;
  let pathLen: number | undefined;
  let keyUsage: number | undefined;
  let extKeyUsage: string[] | undefined;
  const unhandledCritical: string[] = [];
  let nameConstraints = false;
  for (const ext of tbs.extensions) {
    const { value } = ext;
    if (ext.oid === id_ce_basicConstraints) {
      ca = readBasicConstraintsCa(value);
      pathLen = ca ? readPathLenConstraint(value) : undefined;
    } else if (ext.oid === id_ce_keyUsage) {
      keyUsage = readKeyUsageFlags(value);
    } else if (ext.oid === id_ce_extKeyUsage) {
      extKeyUsage = readExtendedKeyUsage(value);
    } else if (ext.oid === NAME_CONSTRAINTS) {
      nameConstraints = true;
    }
    if (ext.critical && !HANDLED_EXTENSIONS.has(ext.oid)) unhandledCritical.push(ext.oid);
  }
  return {
    // Read from the DER, not through Node's getters (native calls that format their answer);
    // the unit tests hold both readings equal on every test certificate.
    notBeforeMs: tbs.notBeforeMs ?? Date.parse(cert.validFrom),
    notAfterMs: tbs.notAfterMs ?? Date.parse(cert.validTo),
    ca,
    pathLen,
    keyUsage,
    extKeyUsage,
    unhandledCritical,
    nameConstraints,
  };
}
