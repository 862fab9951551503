import type { SignatureChoice } from './algorithms.js';
import { forgeCertificate, type ForgedCertificate } from './certificate.js';
import {
  basicConstraints,
  certificatePolicies,
  crlDistributionPoints,
  extKeyUsage,
  garbageExtension,
  inhibitAnyPolicy,
  keyUsage,
  nameConstraints,
  netscapeCertType,
  OID_ANY_POLICY,
  policyConstraints,
  policyMappings,
  subjectAltName,
  unknownExtension,
  type AuthorityKeyIdentifierSpec,
  type ExtensionSpec,
} from './extensions.js';
import { sharedKeyPool, type ForgeKey, type KeyKind, type KeyPool } from './keys.js';
import { constrainedNames, OPEN_NAMES, type NameSamples } from './name-samples.js';
import type { AttributeSpec, NameSpec, RdnSpec, StringType } from './names.js';
import { SeededRandom } from './random.js';
import type { TimeSpec } from './time.js';
import { id_ce_basicConstraints, id_ce_keyUsage } from '@peculiar/asn1-x509';

const DAY = 24 * 60 * 60 * 1000;
const YEAR = 365 * DAY;

/** Policy OIDs under a private arc, for certificatePolicies and policyMappings. */
export const POLICY_A = '1.3.6.1.4.1.55555.2.1';
export const POLICY_B = '1.3.6.1.4.1.55555.2.2';
const CPS = 'https://cps.forge.example/';
/** The rogue key: RSA like root-rsa, and used by no CA in the bundle. */
const ROGUE = { kind: 'rsa-3072', slot: 1 } as const;

/** One CA of a world: its certificate and key, where it sits, and what is wrong with it. */
export interface WorldCa {
  /** A short unique name: `root-rsa`, `deep-3`, `nc-dns`. */
  readonly label: string;
  /** One line: what this CA is for. */
  readonly about: string;
  readonly certificate: ForgedCertificate;
  readonly key: ForgeKey;
  /** The subject as a spec, so a child can re-encode its issuer Name. */
  readonly subject: NameSpec;
  /** True: in the server's trust bundle; false: only a client can send it. */
  readonly inBundle: boolean;
  /** The world CA whose Name it carries as issuer; undefined for a self-signed CA. */
  readonly parent: WorldCa | undefined;
  /** Number of CAs above it (0 for a root). */
  readonly depth: number;
  /**
   * Why a well-formed leaf under it, sent with the CAs it needs, should fail OpenSSL's
   * `-purpose sslclient` verification; undefined for a sound CA. A design intent, used to weight
   * cases, never a verdict.
   */
  readonly flaw: string | undefined;
  /** Names inside and outside the name constraints on its path. */
  readonly names: NameSamples;
  /** How it signs what it issues, unless a case says otherwise. */
  readonly signs: SignatureChoice;
}

/** A certificate and key for a TLS peer. */
export interface WorldCredential {
  readonly certificate: ForgedCertificate;
  readonly key: ForgeKey;
  readonly certPem: string;
  readonly keyPem: string;
}

/** A seeded set of CAs, the server's trust bundle, and the server's and a proxy's credentials. */
export interface World {
  readonly seed: number;
  /** The instant every validity period is relative to. */
  readonly now: Date;
  readonly keys: KeyPool;
  /** Every CA, parents before children. */
  readonly cas: readonly WorldCa[];
  /** The CAs in the trust bundle, in bundle order. */
  readonly bundle: readonly WorldCa[];
  /** The server's trust bundle (PEM, concatenated). */
  readonly bundlePem: string;
  /** A server certificate for localhost, 127.0.0.1 and ::1 (serverAuth), issued by `root-ec`. */
  readonly server: WorldCredential;
  /** A client certificate CN=trusted-proxy (clientAuth), issued by `root-rsa`, for forwarding. */
  readonly proxy: WorldCredential;
  /** The CA with this label (throws for an unknown one). */
  ca(label: string): WorldCa;
}

/** Options of `createWorld`. */
export interface WorldOptions {
  /** Reference instant (default: now, to the second). */
  readonly now?: Date;
  /** Where keys come from (default: the process's shared pool); it needs 2 or more keys per kind. */
  readonly keys?: KeyPool;
}

/** What one CA of the catalogue is; `createWorld` turns each into a WorldCa. */
interface CaDef {
  readonly parent?: string;
  readonly key: KeyKind;
  readonly slot?: number;
  readonly about: string;
  readonly inBundle: boolean;
  readonly flaw?: string;
  /** Default: `O=Forge, CN=Forge <label>`. */
  readonly subject?: NameSpec;
  /** Takes the subject of this (earlier) CA: a same-Name rogue. */
  readonly sameNameAs?: string;
  /** How the parent signs this CA (default: the parent's own choice). */
  readonly signedWith?: SignatureChoice;
  /** How this CA signs (default: a seeded SHA-2 digest). */
  readonly signs?: SignatureChoice;
  readonly version?: 1 | 3;
  /** basicConstraints (default CA:TRUE, critical); false for none. */
  readonly basic?: ExtensionSpec | false;
  /** keyUsage (default keyCertSign + cRLSign, critical); false for none. */
  readonly usage?: ExtensionSpec | false;
  readonly extensions?: readonly ExtensionSpec[];
  readonly notBefore?: TimeSpec;
  readonly notAfter?: TimeSpec;
  readonly ski?: Uint8Array | false;
  /** Called with the parent when the parent is known (for AKI by issuer and serial). */
  readonly aki?: (parent: WorldCa | undefined) => AuthorityKeyIdentifierSpec | false;
  /** Signs with this key instead of the parent's (a forged link). */
  readonly signingKey?: { readonly kind: KeyKind; readonly slot: number };
  /** The constraints this CA sets, as samples; default: its parent's. */
  readonly names?: NameSamples;
}

const attr = (type: string, value: string, stringType?: StringType): AttributeSpec =>
  stringType ? { type, value, stringType } : { type, value };

/** A catalogue entry: a CA definition with its label. */
type Entry = CaDef & { readonly label: string };

/** A root in the bundle (options may take it out). */
const root = (
  label: string,
  key: KeyKind,
  slot: number,
  about: string,
  o: Partial<CaDef> = {},
): Entry => ({ label, key, slot, about, inBundle: true, ...o });

/** A P-256 intermediate in the bundle, its key slot chosen by the seed (options override). */
const inter = (label: string, parent: string, about: string, o: Partial<CaDef> = {}): Entry => ({
  label,
  parent,
  key: 'p-256',
  about,
  inBundle: true,
  ...o,
});

/**
 * The catalogue: every kind of CA the differential test needs, by design. The seed changes
 * string types, serials, digests, key slots, validity periods and bundle order, not the list.
 */
function catalogue(rng: SeededRandom, now: number): Entry[] {
  const ago = (days: number): Date => new Date(now - days * DAY);
  const ahead = (days: number): Date => new Date(now + days * DAY);
  const name = (rdns: RdnSpec[]): NameSpec => ({ rdns });
  const forge = (cn: string): NameSpec => name([[attr('O', 'Forge')], [attr('CN', cn)]]);
  const goodCorp = [[attr('C', 'US')], [attr('O', 'Good Corp')]];
  const contractors = [...goodCorp, [attr('OU', 'Contractors')]];
  const in2050 = (): Date => new Date(Date.UTC(2050, rng.int(0, 11), 1));
  const dnsGood = constrainedNames(
    { dns: ['api.good.example', 'billing.good.example'] },
    { dns: ['billing-service', 'api.evil.example', 'bad.good.example', 'good.example'] },
  );
  const deep: Entry[] = [];
  for (let i = 1; i <= 10; i++) {
    const parent = i === 1 ? 'root-ec' : `deep-${i - 1}`;
    deep.push(inter(`deep-${i}`, parent, `chain root-ec -> deep-1 -> ... -> deep-10, step ${i}`));
  }
  return [
    // Roots of several key types and digests.
    root('root-rsa', 'rsa-2048', 0, 'RSA-2048 root, SHA-256', {
      signs: { digest: 'sha256' },
      extensions: [crlDistributionPoints(['http://crl.forge.example/root-rsa.crl'])],
    }),
    root('root-ec', 'p-256', 0, 'P-256 root, ECDSA SHA-256', { signs: { digest: 'sha256' } }),
    root('root-p384', 'p-384', 0, 'P-384 root, ECDSA SHA-384', { signs: { digest: 'sha384' } }),
    root('root-p521', 'p-521', 0, 'P-521 root, ECDSA SHA-512', { signs: { digest: 'sha512' } }),
    root('root-ed25519', 'ed25519', 0, 'Ed25519 root'),
    root('root-ed448', 'ed448', 0, 'Ed448 root'),
    root('root-rsa4096', 'rsa-4096', 0, 'RSA-4096 root, SHA-512', { signs: { digest: 'sha512' } }),
    root('root-rsa-pss', 'rsa-3072', 0, 'RSA-3072 root signing with RSA-PSS', {
      signs: { pss: true },
    }),
    root('root-rsa1024-sha1', 'rsa-1024', 0, 'RSA-1024 root signing with SHA-1 (weak)', {
      signs: { digest: 'sha1' },
    }),
    root('root-secp256k1', 'secp256k1', 0, 'secp256k1 root', { signs: { digest: 'sha256' } }),
    root('root-secp224r1', 'secp224r1', 0, 'secp224r1 root', { signs: { digest: 'sha224' } }),
    root('root-v1', 'rsa-2048', 1, 'v1 root (no extensions at all)', { version: 1 }),
    root('root-no-ski', 'p-384', 0, 'v3 root without subject or authority key identifier', {
      ski: false,
      aki: () => false,
    }),
    root('root-ku-no-certsign', 'p-256', 1, 'root whose keyUsage lacks keyCertSign', {
      usage: keyUsage(['digitalSignature', 'cRLSign']),
      flaw: 'the root keyUsage lacks keyCertSign',
    }),
    root('root-unknown-critical', 'p-256', 1, 'root with an unknown critical extension', {
      extensions: [unknownExtension(true)],
      flaw: 'unhandled critical extension on the root',
    }),
    root('root-expired', 'ed25519', 1, 'expired root', {
      notBefore: ago(800),
      notAfter: ago(rng.int(1, 60)),
      flaw: 'the root has expired',
    }),
    root('root-not-yet-valid', 'ed25519', 1, 'root not valid yet', {
      notBefore: ahead(rng.int(1, 60)),
      notAfter: ahead(3000),
      flaw: 'the root is not valid yet',
    }),
    // A trust anchor needs no basicConstraints when keyUsage or Netscape type says CA.
    root('root-no-bc-certsign', 'p-521', 1, 'v3 root without basicConstraints, keyCertSign', {
      basic: false,
    }),
    root('root-ns-sslca-only', 'p-384', 0, 'v3 root marked CA only by Netscape sslCA', {
      basic: false,
      usage: false,
      extensions: [netscapeCertType(['sslCA'])],
    }),
    root('root-ns-objca-only', 'p-384', 1, 'v3 root marked CA only by Netscape objCA', {
      basic: false,
      usage: false,
      extensions: [netscapeCertType(['objCA'])],
      flaw: 'a CA only by Netscape type must have sslCA',
    }),
    root('root-pathlen0', 'p-384', 1, 'root with pathLenConstraint 0', {
      basic: basicConstraints({ ca: true, pathLen: 0 }),
    }),
    root('root-nc', 'rsa-2048', 1, 'root with nameConstraints (DNS .good.example, IP 10/8)', {
      extensions: [
        nameConstraints({
          permitted: [{ dns: '.good.example' }, { ip: '10.0.0.0/8' }],
          excluded: [{ dns: 'billing-service' }],
        }),
      ],
      names: constrainedNames(
        { dns: ['api.good.example'], ip: ['10.20.30.40'] },
        { dns: ['billing-service', 'api.evil.example'], ip: ['192.168.1.1', '::1'] },
      ),
    }),
    // Same Name: renewed (same key, one expired), twins (other keys), a rogue (not trusted).
    root(
      'renewed-root-expired',
      'p-384',
      1,
      'expired first issue of renewed-root (same Name, key)',
      {
        subject: forge('Forge Renewed Root'),
        notBefore: ago(1500),
        notAfter: ago(rng.int(1, 100)),
      },
    ),
    root('renewed-root', 'p-384', 1, 'valid re-issue: path building must prefer it', {
      subject: forge('Forge Renewed Root'),
    }),
    root('twin-root-a', 'p-256', 0, 'Forge Twin Root, P-256 (same Name as twin-root-b)', {
      subject: forge('Forge Twin Root'),
    }),
    root('twin-root-b', 'ed25519', 0, 'Forge Twin Root, Ed25519 (same Name as twin-root-a)', {
      subject: forge('Forge Twin Root'),
    }),
    root('rogue-root', ROGUE.kind, ROGUE.slot, 'rogue root: the Name of root-rsa, another key', {
      sameNameAs: 'root-rsa',
      inBundle: false,
      flaw: 'rogue root: not in the bundle',
    }),
    root('untrusted-root', 'p-256', 1, 'root outside the bundle', {
      inBundle: false,
      flaw: 'the root is not in the bundle',
    }),

    // Intermediates in the bundle: a chain of depth 10, key types, names, times.
    inter('inter-rsa', 'root-rsa', 'plain RSA intermediate', {
      key: 'rsa-2048',
      extensions: [crlDistributionPoints(['http://crl.forge.example/inter-rsa.crl'])],
    }),
    ...deep,
    inter('inter-pss', 'root-rsa-pss', 'RSA intermediate signed and signing with RSA-PSS', {
      key: 'rsa-2048',
      signs: { pss: true },
    }),
    inter('inter-ed448', 'root-ed448', 'Ed448 intermediate', { key: 'ed448' }),
    inter('inter-p521', 'root-p521', 'P-521 intermediate', { key: 'p-521' }),
    inter('inter-rsa4096', 'root-rsa4096', 'P-384 intermediate under the RSA-4096 root', {
      key: 'p-384',
      signs: { digest: 'sha384' },
    }),
    inter('inter-sha1', 'root-rsa', 'intermediate signed and signing with SHA-1 (weak)', {
      key: 'rsa-2048',
      signedWith: { digest: 'sha1' },
      signs: { digest: 'sha1' },
    }),
    inter('inter-rsa1024', 'root-rsa1024-sha1', 'RSA-1024 intermediate (weak)', {
      key: 'rsa-1024',
      signs: { digest: 'sha256' },
    }),
    inter('inter-bmp-name', 'root-ec', 'intermediate named in TeletexString and BMPString', {
      subject: name([[attr('O', 'Forge', 'teletex')], [attr('CN', 'Forge BMP CA', 'bmp')]]),
    }),
    inter('inter-multi-rdn', 'root-ec', 'intermediate with a multi-valued RDN', {
      subject: name([
        [attr('O', 'Forge')],
        [attr('CN', 'Forge Multi RDN'), attr('OU', 'issuers'), attr('UID', 'ca-7')],
      ]),
    }),
    inter('inter-dc', 'root-p384', 'intermediate named with domainComponents', {
      subject: name([[attr('DC', 'test')], [attr('DC', 'example')], [attr('CN', 'Forge DC CA')]]),
    }),
    inter('inter-generalized', 'root-ec', 'GeneralizedTime before 2050 (RFC 5280 wants UTCTime)', {
      notBefore: { date: ago(100), encoding: 'generalized' },
      notAfter: { date: ahead(1000), encoding: 'generalized' },
    }),
    inter('inter-until-2049-utc', 'root-rsa', 'valid until 2049-12-31T23:59:59Z (UTCTime)', {
      notAfter: { date: new Date(Date.UTC(2049, 11, 31, 23, 59, 59)), encoding: 'utc' },
    }),
    inter('inter-until-2050-generalized', 'root-rsa', 'valid into 2050 (GeneralizedTime)', {
      notAfter: { date: in2050(), encoding: 'generalized' },
    }),
    inter('inter-2050-as-utc', 'root-rsa', 'notAfter in 2050 written as UTCTime (reads 1950)', {
      notAfter: { date: in2050(), encoding: 'utc' },
      flaw: 'notAfter UTCTime 50xxxx is 1950: expired',
    }),
    inter('inter-expired', 'root-rsa', 'expired intermediate', {
      notBefore: ago(700),
      notAfter: ago(rng.int(1, 300)),
      flaw: 'the intermediate has expired',
    }),
    inter('inter-not-yet-valid', 'root-ec', 'intermediate not valid yet', {
      notBefore: ahead(rng.int(1, 300)),
      notAfter: ahead(2000),
      flaw: 'the intermediate is not valid yet',
    }),

    // Path lengths and what makes a CA a CA.
    inter('pathlen0', 'root-rsa', 'pathLenConstraint 0', {
      basic: basicConstraints({ ca: true, pathLen: 0 }),
    }),
    inter('below-pathlen0', 'pathlen0', 'intermediate under a pathLen 0 CA', {
      flaw: 'exceeds the pathLenConstraint 0 of pathlen0',
    }),
    inter('below-root-pathlen0', 'root-pathlen0', 'intermediate under a pathLen 0 root', {
      flaw: 'exceeds the pathLenConstraint 0 of root-pathlen0',
    }),
    inter('pathlen1', 'root-ec', 'pathLenConstraint 1', {
      basic: basicConstraints({ ca: true, pathLen: 1 }),
    }),
    inter('pathlen1-child', 'pathlen1', 'one below a pathLen 1 CA (allowed)'),
    inter('pathlen1-grandchild', 'pathlen1-child', 'two below a pathLen 1 CA', {
      flaw: 'exceeds the pathLenConstraint 1 of pathlen1',
    }),
    inter('pathlen-negative', 'root-rsa', 'pathLenConstraint -1', {
      basic: basicConstraints({ ca: true, pathLen: -1 }),
      flaw: 'negative pathLenConstraint',
    }),
    inter('not-a-ca', 'root-rsa', 'basicConstraints CA:FALSE with keyCertSign', {
      basic: basicConstraints({ ca: false }),
      flaw: 'CA:FALSE',
    }),
    inter('not-a-ca-pathlen', 'root-ec', 'cA FALSE written out, with a pathLenConstraint', {
      basic: basicConstraints({ ca: false, pathLen: 0, explicitCaFalse: true }),
      flaw: 'CA:FALSE with pathLen',
    }),
    inter('no-bc-certsign', 'root-rsa', 'no basicConstraints, keyUsage keyCertSign', {
      basic: false,
      flaw: 'no basicConstraints: OpenSSL 3 wants CA:TRUE on an intermediate',
    }),
    inter('no-bc-no-ku', 'root-rsa', 'no basicConstraints and no keyUsage', {
      basic: false,
      usage: false,
      flaw: 'not a CA: no basicConstraints, no keyUsage',
    }),
    inter('ns-only-ca', 'root-ec', 'no basicConstraints or keyUsage, Netscape sslCA', {
      basic: false,
      usage: false,
      extensions: [netscapeCertType(['sslCA'])],
      flaw: 'no basicConstraints: OpenSSL 3 wants CA:TRUE on an intermediate',
    }),
    inter('v1-intermediate', 'root-rsa', 'v1 intermediate (not self-signed)', {
      key: 'rsa-2048',
      version: 1,
      flaw: 'a v1 certificate is a CA only when self-signed',
    }),

    // Key usage, extended key usage, Netscape cert type.
    inter('ku-certsign-only', 'root-ec', 'keyUsage keyCertSign alone', {
      usage: keyUsage(['keyCertSign']),
    }),
    inter('ku-noncritical', 'root-p384', 'non-critical keyUsage', {
      usage: keyUsage(['keyCertSign', 'cRLSign'], { critical: false }),
    }),
    inter('no-ku', 'root-p384', 'no keyUsage extension', { usage: false }),
    inter('ku-no-certsign', 'root-rsa', 'keyUsage without keyCertSign', {
      usage: keyUsage(['digitalSignature', 'keyEncipherment']),
      flaw: 'keyUsage lacks keyCertSign',
    }),
    inter('ku-empty', 'root-ec', 'keyUsage with no bits', {
      usage: keyUsage([]),
      flaw: 'keyUsage lacks keyCertSign',
    }),
    inter('eku-client', 'root-ec', 'extKeyUsage clientAuth', {
      extensions: [extKeyUsage(['clientAuth'])],
    }),
    inter('eku-client-server', 'root-rsa', 'extKeyUsage serverAuth + clientAuth', {
      extensions: [extKeyUsage(['serverAuth', 'clientAuth'])],
    }),
    inter('eku-server-only', 'root-rsa', 'extKeyUsage serverAuth only', {
      extensions: [extKeyUsage(['serverAuth'])],
      flaw: 'the CA extKeyUsage lacks clientAuth',
    }),
    inter('eku-any', 'root-ec', 'extKeyUsage anyExtendedKeyUsage only', {
      extensions: [extKeyUsage(['anyExtendedKeyUsage'])],
      flaw: 'OpenSSL reads anyExtendedKeyUsage as not clientAuth',
    }),
    inter('eku-email-only', 'root-p384', 'extKeyUsage emailProtection only', {
      extensions: [extKeyUsage(['emailProtection'])],
      flaw: 'the CA extKeyUsage lacks clientAuth',
    }),
    inter('ns-sslca', 'root-ec', 'Netscape cert type sslCA + smimeCA', {
      extensions: [netscapeCertType(['sslCA', 'smimeCA'])],
    }),
    // OpenSSL reads a CA's Netscape type only when nothing else makes it a CA (see root-ns-*).
    inter('ns-objca-only', 'root-rsa', 'Netscape cert type objCA only, CA:TRUE', {
      extensions: [netscapeCertType(['objCA'])],
    }),
    inter('ns-sslclient-on-ca', 'root-ec', 'Netscape cert type sslClient + sslServer, CA:TRUE', {
      extensions: [netscapeCertType(['sslClient', 'sslServer'])],
    }),

    // Policies (OpenSSL checks them only when asked; criticality alone must not fail).
    inter('policies', 'root-p384', 'certificatePolicies anyPolicy + a policy with a CPS', {
      extensions: [certificatePolicies([OID_ANY_POLICY, { oid: POLICY_A, cps: CPS }])],
    }),
    inter('policy-constraints-critical', 'root-rsa', 'critical policyConstraints, explicit 0', {
      extensions: [
        certificatePolicies([POLICY_A]),
        policyConstraints({ requireExplicitPolicy: 0, inhibitPolicyMapping: 0, critical: true }),
      ],
    }),
    inter('policy-constraints-noncritical', 'root-ec', 'non-critical policyConstraints', {
      extensions: [policyConstraints({ requireExplicitPolicy: 1, critical: false })],
    }),
    inter('policy-constraints-empty', 'root-ec', 'critical empty policyConstraints (RFC: never)', {
      extensions: [policyConstraints({ critical: true })],
    }),
    inter('inhibit-any-critical', 'root-p384', 'critical inhibitAnyPolicy 0', {
      extensions: [certificatePolicies([OID_ANY_POLICY]), inhibitAnyPolicy(0, { critical: true })],
    }),
    inter('inhibit-any-noncritical', 'root-rsa', 'non-critical inhibitAnyPolicy', {
      extensions: [inhibitAnyPolicy(rng.int(0, 2), { critical: false })],
    }),
    inter('policy-mappings', 'root-ec', 'policyMappings A -> B', {
      extensions: [
        certificatePolicies([POLICY_A]),
        policyMappings([[POLICY_A, POLICY_B]], { critical: rng.chance(0.5) }),
      ],
    }),

    // Unknown, duplicated and undecodable extensions.
    inter('unknown-critical', 'root-rsa', 'unknown critical extension', {
      extensions: [unknownExtension(true)],
      flaw: 'unhandled critical extension',
    }),
    inter('unknown-noncritical', 'root-ec', 'unknown non-critical extension', {
      extensions: [unknownExtension(false)],
    }),
    inter('duplicate-extension', 'root-rsa', 'basicConstraints twice', {
      extensions: [basicConstraints({ ca: true })],
      flaw: 'duplicated extension',
    }),
    inter('garbage-extension', 'root-ec', 'keyUsage whose value is not DER', {
      usage: false,
      extensions: [garbageExtension(id_ce_keyUsage, false)],
      flaw: 'undecodable keyUsage',
    }),
    inter('garbage-basic-constraints', 'root-ec', 'critical basicConstraints, truncated value', {
      basic: false,
      extensions: [garbageExtension(id_ce_basicConstraints, true, Buffer.from('30030101', 'hex'))],
      flaw: 'undecodable basicConstraints',
    }),

    // Key identifiers.
    inter('no-ski', 'root-rsa', 'no subjectKeyIdentifier (so its leaves carry no AKI)', {
      ski: false,
    }),
    inter('ski-mismatch', 'root-ec', 'subjectKeyIdentifier not the key hash (leaves match it)', {
      ski: rng.bytes(20),
    }),
    inter('no-aki', 'root-p384', 'no authorityKeyIdentifier', { aki: () => false }),
    inter('aki-mismatch', 'root-rsa', 'authorityKeyIdentifier matching no issuer', {
      aki: () => ({ keyId: rng.bytes(20) }),
      flaw: 'AKI does not match the issuer SKI',
    }),
    inter('aki-issuer-serial', 'root-rsa', 'AKI keyId + authorityCertIssuer + serial, matching', {
      aki: (p) => ({
        keyId: p?.certificate.subjectKeyId,
        issuer: p?.certificate.issuerName,
        serial: p?.certificate.serial,
      }),
    }),
    inter('aki-issuer-serial-wrong', 'root-ec', 'AKI by issuer and serial, wrong serial', {
      aki: (p) => ({ issuer: p?.certificate.issuerName, serial: 4242n }),
      flaw: 'AKI serial does not match the issuer',
    }),
    inter('forged-link-in-bundle', 'root-rsa', 'claims root-rsa, signed by the rogue key', {
      subject: forge('Forge Forged Link In Bundle'),
      signingKey: ROGUE,
      flaw: 'bad signature',
    }),

    // Name constraints, every form (and root-nc above).
    inter(
      'nc-dns',
      'root-rsa',
      'nameConstraints DNS: permit .good.example, exclude billing-service',
      {
        extensions: [
          nameConstraints({
            permitted: [{ dns: '.good.example' }],
            excluded: [{ dns: 'billing-service' }, { dns: 'bad.good.example' }],
          }),
        ],
        names: dnsGood,
      },
    ),
    inter('nc-dns-nested', 'nc-dns', 'nameConstraints DNS: permit .api.good.example', {
      extensions: [nameConstraints({ permitted: [{ dns: '.api.good.example' }] })],
      names: constrainedNames(
        { dns: ['x.api.good.example', 'billing.api.good.example'] },
        { dns: ['billing.good.example', 'billing-service', 'x.api.evil.example'] },
      ),
    }),
    inter(
      'nc-dns-excluded',
      'root-ec',
      'nameConstraints DNS: exclude billing-service, .evil.example',
      {
        extensions: [
          nameConstraints({ excluded: [{ dns: 'billing-service' }, { dns: '.evil.example' }] }),
        ],
        names: constrainedNames(
          { dns: ['billing.service.example', 'api.good.example'] },
          { dns: ['billing-service', 'api.evil.example', 'x.billing-service'] },
        ),
      },
    ),
    inter('nc-email', 'root-p384', 'nameConstraints email: permit good.example, exclude ceo@', {
      extensions: [
        nameConstraints({
          permitted: [{ email: 'good.example' }, { email: '.good.example' }],
          excluded: [{ email: 'ceo@good.example' }],
        }),
      ],
      names: constrainedNames(
        { email: ['billing@good.example', 'ops@eu.good.example'] },
        { email: ['ceo@good.example', 'billing@evil.example', 'billing@good.example.evil'] },
      ),
    }),
    inter('nc-uri', 'root-ec', 'nameConstraints URI: permit example.test, .good.example', {
      extensions: [
        nameConstraints({
          permitted: [{ uri: 'example.test' }, { uri: '.good.example' }],
          excluded: [{ uri: 'evil.good.example' }],
        }),
      ],
      names: constrainedNames(
        { uri: ['spiffe://example.test/ns/prod/sa/billing', 'https://api.good.example/billing'] },
        {
          uri: [
            'spiffe://evil.test/ns/prod/sa/billing',
            'https://evil.good.example/',
            'https://good.example/',
          ],
        },
      ),
    }),
    inter('nc-ip', 'root-rsa', 'nameConstraints IP: permit 10/8, 2001:db8::/32; exclude 10.66/16', {
      extensions: [
        nameConstraints({
          permitted: [{ ip: '10.0.0.0/8' }, { ip: '2001:db8::/32' }],
          excluded: [{ ip: '10.66.0.0/16' }],
        }),
      ],
      names: constrainedNames(
        { ip: ['10.1.2.3', '2001:db8::5'] },
        { ip: ['10.66.1.1', '192.168.1.1', '::1'] },
      ),
    }),
    inter('nc-dn', 'root-ec', 'nameConstraints directoryName: permit Good Corp, not Contractors', {
      extensions: [
        nameConstraints({
          permitted: [{ directoryName: name(goodCorp) }],
          excluded: [{ directoryName: name(contractors) }],
        }),
      ],
      names: constrainedNames({ subjectPrefix: goodCorp }, { subjectPrefix: contractors }),
    }),
    inter('nc-mixed-noncritical', 'root-p384', 'non-critical nameConstraints on every form', {
      key: 'p-384',
      extensions: [
        nameConstraints({
          critical: false,
          permitted: [
            { dns: '.good.example' },
            { email: 'good.example' },
            { uri: '.good.example' },
            { ip: '10.0.0.0/8' },
            { directoryName: name(goodCorp) },
          ],
          excluded: [{ dns: 'billing-service' }],
        }),
      ],
      names: constrainedNames(
        {
          dns: ['api.good.example'],
          email: ['billing@good.example'],
          uri: ['https://api.good.example/'],
          ip: ['10.9.8.7'],
          subjectPrefix: goodCorp,
        },
        {
          dns: ['billing-service', 'api.evil.example'],
          email: ['billing@evil.example'],
          uri: ['spiffe://example.test/ns/prod/sa/billing'],
          ip: ['127.0.0.1'],
          subjectPrefix: [[attr('O', 'Evil Corp')]],
        },
      ),
    }),
    inter('nc-minmax', 'root-rsa', 'nameConstraints with minimum 1, maximum 3 (RFC: 0, absent)', {
      extensions: [
        nameConstraints({
          permitted: [{ base: { dns: '.good.example' }, minimum: 1, maximum: 3 }],
        }),
      ],
      names: dnsGood,
      flaw: 'OpenSSL refuses minimum/maximum in name constraints (for leaves with DNS names)',
    }),

    // Only a client can send these.
    inter('sendable-1', 'root-rsa', 'intermediate a client must send', { inBundle: false }),
    inter('sendable-2', 'sendable-1', 'intermediate under sendable-1', { inBundle: false }),
    inter('sendable-ed25519', 'root-ed25519', 'Ed25519 intermediate a client must send', {
      key: 'ed25519',
      inBundle: false,
    }),
    inter('sendable-expired', 'root-rsa', 'expired intermediate outside the bundle', {
      inBundle: false,
      notBefore: ago(900),
      notAfter: ago(rng.int(1, 90)),
      flaw: 'the intermediate has expired',
    }),
    inter('renewed-inter-expired', 'root-ec', 'expired first issue of renewed-inter', {
      key: 'p-384',
      slot: 0,
      subject: forge('Forge Renewed Intermediate'),
      inBundle: false,
      notBefore: ago(1200),
      notAfter: ago(rng.int(1, 100)),
      flaw: 'expired, unless the client sends renewed-inter too',
    }),
    inter('renewed-inter', 'root-ec', 're-issue of renewed-inter-expired (same Name and key)', {
      key: 'p-384',
      slot: 0,
      subject: forge('Forge Renewed Intermediate'),
      inBundle: false,
    }),
    inter('forged-link', 'root-rsa', 'claims root-rsa, signed by the rogue key, not in bundle', {
      subject: forge('Forge Forged Link'),
      signingKey: ROGUE,
      inBundle: false,
      flaw: 'bad signature',
    }),
    inter('untrusted-inter', 'untrusted-root', 'intermediate under untrusted-root', {
      inBundle: false,
      flaw: 'the root is not in the bundle',
    }),
    inter('rogue-inter', 'rogue-root', 'intermediate under the rogue root', {
      inBundle: false,
      flaw: 'rogue root: not in the bundle',
    }),
  ];
}

const defaultSubject = (label: string, rng: SeededRandom): NameSpec => {
  // The seed picks PrintableString or UTF8String; OpenSSL compares either canonically.
  const type = rng.weighted<StringType>([
    [3, 'utf8'],
    [1, 'printable'],
  ]);
  return { rdns: [[attr('O', 'Forge', type)], [attr('CN', `Forge ${label}`, type)]] };
};

/** A positive serial of 8 to 16 seeded bytes. */
function seededSerial(rng: SeededRandom): Buffer {
  const bytes = rng.bytes(rng.int(8, 16));
  bytes[0] = ((bytes[0] as number) & 0x7f) | 0x01;
  return bytes;
}

/**
 * Makes the world for `seed`: the catalogue of CAs (roots of every key type, chains up to depth
 * 10, name constraints of every form, path lengths, key usages, extended key usages, Netscape
 * types, policies, critical unknowns, bad validity, CA:FALSE, v1, same-Name roots, AKI/SKI
 * variants, weak keys and digests), the trust bundle, and server and proxy credentials.
 * The structure follows the seed; key material comes from the pool.
 */
export function createWorld(seed: number, options: WorldOptions = {}): World {
  const keys = options.keys ?? sharedKeyPool;
  if (keys.perKind < 2) throw new Error('a world needs a key pool with 2 or more keys per kind');
  const nowMs = Math.floor((options.now ?? new Date()).getTime() / 1000) * 1000;
  const rng = new SeededRandom(seed);
  const byLabel = new Map<string, WorldCa>();
  const cas: WorldCa[] = [];

  for (const def of catalogue(rng, nowMs)) {
    const { label } = def;
    const parent = def.parent === undefined ? undefined : byLabel.get(def.parent);
    if (def.parent !== undefined && !parent)
      throw new Error(`${label}: parent ${def.parent} not made yet`);
    let key = keys.get(def.key, def.slot ?? rng.int(0, 1));
    // A CA never shares its parent's key: that would make it look self-signed to a key matcher.
    if (key === parent?.key) key = keys.get(def.key, key.slot + 1);
    const subject =
      def.subject ??
      (def.sameNameAs !== undefined ? byLabel.get(def.sameNameAs)?.subject : undefined) ??
      defaultSubject(label, rng);
    const signs = def.signs ?? sha2Of(rng);
    const extensions: ExtensionSpec[] = [];
    if (def.version !== 1) {
      if (def.basic !== false) extensions.push(def.basic ?? basicConstraints({ ca: true }));
      if (def.usage !== false) extensions.push(def.usage ?? keyUsage(['keyCertSign', 'cRLSign']));
    }
    extensions.push(...(def.extensions ?? []));
    const aki = def.aki?.(parent);
    const certificate = forgeCertificate({
      version: def.version ?? 3,
      serial: seededSerial(rng),
      subject,
      subjectKey: key,
      ...(parent ? { issuer: { certificate: parent.certificate, key: parent.key } } : {}),
      notBefore: def.notBefore ?? new Date(nowMs - rng.int(30, 2000) * DAY),
      notAfter: def.notAfter ?? new Date(nowMs + rng.int(2, 15) * YEAR),
      signature: def.signedWith ?? parent?.signs ?? signs,
      ...(def.signingKey ? { signingKey: keys.get(def.signingKey.kind, def.signingKey.slot) } : {}),
      ...(def.ski !== undefined ? { subjectKeyIdentifier: def.ski } : {}),
      ...(aki !== undefined ? { authorityKeyIdentifier: aki } : {}),
      extensions,
    });
    const ca: WorldCa = {
      label,
      about: def.about,
      certificate,
      key,
      subject,
      inBundle: def.inBundle,
      parent,
      depth: parent ? parent.depth + 1 : 0,
      flaw: def.flaw,
      names: def.names ?? parent?.names ?? OPEN_NAMES,
      signs,
    };
    byLabel.set(label, ca);
    cas.push(ca);
  }

  const get = (label: string): WorldCa => {
    const ca = byLabel.get(label);
    if (!ca) throw new Error(`no CA ${label} in the world`);
    return ca;
  };
  const bundle = rng.shuffle(cas.filter((c) => c.inBundle));
  const credential = (
    issuer: WorldCa,
    subject: NameSpec,
    key: ForgeKey,
    extensions: ExtensionSpec[],
  ): WorldCredential => {
    const certificate = forgeCertificate({
      serial: seededSerial(rng),
      subject,
      subjectKey: key,
      issuer: { certificate: issuer.certificate, key: issuer.key },
      notBefore: new Date(nowMs - DAY),
      notAfter: new Date(nowMs + YEAR),
      signature: issuer.signs,
      extensions,
    });
    return { certificate, key, certPem: certificate.pem, keyPem: key.privatePem };
  };
  const server = credential(
    get('root-ec'),
    { rdns: [[attr('O', 'Forge')], [attr('CN', 'localhost')]] },
    keys.get('p-256', 1),
    [
      basicConstraints({ ca: false }),
      keyUsage(['digitalSignature', 'keyEncipherment']),
      extKeyUsage(['serverAuth']),
      subjectAltName([{ dns: 'localhost' }, { ip: '127.0.0.1' }, { ip: '::1' }]),
    ],
  );
  const proxy = credential(
    get('root-rsa'),
    { rdns: [[attr('O', 'Forge')], [attr('OU', 'proxies')], [attr('CN', 'trusted-proxy')]] },
    keys.get('p-256', 1),
    [basicConstraints({ ca: false }), keyUsage(['digitalSignature']), extKeyUsage(['clientAuth'])],
  );
  return {
    seed,
    now: new Date(nowMs),
    keys,
    cas,
    bundle,
    bundlePem: bundle.map((c) => c.certificate.pem).join(''),
    server,
    proxy,
    ca: get,
  };
}

function sha2Of(rng: SeededRandom): SignatureChoice {
  return { digest: rng.pick(['sha256', 'sha256', 'sha384', 'sha512'] as const) };
}

/** The CA and the world CAs above it, up to its root: `[ca, parent, ..., root]`. */
export function pathOf(ca: WorldCa): WorldCa[] {
  const out: WorldCa[] = [];
  for (let c: WorldCa | undefined = ca; c; c = c.parent) out.push(c);
  return out;
}

/** What a client must send for a leaf under `ca`: the CAs on its path outside the bundle. */
export function neededChain(ca: WorldCa): WorldCa[] {
  return pathOf(ca).filter((c) => !c.inBundle);
}
