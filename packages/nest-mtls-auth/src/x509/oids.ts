/**
 * The object identifiers this package reads, in one place. Those `@peculiar/asn1-x509` names
 * carry its names, and test/unit/oids.spec.ts holds them equal to its values; they are written
 * out rather than imported because importing that library costs every start-up about 60 ms
 * (`npm run bench:startup`), for constants.
 */

// RFC 5280 certificate and CRL extensions.
export const id_ce_subjectKeyIdentifier = '2.5.29.14';
export const id_ce_keyUsage = '2.5.29.15';
export const id_ce_subjectAltName = '2.5.29.17';
export const id_ce_issuerAltName = '2.5.29.18';
export const id_ce_basicConstraints = '2.5.29.19';
export const id_ce_cRLNumber = '2.5.29.20';
export const id_ce_cRLReasons = '2.5.29.21';
export const id_ce_deltaCRLIndicator = '2.5.29.27';
export const id_ce_issuingDistributionPoint = '2.5.29.28';
export const id_ce_certificateIssuer = '2.5.29.29';
export const id_ce_nameConstraints = '2.5.29.30';
export const id_ce_cRLDistributionPoints = '2.5.29.31';
export const id_ce_certificatePolicies = '2.5.29.32';
export const id_ce_policyMappings = '2.5.29.33';
export const id_ce_authorityKeyIdentifier = '2.5.29.35';
export const id_ce_policyConstraints = '2.5.29.36';
export const id_ce_extKeyUsage = '2.5.29.37';
export const id_ce_freshestCRL = '2.5.29.46';
export const id_ce_inhibitAnyPolicy = '2.5.29.54';
export const id_pe_authorityInfoAccess = '1.3.6.1.5.5.7.1.1';

// Extended key usages.
export const anyExtendedKeyUsage = '2.5.29.37.0';
export const id_kp_serverAuth = '1.3.6.1.5.5.7.3.1';
export const id_kp_clientAuth = '1.3.6.1.5.5.7.3.2';
export const id_kp_codeSigning = '1.3.6.1.5.5.7.3.3';
export const id_kp_emailProtection = '1.3.6.1.5.5.7.3.4';
export const id_kp_timeStamping = '1.3.6.1.5.5.7.3.8';
export const id_kp_OCSPSigning = '1.3.6.1.5.5.7.3.9';

// Not named by @peculiar/asn1-x509.

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
