/**
 * nest-mtls-auth/testing: a throwaway PKI for development and tests (CAs, good and bad leaves,
 * CRLs, PKCS#12). Needs `@peculiar/x509` (a dev dependency of yours).
 */
export {
  createCrl,
  createRootCa,
  hasOpenssl,
  issue,
  writeIssued,
  writePkcs12,
  type Issued,
  type LeafOptions,
} from './pki.js';
