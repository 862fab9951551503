/**
 * The object identifiers this package reads, in one place: taken from `@peculiar/asn1-x509`
 * where it names them, written out here only where it does not.
 */
export {
  anyExtendedKeyUsage,
  id_ce_certificateIssuer,
  id_ce_cRLNumber,
  id_ce_cRLReasons,
  id_ce_deltaCRLIndicator,
  id_ce_issuingDistributionPoint,
  id_kp_codeSigning,
  id_kp_emailProtection,
  id_kp_OCSPSigning,
  id_kp_timeStamping,
  id_pe_authorityInfoAccess,
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
/** RFC 6962 signed certificate timestamps (on nearly every public certificate). */
export const id_ct_precertificateSCTs = '1.3.6.1.4.1.11129.2.4.2';
/** RFC 8398 SmtpUTF8Mailbox, an otherName. */
export const id_on_SmtpUTF8Mailbox = '1.3.6.1.5.5.7.8.9';

/**
 * Name attribute types and their short names, as RFC 4514 and the common tools (OpenSSL, .NET)
 * print them.
 */
export const ATTRIBUTE_TYPE_NAMES: Readonly<Record<string, string>> = {
  [id_at_commonName]: 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'SERIALNUMBER',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'TITLE',
  '2.5.4.42': 'GIVENNAME',
  '2.5.4.43': 'INITIALS',
  '2.5.4.46': 'DNQUALIFIER',
  '2.5.4.65': 'PSEUDONYM',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
  [id_emailAddress]: 'EMAILADDRESS',
};
