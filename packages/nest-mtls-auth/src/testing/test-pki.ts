import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCrl, createRootCa, issue, writeIssued, type Issued } from './pki.js';

const DAY = 24 * 60 * 60 * 1000;

/**
 * The identity of the proxy {@link TestApp.viaProxy} connects as (its certificate's CN and DNS
 * SAN): an identity pattern for `trustedProxyIdentities` (`MTLS_TRUSTED_PROXY_IDENTITIES`).
 */
export const TEST_PROXY_IDENTITY = 'test-proxy';

/**
 * A certificate of the test PKI, on disk in {@link TestPki.dir}. Its private key is only in
 * `keyFile` (mode 0600): read it when a client of your own needs it, or use
 * {@link TestPki.tlsOptions}.
 */
export interface TestCertificate {
  /** The file name in {@link TestPki.dir}, without `.crt` / `.key`. */
  readonly name: string;
  /** The subject's CN. */
  readonly commonName: string;
  /** The certificate, PEM. */
  readonly certPem: string;
  readonly certFile: string;
  readonly keyFile: string;
  /** The parsed certificate (`fingerprint256`, `subject`, `subjectAltName`, `validTo`...). */
  readonly x509: X509Certificate;
}

/** What {@link TestPki.issue} puts in a caller's certificate, besides its CN. */
export interface TestCertificateOptions {
  /** DNS SANs (an identity pattern `billing-service` matches the CN or any of them). */
  readonly dns?: readonly string[];
  /**
   * URI SANs. A SPIFFE ID (`spiffe://example.org/ns/prod/sa/billing`) is the caller's `spiffeId`
   * when it is the only URI SAN, as in an X.509-SVID.
   */
  readonly uris?: readonly string[];
  readonly ips?: readonly string[];
  readonly emails?: readonly string[];
  /**
   * The whole subject DN, for `dn:` patterns, e.g. `'O=Acme, OU=finance, CN=refunds'` (written in
   * this order); it should name the same CN. @default `CN=<commonName>, O=Test`
   */
  readonly subject?: string;
  /** @default an hour ago */
  readonly notBefore?: Date;
  /** @default a year from now */
  readonly notAfter?: Date;
  /** `null`: no extended key usage. @default ['clientAuth'] */
  readonly eku?: readonly ('clientAuth' | 'serverAuth')[] | null;
  /** Signed by a CA the app does not trust (refused with `MTLS_CERT_UNTRUSTED`). @default false */
  readonly untrusted?: boolean;
}

/** TLS options that present a certificate of the test PKI and verify the test server. */
export interface TestTlsOptions {
  readonly ca: string;
  readonly cert?: string;
  readonly key?: string;
  /** The name the test server's certificate is for. */
  readonly servername: 'localhost';
}

/**
 * A throwaway PKI in a temporary folder: a CA, a server certificate for localhost, the trusted
 * proxy's certificate, and the callers a test issues. The CA's private key is never written
 * anywhere; the other keys are files in {@link dir} only, removed by {@link cleanup}.
 */
export interface TestPki {
  /** The temporary folder (mode 0700) holding every file of this PKI. */
  readonly dir: string;
  /** The CA certificate, PEM: the app's `trustedCa`, and what clients verify the server with. */
  readonly caPem: string;
  /** The same, as a file (`MTLS_CA_FILE`). */
  readonly caFile: string;
  /** The server's certificate: CN and DNS SAN `localhost`, IP SANs 127.0.0.1 and ::1. */
  readonly server: TestCertificate;
  /** The trusted proxy's own client certificate (identity {@link TEST_PROXY_IDENTITY}). */
  readonly proxy: TestCertificate;
  /**
   * Issues a client certificate (clientAuth) for a caller, by default from the CA.
   *
   * @example
   * const billing = await pki.issue('billing-service', {
   *   dns: ['billing.internal.example'],
   *   uris: ['spiffe://example.org/ns/prod/sa/billing'],
   * });
   * const expired = await pki.issue('billing-service', { notAfter: new Date(Date.now() - 1000) });
   */
  issue(commonName: string, options?: TestCertificateOptions): Promise<TestCertificate>;
  /**
   * A CRL of the CA revoking `certificates` (PEM): give it to the app as `crl`, and callers
   * presenting them are refused with `MTLS_CERT_REVOKED`.
   */
  crl(...certificates: TestCertificate[]): Promise<string>;
  /** TLS options for a client of your own (undici, `https.request`), presenting `caller`. */
  tlsOptions(caller?: TestCertificate): TestTlsOptions;
  /** Writes a file into {@link dir} (a bundle, an access file) and returns its path. */
  write(name: string, content: string | Buffer): string;
  /** Removes {@link dir} and every key in it. */
  cleanup(): void;
}

/** What {@link createTestPki} makes. */
export interface TestPkiOptions {
  /** The CA's subject. @default 'O=Test, CN=Test CA' */
  readonly caSubject?: string;
}

/**
 * Makes a test PKI in a new temporary folder (P-256 keys, in pure JS: no openssl needed). Call
 * {@link TestPki.cleanup} when the tests are done.
 *
 * @example
 * let pki: TestPki;
 * beforeAll(async () => { pki = await createTestPki(); });
 * afterAll(() => pki.cleanup());
 */
export async function createTestPki(options: TestPkiOptions = {}): Promise<TestPki> {
  const dir = mkdtempSync(join(tmpdir(), 'nest-mtls-test-pki-'));
  try {
    const ca = await createRootCa('ca', options.caSubject ?? 'O=Test, CN=Test CA');
    let untrustedCa: Promise<Issued> | undefined;
    const taken = new Set<string>(['ca']);
    const issued = new Map<TestCertificate, Issued>();

    const write = (name: string, content: string | Buffer): string => {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    };
    const fileName = (commonName: string): string => {
      const base = commonName.replace(/[^\w.-]+/g, '_').slice(0, 64) || 'caller';
      let name = base;
      for (let i = 2; taken.has(name); i++) name = `${base}-${i}`;
      taken.add(name);
      return name;
    };
    const save = (item: Issued, commonName: string): TestCertificate => {
      writeIssued(dir, item);
      const certificate: TestCertificate = {
        name: item.name,
        commonName,
        certPem: item.certPem,
        certFile: join(dir, `${item.name}.crt`),
        keyFile: join(dir, `${item.name}.key`),
        x509: new X509Certificate(item.certPem),
      };
      issued.set(certificate, item);
      return certificate;
    };
    const issueFor = async (
      commonName: string,
      o: TestCertificateOptions = {},
    ): Promise<TestCertificate> => {
      // Made on first use: most test files never ask for it.
      const issuer = o.untrusted
        ? await (untrustedCa ??= createRootCa('untrusted-ca', 'O=Untrusted, CN=Untrusted Test CA'))
        : ca;
      const item = await issue(fileName(commonName), issuer, {
        subject: o.subject ?? `CN=${commonName}, O=Test`,
        dns: o.dns,
        uris: o.uris,
        ips: o.ips,
        emails: o.emails,
        eku: o.eku,
        notBefore: o.notBefore,
        notAfter:
          o.notAfter ?? (o.notBefore ? new Date(o.notBefore.getTime() + 365 * DAY) : undefined),
      });
      return save(item, commonName);
    };

    const server = await issueFor('localhost', {
      dns: ['localhost'],
      ips: ['127.0.0.1', '::1'],
      eku: ['serverAuth'],
    });
    const proxy = await issueFor(TEST_PROXY_IDENTITY, { dns: [TEST_PROXY_IDENTITY] });
    const caFile = write('ca.crt', ca.certPem);
    return {
      dir,
      caPem: ca.certPem,
      caFile,
      server,
      proxy,
      issue: (commonName, o) => issueFor(commonName, o),
      crl: async (...certificates) => {
        const revoked = certificates.map((c) => {
          const item = issued.get(c);
          if (!item) throw new Error(`${c.name} was not issued by this test PKI`);
          return item;
        });
        return createCrl(ca, revoked);
      },
      tlsOptions: (caller) => ({
        ca: ca.certPem,
        ...(caller ? { cert: caller.certPem, key: readFileSync(caller.keyFile, 'utf8') } : {}),
        servername: 'localhost',
      }),
      write,
      cleanup: () => rmSync(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
