import type { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { errors } from 'oidc-provider';
import type { PkiFile, TestPki } from '../../packages/nest-mtls-auth/test/support/test-pki.js';

/** A client of the authorization server, authenticated by its certificate. */
export type MtlsClient =
  /** `tls_client_auth` by subject DN (IdentityServer's `X509CertificateName`). */
  | { readonly clientId: string; readonly subjectDn: string }
  /** `self_signed_tls_client_auth` by thumbprint (IdentityServer's `X509CertificateThumbprint`). */
  | { readonly clientId: string; readonly certificate: PkiFile };

/** A running oidc-provider over HTTPS with the test PKI. */
export interface AuthorizationServer {
  readonly issuer: string;
  readonly tokenUrl: string;
  readonly jwksUrl: string;
  /** The audience (RFC 8707 resource) its access tokens are for. */
  readonly audience: string;
  close(): Promise<void>;
}

/** The scope a client asks for. */
export const API_SCOPE = 'api';

/**
 * Starts the real `oidc-provider` (RFC 8705: `tls_client_auth`, `self_signed_tls_client_auth`,
 * certificate-bound access tokens on) on `https://localhost:<port>`, with the test PKI's server
 * certificate, asking for client certificates. Its access tokens are JWTs (RFC 9068) for
 * `audience`, signed with an ES256 key made per run.
 */
export async function startAuthorizationServer(
  pki: TestPki,
  clients: readonly MtlsClient[],
  audience: string,
): Promise<AuthorizationServer> {
  const server: Server = createServer({
    cert: pki.server.certPem,
    key: pki.server.keyPem,
    ca: readFileSync(pki.caFile, 'utf8'),
    requestCert: true,
    // The provider decides (certificateAuthorized), as behind a proxy it would.
    rejectUnauthorized: false,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `https://localhost:${port}`;

  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const signing = { ...(await exportJWK(privateKey)), kid: 'test-1', alg: 'ES256', use: 'sig' };
  const peer = (ctx: { req: { socket: TLSSocket } }) => ctx.req.socket;

  const provider = new Provider(issuer, {
    clients: clients.map(registration),
    jwks: { keys: [signing] },
    cookies: { keys: ['a test cookie key'] },
    // The one signing key is ES256; the default (RS256) would need an RSA key too.
    clientDefaults: { id_token_signed_response_alg: 'ES256' },
    scopes: [API_SCOPE],
    clientAuthMethods: ['tls_client_auth', 'self_signed_tls_client_auth'],
    ttl: { ClientCredentials: 600 },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      mTLS: {
        enabled: true,
        certificateBoundAccessTokens: true,
        tlsClientAuth: true,
        selfSignedTlsClientAuth: true,
        getCertificate: (ctx: { req: { socket: TLSSocket } }) =>
          peer(ctx).getPeerX509Certificate() ?? undefined,
        certificateAuthorized: (ctx: { req: { socket: TLSSocket } }) => peer(ctx).authorized,
        certificateSubjectMatches: (
          ctx: { req: { socket: TLSSocket } },
          property: string,
          expected: string,
        ) => {
          const cert = peer(ctx).getPeerX509Certificate();
          return property === 'tls_client_auth_subject_dn' && !!cert && sameDn(cert, expected);
        },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => audience,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: unknown, resource: string) => {
          if (resource !== audience) throw new errors.InvalidTarget();
          return {
            scope: API_SCOPE,
            audience,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'ES256' } },
          };
        },
      },
    },
  });
  server.on('request', provider.callback());
  return {
    issuer,
    tokenUrl: `${issuer}/token`,
    jwksUrl: `${issuer}/jwks`,
    audience,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The client's registration: client credentials only, certificate-bound tokens. */
function registration(client: MtlsClient): Record<string, unknown> {
  const base = {
    client_id: client.clientId,
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    scope: API_SCOPE,
    tls_client_certificate_bound_access_tokens: true,
  };
  if ('subjectDn' in client) {
    return {
      ...base,
      token_endpoint_auth_method: 'tls_client_auth',
      tls_client_auth_subject_dn: client.subjectDn,
    };
  }
  const cert = client.certificate.x509;
  const jwk = cert.publicKey.export({ format: 'jwk' });
  return {
    ...base,
    token_endpoint_auth_method: 'self_signed_tls_client_auth',
    // The provider matches the thumbprint of x5c[0] against the presented certificate's.
    jwks: { keys: [{ ...jwk, x5c: [cert.raw.toString('base64')] }] },
  };
}

/** The same attribute=value pairs, in any order (the provider leaves DN matching to us). */
function sameDn(cert: X509Certificate, expected: string): boolean {
  const norm = (pairs: string[]) =>
    pairs
      .map((p) => p.trim())
      .filter(Boolean)
      .sort()
      .join('\n');
  return norm(cert.subject.split('\n')) === norm(expected.split(','));
}
