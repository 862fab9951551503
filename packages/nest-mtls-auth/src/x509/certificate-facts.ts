import { id_ce_basicConstraints, id_ce_extKeyUsage, id_kp_clientAuth } from './oids.js';
import type { TbsParts } from './tbs-certificate.js';
import { readBasicConstraintsCa, readExtendedKeyUsage } from './extension-values.js';

/**
 * The policy's usage rule, in one place (the guard and `explain` both ask it): a trusted
 * certificate may authenticate a client when its extended key usages name clientAuth and it is
 * not a CA. What the policy adds to a verdict that already covers the rest (an accepted
 * handshake, or the chain verifier).
 */
export function allowsClientAuth(ca: boolean, extKeyUsage: readonly string[] | undefined): boolean {
  // anyExtendedKeyUsage does not stand in for clientAuth: OpenSSL 3 refuses it too.
  return !ca && extKeyUsage?.includes(id_kp_clientAuth) === true;
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
