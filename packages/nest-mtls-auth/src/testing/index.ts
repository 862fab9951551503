/**
 * nest-mtls-auth/testing: test your routes as your callers call them, over real mutual TLS.
 *
 * - {@link createTestPki}: a throwaway CA, server certificate and callers (CN, DNS and URI SANs,
 *   SPIFFE IDs) in a temporary folder;
 * - {@link startTestApp}: your module on HTTPS with `MtlsAuthModule` and `mtlsServerOptions`, on
 *   either adapter, port 0;
 * - `app.as(caller)`, `app.viaProxy(caller)`, `app.anonymous()`: requests as a caller, directly or
 *   forwarded by a trusted proxy as nginx forwards it.
 *
 * Needs `@peculiar/x509` (a dev dependency of yours), and `@nestjs/platform-fastify` for Fastify.
 * The lower-level PKI tools (`createRootCa`, `issue`, `createCrl`, ...) make the starter's dev
 * certificates and its own tests' PKI.
 */

// Testing your routes.
export {
  createTestPki,
  TEST_PROXY_IDENTITY,
  type TestCertificate,
  type TestCertificateOptions,
  type TestPki,
  type TestPkiOptions,
  type TestTlsOptions,
} from './test-pki.js';
export {
  startTestApp,
  TEST_ADAPTERS,
  type TestAdapter,
  type TestApp,
  type TestAppOptions,
  type TestMtlsOptions,
} from './test-app.js';
export {
  nginxForwardedHeaders,
  testRequests,
  type TestForwarding,
  type TestRequestInit,
  type TestRequests,
  type TestRequestsOptions,
  type TestResponse,
} from './test-client.js';

// Who may call what, compared to a committed snapshot.
export { accessPolicy } from './access-policy.js';

// The PKI tools underneath (dev certificates, tests of certificate edge cases).
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
