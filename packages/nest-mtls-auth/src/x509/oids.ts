/**
 * The object identifiers this package reads, in one place: taken from `@peculiar/asn1-x509`
 * where it names them, written out here only where it does not.
 */
export {
  anyExtendedKeyUsage,
  id_ce_authorityKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_cRLDistributionPoints,
  id_ce_certificatePolicies,
  id_ce_extKeyUsage,
  id_ce_freshestCRL,
  id_ce_inhibitAnyPolicy,
  id_ce_issuerAltName,
  id_ce_keyUsage,
  id_ce_nameConstraints,
  id_ce_policyConstraints,
  id_ce_policyMappings,
  id_ce_subjectAltName,
  id_ce_subjectKeyIdentifier,
  id_kp_clientAuth,
  id_kp_serverAuth,
} from '@peculiar/asn1-x509';

/** Netscape certificate type (a legacy extension OpenSSL still enforces for TLS purposes). */
export const id_netscape_certType = '2.16.840.1.113730.1.1';
/** RFC 3820 proxy certificate information. */
export const id_pe_proxyCertInfo = '1.3.6.1.5.5.7.1.14';
/** RFC 3779 IP address and AS number delegation. */
export const id_pe_ipAddrBlocks = '1.3.6.1.5.5.7.1.7';
export const id_pe_autonomousSysIds = '1.3.6.1.5.5.7.1.8';
/** RFC 6960 id-pkix-ocsp-nocheck. */
export const id_pkix_ocsp_nocheck = '1.3.6.1.5.5.7.48.1.5';
/** id-at-commonName. */
export const id_at_commonName = '2.5.4.3';
/** PKCS #9 emailAddress, a Name attribute. */
export const id_emailAddress = '1.2.840.113549.1.9.1';
