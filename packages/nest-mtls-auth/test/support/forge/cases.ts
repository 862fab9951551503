import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { signatureAlgorithm, signatureLabel, type SignatureChoice } from './algorithms.js';
import { forgeCertificate, type ForgedCertificate } from './certificate.js';
import { TAG, tlv } from './der.js';
import {
  basicConstraints,
  certificatePolicies,
  crlDistributionPoints,
  extKeyUsage,
  garbageExtension,
  keyUsage,
  netscapeCertType,
  OID_ANY_POLICY,
  subjectAltName,
  unknownExtension,
  type AuthorityKeyIdentifierSpec,
  type ExtensionSpec,
  type GeneralName,
  type KeyUsageName,
  type NetscapeCertTypeName,
} from './extensions.js';
import { keyFamily, type ForgeKey, type KeyKind, type KeyPool } from './keys.js';
import { OPEN_NAMES, type NameSamples, type NameSet } from './name-samples.js';
import {
  encodeAttribute,
  mapAttributes,
  type AttributeSpec,
  type NameSpec,
  type RdnSpec,
  type StringType,
} from './names.js';
import type { TimeSpec } from './time.js';
import { pathOf, POLICY_A, POLICY_B, type World, type WorldCa } from './world.js';
import { id_ce_keyUsage } from '@peculiar/asn1-x509';

const DAY = 24 * 60 * 60 * 1000;
const YEAR = 365 * DAY;

/** A certificate a client sends after its leaf. */
export interface SentCertificate {
  readonly der: Buffer;
  readonly pem: string;
}

/** One generated client: its leaf and key, and the chain it sends after the leaf. */
export interface ClientCase {
  /** Stable for the same plan: a hash of every choice made. */
  readonly id: string;
  /** One line: the issuer, what is sent, and every knob that was varied from the plain leaf. */
  readonly description: string;
  readonly leaf: {
    readonly der: Buffer;
    readonly pem: string;
    /** PKCS#8 PEM of the leaf's key. */
    readonly keyPem: string;
    /** RSA-512 keys need `@SECLEVEL=0` on a TLS client; the others load at OpenSSL's defaults. */
    readonly keyKind: KeyKind;
  };
  readonly sent: readonly SentCertificate[];
}

/** A choice by weight: `{ choice: weight }`; the first entry is what fast-check shrinks towards. */
type Weights<K extends string> = Readonly<Record<K, number>>;

function weighted<K extends string>(weights: Weights<K>): fc.Arbitrary<K> {
  const entries = (Object.entries(weights) as Array<[K, number]>).filter(([, w]) => w > 0);
  return fc.oneof(...entries.map(([k, weight]) => ({ weight, arbitrary: fc.constant(k) })));
}

// Each table lists the plain choice first; faults are rare one by one, so that most cases differ
// from an accepted leaf by one or two things.
const CHAIN = {
  needed: 56,
  path: 8,
  'path-and-root': 8,
  none: 6,
  reversed: 4,
  extra: 6,
  wrong: 3,
  partial: 3,
  duplicate: 2,
  impostor: 2,
  'impostor-only': 2,
  'same-name-too': 3,
} as const;
type ChainChoice = keyof typeof CHAIN;

const KEYS: Weights<KeyKind> = {
  'p-256': 34,
  'rsa-2048': 24,
  'p-384': 10,
  ed25519: 8,
  'p-521': 5,
  'rsa-3072': 4,
  ed448: 4,
  'rsa-1024': 4,
  'rsa-4096': 2,
  'rsa-512': 2,
  secp256k1: 0,
  secp224r1: 0,
};

const SIGNATURE = {
  'issuer-default': 70,
  sha256: 8,
  sha384: 6,
  sha512: 5,
  sha224: 3,
  sha1: 5,
  pss: 3,
} as const;

const EKU: Weights<string> = {
  clientAuth: 50,
  'clientAuth,serverAuth': 15,
  absent: 10,
  'clientAuth,1.3.6.1.4.1.55555.4.1': 5,
  'clientAuth,anyExtendedKeyUsage': 4,
  'clientAuth (critical)': 5,
  serverAuth: 3,
  anyExtendedKeyUsage: 2,
  emailProtection: 1,
  empty: 1,
};

const KU: Weights<string> = {
  absent: 40,
  digitalSignature: 34,
  'digitalSignature,keyEncipherment': 12,
  'digitalSignature,nonRepudiation': 4,
  'digitalSignature,keyCertSign': 4,
  'digitalSignature (non-critical)': 2,
  keyEncipherment: 2,
  empty: 1,
  keyAgreement: 1,
};

const NS: Weights<string> = {
  absent: 86,
  sslClient: 6,
  'sslClient,smime': 3,
  sslServer: 2,
  objsign: 1,
  sslCA: 1,
  'sslClient,sslCA': 1,
};

const BC = {
  absent: 44,
  'CA:FALSE': 36,
  'CA:FALSE non-critical': 8,
  'CA:TRUE': 5,
  'CA:TRUE pathLen 0': 3,
  'CA:FALSE pathLen 0': 2,
  'cA FALSE written out': 2,
} as const;

const CN = {
  'billing-service': 34,
  'dns-name': 20,
  'notification-service': 8,
  'trusted-proxy': 3,
  none: 4,
  'two-cns': 3,
  padded: 2,
  unicode: 3,
  long: 2,
  'spiffe-uri': 2,
  wildcard: 2,
} as const;

const SHAPE = {
  'o-ou': 55,
  'cn-only': 15,
  'c-st-l-o': 6,
  'multi-rdn': 5,
  'email-attribute': 5,
  dc: 5,
  'serial-number': 4,
  empty: 2,
  'unknown-attribute': 3,
} as const;

const STRINGS = {
  utf8: 66,
  printable: 12,
  ia5: 3,
  bmp: 4,
  teletex: 3,
  universal: 3,
  visible: 1,
  mixed: 3,
  'universal-invalid': 1,
  'printable-invalid': 2,
} as const;

const ISSUER_NAME = {
  copy: 88,
  'other-string-type': 5,
  'upper-case': 4,
  'extra-spaces': 3,
} as const;

const SAN = {
  none: 25,
  dns: 24,
  uri: 14,
  'dns,uri': 10,
  email: 5,
  ip: 5,
  'dns,ip': 5,
  'dns,uri,email,ip': 5,
  'directory-name': 2,
  'other-name': 2,
  empty: 1,
  'dns (critical)': 2,
} as const;

const VALIDITY = {
  now: 68,
  generalized: 5,
  'until-2049-utc': 3,
  'until-2049-generalized': 2,
  'until-2050-generalized': 3,
  'until-2050-as-utc': 2,
  'expired-seconds': 2,
  'expired-years': 2,
  'not-yet-seconds': 2,
  'not-yet-years': 2,
  'notBefore-utc-offset': 1,
  'notAfter-utc-no-seconds': 1,
  'notBefore-fraction': 1,
  'notBefore-leap-second': 1,
  'notAfter-generalized-leap-second': 1,
  'notAfter-feb-30': 1,
  'notAfter-garbage': 1,
} as const;

const POLICIES = {
  absent: 85,
  anyPolicy: 4,
  'policy-a': 5,
  'policy-b (critical)': 3,
  unknown: 3,
} as const;

const EXTRA = {
  none: 86,
  'unknown non-critical': 5,
  'unknown critical': 4,
  'duplicate extKeyUsage': 1,
  'garbage keyUsage': 1,
  'crl distribution point': 2,
  'duplicate subjectAltName': 1,
} as const;

const AKI = { default: 88, absent: 6, wrong: 3, 'issuer-and-serial': 3 } as const;
const VERSION = { v3: 96, v1: 3, v2: 1 } as const;
const SERIAL = {
  random: 90,
  zero: 2,
  negative: 2,
  '21 bytes': 2,
  '32 bytes': 1,
  'non-minimal': 1,
  one: 1,
} as const;
const FORGERY = {
  none: 95,
  'signed by another key': 3,
  'outer algorithm differs': 1,
  'inner algorithm differs': 1,
} as const;
const ENCODING = {
  der: 98,
  'indefinite-length subject': 1,
  'unsorted multi-valued RDN': 1,
} as const;

type IssuerPlan =
  | { readonly kind: 'world'; readonly ca: number }
  | { readonly kind: 'fresh'; readonly under: number; readonly depth: number }
  | { readonly kind: 'self-signed' };

/** Every choice of one case; the builder turns it into certificates. */
interface CasePlan {
  readonly issuer: IssuerPlan;
  readonly chain: ChainChoice;
  readonly others: readonly number[];
  readonly key: KeyKind;
  readonly slot: number;
  readonly signature: keyof typeof SIGNATURE;
  readonly eku: string;
  readonly ku: string;
  readonly ns: string;
  readonly bc: keyof typeof BC;
  readonly cn: keyof typeof CN;
  readonly shape: keyof typeof SHAPE;
  readonly strings: keyof typeof STRINGS;
  readonly issuerName: keyof typeof ISSUER_NAME;
  readonly san: keyof typeof SAN;
  readonly names: 'inside' | 'outside';
  readonly pickName: number;
  readonly validity: keyof typeof VALIDITY;
  readonly jitter: number;
  readonly policies: keyof typeof POLICIES;
  readonly extra: keyof typeof EXTRA;
  readonly aki: keyof typeof AKI;
  readonly version: keyof typeof VERSION;
  readonly serial: keyof typeof SERIAL;
  readonly forgery: keyof typeof FORGERY;
  readonly encoding: keyof typeof ENCODING;
}

/** A CA on the leaf's path: a world CA or one made for this case. */
interface Node {
  readonly label: string;
  readonly certificate: ForgedCertificate;
  readonly key: ForgeKey;
  readonly subject: NameSpec;
  readonly inBundle: boolean;
  readonly signs: SignatureChoice;
  /** Self-signed: the top of its path. */
  readonly root: boolean;
}

const worldNode = (ca: WorldCa): Node => ({
  label: ca.label,
  certificate: ca.certificate,
  key: ca.key,
  subject: ca.subject,
  inBundle: ca.inBundle,
  signs: ca.signs,
  root: ca.parent === undefined,
});

const attr = (type: string, value: string, stringType?: StringType): AttributeSpec =>
  stringType ? { type, value, stringType } : { type, value };

/** Another key than `key` for the same kind (another slot), or of another kind when the pool has one slot. */
function otherKey(pool: KeyPool, key: ForgeKey): ForgeKey {
  if (pool.perKind > 1) return pool.get(key.kind, key.slot + 1);
  return pool.get(key.kind === 'p-256' ? 'p-384' : 'p-256', 0);
}

/** An AlgorithmIdentifier of another family than the signer's (for inner/outer mismatches). */
function mismatchedAlgorithm(pool: KeyPool, signer: ForgeKey): Buffer {
  const other = keyFamily(signer.kind) === 'rsa' ? pool.get('p-256', 0) : pool.get('rsa-2048', 0);
  return signatureAlgorithm(other, { digest: 'sha256' });
}

/** Attribute types whose string type a case may change (C, email, DC keep theirs). */
const TEXT_TYPES = new Set(['CN', 'O', 'OU', 'L', 'ST']);

function reencodeIssuer(subject: NameSpec, mode: keyof typeof ISSUER_NAME): NameSpec {
  return mapAttributes(subject, (a) => {
    if (mode === 'upper-case') return { ...a, value: a.value.toUpperCase() };
    if (mode === 'extra-spaces') return { ...a, value: `  ${a.value.replaceAll(' ', '   ')} ` };
    const from = a.stringType ?? (a.type === 'C' ? 'printable' : 'utf8');
    return { ...a, stringType: from === 'printable' ? 'utf8' : 'printable' };
  });
}

/** `n` bytes derived from `text`, top bit clear and first byte non-zero: a positive serial. */
function positiveBytes(text: string, n: number): Buffer {
  const bytes = createHash('sha256').update(text).digest().subarray(0, n);
  bytes[0] = ((bytes[0] as number) & 0x7f) | 0x01;
  return bytes;
}

/** The serial for a choice; derived from the case id, so the same plan makes the same serial. */
function serialFor(choice: keyof typeof SERIAL, id: string): bigint | Uint8Array {
  const seeded = createHash('sha256').update(`serial:${id}`).digest();
  switch (choice) {
    case 'random':
      return positiveBytes(`serial:${id}`, 16);
    case 'zero':
      return 0n;
    case 'negative':
      return -BigInt(`0x${seeded.subarray(0, 8).toString('hex')}`) - 1n;
    case '21 bytes':
      return Buffer.concat([Buffer.from([0x01]), seeded.subarray(0, 20)]);
    case '32 bytes':
      return positiveBytes(`serial:${id}`, 32);
    case 'non-minimal':
      return Buffer.from([0x00, 0x00, 0x12, 0x34]);
    case 'one':
      return 1n;
  }
}

/** The leaf's validity for a choice, relative to the world's `now`. */
function validityFor(
  choice: keyof typeof VALIDITY,
  now: number,
  jitter: number,
): { notBefore: TimeSpec; notAfter: TimeSpec } {
  const at = (ms: number) => new Date(now + ms);
  const plain = { notBefore: at(-(3600 + jitter * 60) * 1000), notAfter: at((30 + jitter) * DAY) };
  const y2050 = new Date(Date.UTC(2050, 0, 1) + (jitter % 48) * 3600_000);
  const y2049 = new Date(Date.UTC(2049, 11, 31, 23, 59, 59));
  switch (choice) {
    case 'now':
      return plain;
    case 'generalized':
      return {
        notBefore: { date: plain.notBefore, encoding: 'generalized' },
        notAfter: { date: plain.notAfter, encoding: 'generalized' },
      };
    case 'until-2049-utc':
      return { notBefore: plain.notBefore, notAfter: { date: y2049, encoding: 'utc' } };
    case 'until-2049-generalized':
      return { notBefore: plain.notBefore, notAfter: { date: y2049, encoding: 'generalized' } };
    case 'until-2050-generalized':
      return { notBefore: plain.notBefore, notAfter: { date: y2050, encoding: 'generalized' } };
    case 'until-2050-as-utc':
      return { notBefore: plain.notBefore, notAfter: { date: y2050, encoding: 'utc' } };
    case 'expired-seconds':
      return { notBefore: at(-30 * DAY), notAfter: at(-(5 + (jitter % 120)) * 1000) };
    case 'expired-years':
      return { notBefore: at(-5 * YEAR), notAfter: at(-(1 + (jitter % 3)) * YEAR) };
    case 'not-yet-seconds':
      // Minutes ahead, not seconds: the case must still be in the future when a test runs it.
      return { notBefore: at((600 + (jitter % 600)) * 1000), notAfter: at(YEAR) };
    case 'not-yet-years':
      return { notBefore: at((1 + (jitter % 3)) * YEAR), notAfter: at(10 * YEAR) };
    case 'notBefore-utc-offset':
      return { notBefore: { date: at(-DAY), encoding: 'utc-offset' }, notAfter: plain.notAfter };
    case 'notAfter-utc-no-seconds':
      return {
        notBefore: plain.notBefore,
        notAfter: { date: at(90 * DAY), encoding: 'utc-no-seconds' },
      };
    case 'notBefore-fraction':
      return {
        notBefore: { date: at(-DAY - 123), encoding: 'generalized-fraction' },
        notAfter: plain.notAfter,
      };
    case 'notBefore-leap-second':
      return {
        notBefore: { date: at(-2 * DAY), encoding: 'utc-leap-second' },
        notAfter: plain.notAfter,
      };
    case 'notAfter-generalized-leap-second':
      return {
        notBefore: plain.notBefore,
        notAfter: { date: at(100 * DAY), encoding: 'generalized-leap-second' },
      };
    case 'notAfter-feb-30':
      return { notBefore: plain.notBefore, notAfter: { date: at(YEAR), encoding: 'utc-feb-30' } };
    case 'notAfter-garbage':
      return { notBefore: plain.notBefore, notAfter: { raw: 'not a time', type: 'utc' } };
  }
}

function ekuExtensions(choice: string): ExtensionSpec[] {
  if (choice === 'absent') return [];
  if (choice === 'empty') return [extKeyUsage([])];
  if (choice === 'clientAuth (critical)') return [extKeyUsage(['clientAuth'], { critical: true })];
  return [extKeyUsage(choice.split(','))];
}

function kuExtensions(choice: string): ExtensionSpec[] {
  if (choice === 'absent') return [];
  if (choice === 'empty') return [keyUsage([])];
  if (choice === 'digitalSignature (non-critical)') {
    return [keyUsage(['digitalSignature'], { critical: false })];
  }
  return [keyUsage(choice.split(',') as KeyUsageName[])];
}

function nsExtensions(choice: string): ExtensionSpec[] {
  return choice === 'absent' ? [] : [netscapeCertType(choice.split(',') as NetscapeCertTypeName[])];
}

function bcExtensions(choice: keyof typeof BC): ExtensionSpec[] {
  switch (choice) {
    case 'absent':
      return [];
    case 'CA:FALSE':
      return [basicConstraints({ ca: false })];
    case 'CA:FALSE non-critical':
      return [basicConstraints({ ca: false, critical: false })];
    case 'CA:TRUE':
      return [basicConstraints({ ca: true })];
    case 'CA:TRUE pathLen 0':
      return [basicConstraints({ ca: true, pathLen: 0 })];
    case 'CA:FALSE pathLen 0':
      return [basicConstraints({ ca: false, pathLen: 0 })];
    case 'cA FALSE written out':
      return [basicConstraints({ ca: false, explicitCaFalse: true })];
  }
}

function policyExtensions(choice: keyof typeof POLICIES): ExtensionSpec[] {
  switch (choice) {
    case 'absent':
      return [];
    case 'anyPolicy':
      return [certificatePolicies([OID_ANY_POLICY])];
    case 'policy-a':
      return [certificatePolicies([{ oid: POLICY_A, cps: 'https://cps.forge.example/leaf' }])];
    case 'policy-b (critical)':
      return [certificatePolicies([POLICY_B], { critical: true })];
    case 'unknown':
      return [certificatePolicies(['1.3.6.1.4.1.55555.9.9'])];
  }
}

const nth = <T>(list: readonly T[], i: number): T | undefined =>
  list.length === 0 ? undefined : list[i % list.length];

/** The names a leaf carries: SAN entries, CN, subject prefix, email attribute, and what is outside. */
interface LeafNames {
  readonly san: GeneralName[];
  readonly dns: string | undefined;
  readonly email: string;
  readonly prefix: readonly RdnSpec[] | undefined;
  /** What breaks a constraint (for the description), if anything. */
  readonly outside: string | undefined;
}

function chooseNames(plan: CasePlan, samples: NameSamples): LeafNames {
  const i = plan.pickName;
  let inside: NameSet = samples.inside;
  let outside: string | undefined;
  let forms = plan.san.replace(' (critical)', '').split(',');
  if (plan.names === 'outside' && samples.constrained) {
    const o = samples.outside;
    const candidates = (['dns', 'email', 'uri', 'ip', 'subject'] as const).filter((f) =>
      f === 'subject' ? o.subjectPrefix !== undefined : o[f].length > 0,
    );
    const form = nth(candidates, i);
    if (form === 'subject') {
      inside = { ...inside, subjectPrefix: o.subjectPrefix };
      outside = 'subject';
    } else if (form) {
      const value = nth(o[form], i) as string;
      inside = { ...inside, [form]: [value] };
      outside = `${form} ${value}`;
      // A name outside must be in the certificate to break anything.
      if (!forms.includes(form))
        forms = [...forms.filter((f) => f !== 'none' && f !== 'empty'), form];
    }
  }
  const san: GeneralName[] = [];
  for (const f of forms) {
    if (f === 'dns') san.push({ dns: nth(inside.dns, i) as string });
    if (f === 'uri') san.push({ uri: nth(inside.uri, i) as string });
    if (f === 'email') san.push({ email: nth(inside.email, i) as string });
    if (f === 'ip') san.push({ ip: nth(inside.ip, i) as string });
    if (f === 'directory-name') {
      san.push({
        directoryName: { rdns: [...(inside.subjectPrefix ?? []), [attr('CN', 'billing-service')]] },
      });
    }
    if (f === 'other-name') {
      // A Microsoft UPN: a name form OpenSSL's name constraints do not read.
      san.push({
        otherName: {
          oid: '1.3.6.1.4.1.311.20.2.3',
          value: tlv(TAG.utf8String, Buffer.from('billing@service.example')),
        },
      });
    }
  }
  return {
    san,
    dns: nth(inside.dns, i),
    email: nth(inside.email, i) ?? 'billing@service.example',
    prefix: inside.subjectPrefix,
    outside,
  };
}

function commonNames(choice: keyof typeof CN, names: LeafNames): string[] {
  switch (choice) {
    case 'billing-service':
      return ['billing-service'];
    case 'dns-name':
      return [names.dns ?? 'billing.service.example'];
    case 'notification-service':
      return ['notification-service'];
    case 'trusted-proxy':
      return ['trusted-proxy'];
    case 'none':
      return [];
    case 'two-cns':
      return ['billing-service', 'gateway-service'];
    case 'padded':
      return ['  billing-service '];
    case 'unicode':
      return ['billing-sérvice'];
    case 'long':
      return [`billing-service-${'x'.repeat(60)}`];
    case 'spiffe-uri':
      return ['spiffe://example.test/ns/prod/sa/billing'];
    case 'wildcard':
      return ['*.good.example'];
  }
}

function subjectFor(plan: CasePlan, shape: keyof typeof SHAPE, names: LeafNames): NameSpec {
  const text: StringType | undefined =
    plan.strings === 'mixed' || plan.strings.endsWith('-invalid') || plan.strings === 'utf8'
      ? undefined
      : (plan.strings as StringType);
  const t = (type: string, value: string): AttributeSpec =>
    attr(type, value, TEXT_TYPES.has(type) ? text : undefined);
  let cns: AttributeSpec[] = commonNames(plan.cn, names).map((v) => t('CN', v));
  if (plan.strings === 'mixed') cns = cns.map((a) => ({ ...a, stringType: 'bmp' }));
  if (plan.strings === 'universal-invalid') {
    // U+110000 does not exist: a UniversalString no decoder can turn into UTF-8.
    cns = cns.map((a) => ({
      ...a,
      stringType: 'universal',
      codePoints: [...[...a.value].map((c) => c.codePointAt(0) ?? 0), 0x110000],
    }));
  }
  if (plan.strings === 'printable-invalid') {
    cns = cns.map((a) => ({ ...a, value: a.value.replaceAll('-', '_'), stringType: 'printable' }));
  }
  const o =
    plan.strings === 'mixed' ? attr('O', 'Forge Clients', 'printable') : t('O', 'Forge Clients');
  const cnRdns: RdnSpec[] = cns.map((a) => [a]);
  let rdns: RdnSpec[];
  switch (shape) {
    case 'o-ou':
      rdns = [[o], [t('OU', 'services')], ...cnRdns];
      break;
    case 'cn-only':
      rdns = cnRdns;
      break;
    case 'c-st-l-o':
      rdns = [
        [attr('C', 'US')],
        [t('ST', 'California')],
        [t('L', 'San Francisco')],
        [o],
        ...cnRdns,
      ];
      break;
    case 'multi-rdn':
      rdns = [[o], [cns[0] ?? t('OU', 'services'), attr('UID', 'billing')], ...cnRdns.slice(1)];
      break;
    case 'email-attribute':
      rdns = [[o], ...cnRdns, [attr('emailAddress', names.email)]];
      break;
    case 'dc':
      rdns = [[attr('DC', 'test')], [attr('DC', 'example')], ...cnRdns];
      break;
    case 'serial-number':
      rdns = [[o], ...cnRdns, [attr('serialNumber', '20260101-0042')]];
      break;
    case 'empty':
      rdns = [];
      break;
    case 'unknown-attribute':
      rdns = [[o], [attr('1.3.6.1.4.1.55555.3.1', 'hello')], ...cnRdns];
      break;
  }
  if (names.prefix) {
    // A directoryName constraint reads the subject from its first RDN: put the prefix first.
    const organisational = new Set(['C', 'O', 'ST', 'L', 'DC']);
    rdns = [
      ...names.prefix,
      ...rdns.filter((rdn) => !rdn.every((a) => organisational.has(a.type))),
    ];
  }
  if (plan.encoding === 'unsorted multi-valued RDN') {
    rdns = rdns.map((rdn) =>
      rdn.length < 2
        ? rdn
        : [...rdn].sort((a, b) => Buffer.compare(encodeAttribute(b), encodeAttribute(a))),
    );
    return { rdns, unsorted: true };
  }
  return {
    rdns,
    ...(plan.encoding === 'indefinite-length subject' ? { indefiniteLength: true } : {}),
  };
}

const planArbitrary = (world: World): fc.Arbitrary<CasePlan> => {
  const count = world.cas.length;
  const sound = world.cas.flatMap((c, i) => (c.flaw === undefined ? [i] : []));
  const flawed = world.cas.flatMap((c, i) => (c.flaw === undefined ? [] : [i]));
  const issuer: fc.Arbitrary<IssuerPlan> = fc.oneof(
    {
      weight: 68,
      arbitrary: fc.constantFrom(...sound).map((ca) => ({ kind: 'world' as const, ca })),
    },
    {
      weight: 18,
      arbitrary: fc.constantFrom(...flawed).map((ca) => ({ kind: 'world' as const, ca })),
    },
    {
      weight: 10,
      arbitrary: fc.record({
        kind: fc.constant('fresh' as const),
        under: fc.constantFrom(...sound),
        depth: fc.integer({ min: 1, max: 10 }),
      }),
    },
    { weight: 4, arbitrary: fc.constant({ kind: 'self-signed' as const }) },
  );
  return fc.record({
    issuer,
    chain: weighted(CHAIN),
    others: fc.array(fc.nat({ max: count - 1 }), { minLength: 1, maxLength: 3 }),
    key: weighted(KEYS),
    slot: fc.nat({ max: 1 }),
    signature: weighted(SIGNATURE),
    eku: weighted(EKU),
    ku: weighted(KU),
    ns: weighted(NS),
    bc: weighted(BC),
    cn: weighted(CN),
    shape: weighted(SHAPE),
    strings: weighted(STRINGS),
    issuerName: weighted(ISSUER_NAME),
    san: weighted(SAN),
    names: weighted({ inside: 85, outside: 15 } as const),
    pickName: fc.nat({ max: 11 }),
    validity: weighted(VALIDITY),
    jitter: fc.nat({ max: 1000 }),
    policies: weighted(POLICIES),
    extra: weighted(EXTRA),
    aki: weighted(AKI),
    version: weighted(VERSION),
    serial: weighted(SERIAL),
    forgery: weighted(FORGERY),
    encoding: weighted(ENCODING),
  });
};

/**
 * A fast-check arbitrary of client cases against `world`: an issuer (a world CA in or out of the
 * bundle at any depth, fresh intermediates of depth 1 to 10 under one, or none: self-signed), a
 * leaf varying key, digest, extended and plain key usage, Netscape type, basicConstraints, names
 * and SANs in and outside the path's name constraints, policies, unknown extensions, validity and
 * time encodings, string types and hostile encodings, and the chain sent after the leaf. Weighted
 * so that a third to a half pass OpenSSL; most others fail for one or two reasons.
 */
export function caseArbitrary(world: World): fc.Arbitrary<ClientCase> {
  const impostors = new Map<string, ForgedCertificate>();
  const impostorOf = (node: Node): ForgedCertificate => {
    let made = impostors.get(node.label);
    if (!made) {
      // Same Name as the issuer, another key, self-signed: chains by Name, never by signature.
      const key = world.keys.get(node.key.kind === 'p-384' ? 'p-256' : 'p-384', 1);
      made = forgeCertificate({
        subject: node.certificate.subjectName,
        subjectKey: key,
        notBefore: new Date(world.now.getTime() - 30 * DAY),
        notAfter: new Date(world.now.getTime() + 5 * YEAR),
        extensions: [basicConstraints({ ca: true }), keyUsage(['keyCertSign', 'cRLSign'])],
      });
      impostors.set(node.label, made);
    }
    return made;
  };
  return planArbitrary(world).map((plan) => buildCase(world, plan, impostorOf));
}

function buildCase(
  world: World,
  plan: CasePlan,
  impostorOf: (node: Node) => ForgedCertificate,
): ClientCase {
  const id = createHash('sha1').update(JSON.stringify(plan)).digest('hex').slice(0, 12);
  const pool = world.keys;
  const now = world.now.getTime();
  const parts: string[] = [];

  // The path above the leaf, nearest first.
  let path: Node[] = [];
  let samples: NameSamples;
  if (plan.issuer.kind === 'self-signed') {
    samples = OPEN_NAMES;
    parts.push('self-signed');
  } else {
    const index = plan.issuer.kind === 'world' ? plan.issuer.ca : plan.issuer.under;
    const ca = world.cas[index] as WorldCa;
    samples = ca.names;
    path = pathOf(ca).map(worldNode);
    const where = `${ca.label} [${ca.inBundle ? 'bundle' : 'not in bundle'}, depth ${ca.depth}]`;
    if (plan.issuer.kind === 'fresh') {
      path = [...freshChain(world, ca, plan.issuer.depth, id), ...path];
      parts.push(`under ${plan.issuer.depth} fresh CA(s) below ${where}`);
    } else parts.push(`under ${where}`);
    if (ca.flaw) parts.push(`issuer flaw: ${ca.flaw}`);
  }
  const issuer = path[0];

  // The leaf's key: never the issuer's own key, which would make the pair look self-signed.
  let key = pool.get(plan.key, plan.slot);
  if (key === issuer?.key) key = pool.get(plan.key, plan.slot + 1);
  const signer = issuer?.key ?? key;

  let signature: SignatureChoice = issuer?.signs ?? { digest: 'sha256' };
  if (plan.signature === 'pss')
    signature = keyFamily(signer.kind) === 'rsa' ? { pss: true } : signature;
  else if (plan.signature !== 'issuer-default') signature = { digest: plan.signature };
  // RSA-512 cannot carry SHA-384/512 DigestInfo or PSS with SHA-256 and a 32-byte salt.
  if (
    signer.kind === 'rsa-512' &&
    (signature.pss || signature.digest === 'sha384' || signature.digest === 'sha512')
  ) {
    signature = { digest: 'sha256' };
  }
  parts.push(`key ${key.kind}`, `signed ${signatureLabel(signer, signature)}`);

  const names = chooseNames(plan, samples);
  // An unsorted SET needs a multi-valued RDN to be unsorted in.
  const shape = plan.encoding === 'unsorted multi-valued RDN' ? 'multi-rdn' : plan.shape;
  const subject = subjectFor(plan, shape, names);
  const extensions: ExtensionSpec[] = [];
  // What the extensions vary; a v1 leaf has none, so its description leaves them out.
  const extParts: string[] = [];
  const vary = (label: string, choice: string, plain: string, ext: ExtensionSpec[]): void => {
    extensions.push(...ext);
    if (choice !== plain) extParts.push(`${label} ${choice}`);
  };
  vary('basicConstraints', plan.bc, 'absent', bcExtensions(plan.bc));
  vary(
    'keyUsage',
    plan.extra === 'garbage keyUsage' ? 'garbage' : plan.ku,
    'absent',
    plan.extra === 'garbage keyUsage'
      ? [garbageExtension(id_ce_keyUsage, false)]
      : kuExtensions(plan.ku),
  );
  const eku = ekuExtensions(plan.eku);
  vary('extKeyUsage', plan.eku, 'clientAuth', eku);
  vary('nsCertType', plan.ns, 'absent', nsExtensions(plan.ns));
  if (names.san.length > 0 || plan.san === 'empty') {
    const san = subjectAltName(names.san, { critical: plan.san === 'dns (critical)' });
    extensions.push(san);
    if (plan.extra === 'duplicate subjectAltName') extensions.push(san);
    extParts.push(
      `SAN ${names.san.map(describeName).join(', ') || 'empty'}${plan.san === 'dns (critical)' ? ' (critical)' : ''}`,
    );
  } else if (plan.extra === 'duplicate subjectAltName') {
    const san = subjectAltName([{ dns: 'billing.service.example' }]);
    extensions.push(san, san);
  }
  if (names.outside) {
    (names.outside === 'subject' ? parts : extParts).push(
      `name outside the constraints: ${names.outside}`,
    );
  }
  vary('certificatePolicies', plan.policies, 'absent', policyExtensions(plan.policies));
  switch (plan.extra) {
    case 'unknown non-critical':
      extensions.push(unknownExtension(false));
      break;
    case 'unknown critical':
      extensions.push(unknownExtension(true));
      break;
    case 'duplicate extKeyUsage':
      extensions.push(
        ...(eku.length > 0 ? eku : [extKeyUsage(['clientAuth'])]),
        extKeyUsage(['clientAuth']),
      );
      break;
    case 'crl distribution point':
      extensions.push(crlDistributionPoints(['http://crl.forge.example/leaf.crl']));
      break;
    default:
      break;
  }
  if (plan.extra !== 'none' && plan.extra !== 'garbage keyUsage') {
    extParts.push(`extra ${plan.extra}`);
  }

  const cnText = commonNames(plan.cn, names).join(' + ') || 'none';
  parts.push(`CN ${cnText}`);
  if (shape !== 'o-ou') parts.push(`subject ${shape}`);
  if (names.prefix) parts.push('subject under a directoryName constraint prefix');
  if (plan.strings !== 'utf8') parts.push(`strings ${plan.strings}`);
  if (plan.encoding !== 'der') parts.push(plan.encoding);

  const { notBefore, notAfter } = validityFor(plan.validity, now, plan.jitter);
  if (plan.validity !== 'now') parts.push(`validity ${plan.validity}`);

  let aki: AuthorityKeyIdentifierSpec | false | undefined;
  const issuerCert = issuer?.certificate;
  switch (plan.aki) {
    case 'default':
      break;
    case 'absent':
      aki = false;
      break;
    case 'wrong':
      aki = { keyId: Buffer.alloc(20, 0xab) };
      break;
    case 'issuer-and-serial':
      aki = issuerCert
        ? {
            keyId: issuerCert.subjectKeyId,
            issuer: issuerCert.issuerName,
            serial: issuerCert.serial,
          }
        : undefined;
      break;
  }
  if (aki !== undefined) extParts.push(`authorityKeyIdentifier ${plan.aki}`);

  let issuerName: NameSpec | undefined;
  if (plan.issuerName !== 'copy') {
    issuerName = reencodeIssuer(issuer?.subject ?? subject, plan.issuerName);
    parts.push(`issuer Name re-encoded: ${plan.issuerName}`);
  }
  if (plan.version === 'v1') parts.push('v1 (no extensions)');
  else parts.push(...extParts, ...(plan.version === 'v2' ? ['v2 with extensions'] : []));
  if (plan.serial !== 'random') parts.push(`serial ${plan.serial}`);
  if (plan.forgery !== 'none') parts.push(plan.forgery);

  const leaf = forgeCertificate({
    version: plan.version === 'v1' ? 1 : plan.version === 'v2' ? 2 : 3,
    serial: serialFor(plan.serial, id),
    subject,
    subjectKey: key,
    ...(issuer ? { issuer: { certificate: issuer.certificate, key: issuer.key } } : {}),
    ...(issuerName ? { issuerName } : {}),
    notBefore,
    notAfter,
    signature,
    ...(plan.forgery === 'signed by another key' ? { signingKey: otherKey(pool, signer) } : {}),
    ...(plan.forgery === 'outer algorithm differs'
      ? { outerAlgorithm: mismatchedAlgorithm(pool, signer) }
      : {}),
    ...(plan.forgery === 'inner algorithm differs'
      ? { innerAlgorithm: mismatchedAlgorithm(pool, signer) }
      : {}),
    ...(aki !== undefined ? { authorityKeyIdentifier: aki } : {}),
    extensions: plan.version === 'v1' ? [] : extensions,
  });

  const { sent, described } = chainFor(world, plan, path, impostorOf);
  parts.splice(1, 0, `sent ${plan.chain}: ${described.join(', ') || 'nothing'}`);
  return {
    id,
    description: parts.join('; '),
    leaf: { der: leaf.der, pem: leaf.pem, keyPem: key.privatePem, keyKind: key.kind },
    sent: sent.map((c) => ({ der: c.der, pem: c.pem })),
  };
}

function describeName(n: GeneralName): string {
  if ('dns' in n) return `dns:${n.dns}`;
  if ('uri' in n) return `uri:${n.uri}`;
  if ('email' in n) return `email:${n.email}`;
  if ('ip' in n) return `ip:${typeof n.ip === 'string' ? n.ip : Buffer.from(n.ip).toString('hex')}`;
  if ('directoryName' in n) return 'dirName';
  if ('otherName' in n) return 'otherName:UPN';
  return `rid:${n.registeredId}`;
}

/** `depth` intermediates made for one case under `ca`, nearest to the leaf first. */
function freshChain(world: World, ca: WorldCa, depth: number, id: string): Node[] {
  const made: Node[] = [];
  let parent: Node = worldNode(ca);
  const prefix = ca.names.inside.subjectPrefix ?? [[attr('O', 'Forge')]];
  for (let i = 1; i <= depth; i++) {
    let key = world.keys.get('p-256', i % 2);
    if (key === parent.key) key = world.keys.get('p-256', (i + 1) % 2);
    const subject: NameSpec = {
      rdns: [...prefix, [attr('OU', 'fresh')], [attr('CN', `Forge Fresh ${id} ${i}`)]],
    };
    const certificate = forgeCertificate({
      serial: positiveBytes(`fresh:${id}:${i}`, 12),
      subject,
      subjectKey: key,
      issuer: { certificate: parent.certificate, key: parent.key },
      notBefore: new Date(world.now.getTime() - 7 * DAY),
      notAfter: new Date(world.now.getTime() + 2 * YEAR),
      signature: parent.signs,
      extensions: [basicConstraints({ ca: true }), keyUsage(['keyCertSign', 'cRLSign'])],
    });
    parent = {
      label: `fresh-${i}`,
      certificate,
      key,
      subject,
      inBundle: false,
      signs: { digest: 'sha256' },
      root: false,
    };
    made.unshift(parent);
  }
  return made;
}

/** The certificates sent after the leaf for the plan's chain choice, with labels to describe them. */
function chainFor(
  world: World,
  plan: CasePlan,
  path: readonly Node[],
  impostorOf: (node: Node) => ForgedCertificate,
): { sent: ForgedCertificate[]; described: string[] } {
  const needed = path.filter((n) => !n.inBundle);
  const intermediates = path.filter((n) => !n.root);
  const others = [...new Set(plan.others)]
    .map((i) => world.cas[i] as WorldCa)
    .filter((c) => !path.some((n) => n.label === c.label))
    .map(worldNode);
  const issuer = path[0];
  let nodes: Array<Node | { label: string; certificate: ForgedCertificate }>;
  switch (plan.chain) {
    case 'needed':
      nodes = needed;
      break;
    case 'path':
      nodes = intermediates;
      break;
    case 'path-and-root':
      nodes = [...path];
      break;
    case 'none':
      nodes = [];
      break;
    case 'reversed':
      nodes = [...path].reverse();
      break;
    case 'extra':
      nodes = [...needed, ...others];
      break;
    case 'wrong':
      nodes = others;
      break;
    case 'partial':
      nodes = needed.slice(0, -1);
      break;
    case 'duplicate':
      nodes = [...needed, ...needed];
      break;
    case 'same-name-too': {
      // Every world CA with the Name of one on the path (renewed, twin, rogue), before it.
      const names = path.map((n) => n.certificate.subjectName);
      const alike = world.cas
        .filter((c) => names.some((nm) => nm.equals(c.certificate.subjectName)))
        .filter((c) => !path.some((n) => n.certificate === c.certificate))
        .map(worldNode);
      nodes = [...alike, ...needed];
      break;
    }
    case 'impostor':
    case 'impostor-only': {
      const fake = issuer
        ? [{ label: `impostor of ${issuer.label}`, certificate: impostorOf(issuer) }]
        : [];
      const rest = plan.chain === 'impostor' ? needed : needed.filter((n) => n !== issuer);
      nodes = [...fake, ...rest];
      break;
    }
  }
  return { sent: nodes.map((n) => n.certificate), described: nodes.map((n) => n.label) };
}
