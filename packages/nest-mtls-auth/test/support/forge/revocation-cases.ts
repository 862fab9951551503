import type { SignatureChoice } from './algorithms.js';
import { forgeCertificate, type ForgedCertificate } from './certificate.js';
import {
  certificateIssuer,
  CRL_OIDS,
  crlNumber,
  deltaCrlIndicator,
  distributionPoints,
  forgeRevocationList,
  freshestCrl,
  invalidityDate,
  issuingDistributionPoint,
  reasonCode,
  type DistributionPointNameSpec,
  type DistributionPointSpec,
  type IdpFlag,
  type RevokedSpec,
} from './crl.js';
import { derNull, integerContent, oid, sequence } from './der.js';
import {
  authorityKeyIdentifier,
  basicConstraints,
  extKeyUsage,
  keyUsage,
  unknownExtension,
  type AuthorityKeyIdentifierSpec,
  type ExtensionSpec,
  type GeneralName,
} from './extensions.js';
import type { ForgeKey } from './keys.js';
import { dn, mapAttributes, type NameSpec, type RdnSpec } from './names.js';
import { SeededRandom } from './random.js';
import type { TimeEncoding, TimeSpec } from './time.js';
import type { World } from './world.js';

/**
 * Generated revocation cases: a small trust bundle of world CAs (and two made here: a CA with the
 * Name of root-ec and a key of its own, and a root whose keyUsage lacks cRLSign), a leaf under one
 * of them with or without cRLDistributionPoints, and a random set of CRLs for each CA. A case is a
 * plan (plain data, printed as its description) that `buildRevocationCase` turns into PEM, so that
 * a disagreement can be shrunk plan by plan (`simplerPlans`).
 */

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** A GeneralName of a plan, resolved against a CA of the case (`issuer`: its Name). */
export type NamePlan =
  | 'uri-a'
  | 'uri-b'
  | 'dns'
  | 'ip'
  | 'dir-issuer'
  /** The issuer's Name in capitals: the same Name, canonically. */
  | 'dir-issuer-upper'
  /** The issuer's Name and one RDN CN=dp-a: what the relative name cn-dp-a makes of it. */
  | 'dir-issuer-dp-a'
  /** The issuer's Name, then CN=dp-a and OU=ops as two RDNs (what cn-dp-a+ou makes of it). */
  | 'dir-issuer-dp-a-ou'
  /** The issuer's Name, then CN=dp-a+OU=ops as one multi-valued RDN. */
  | 'dir-issuer-dp-a+ou'
  | 'dir-other'
  | 'dir-empty';
/** A nameRelativeToCRLIssuer of a plan (`empty`: an RDN with no attribute). */
export type RdnPlan = 'cn-dp-a' | 'cn-dp-b' | 'cn-dp-a+ou' | 'empty';
export type DpNamePlan = { readonly full: readonly NamePlan[] } | { readonly relative: RdnPlan };

export interface DpPlan {
  readonly name?: DpNamePlan;
  readonly reasons?: readonly number[];
  readonly crlIssuer?: readonly NamePlan[];
}

export interface LeafPlan {
  /** The CA that issues the leaf (a label of the case's CAs). */
  readonly issuer: string;
  readonly serial: bigint;
  readonly expired: boolean;
  /** cRLDistributionPoints, absent when undefined. */
  readonly dps?: readonly DpPlan[];
  readonly dpCritical: boolean;
  /** cRLDistributionPoints whose value does not decode (OpenSSL marks the leaf invalid). */
  readonly dpGarbage?: boolean;
  /** The leaf's issuer Name written in capitals (the same Name, canonically). */
  readonly issuerUpper?: boolean;
}

/** A time of a plan: hours from now, in RFC 5280's form or another encoding. */
export interface TimePlan {
  readonly hours: number;
  readonly encoding?: TimeEncoding;
}

/** Whose serial an entry names. */
export type SerialPlan =
  | 'leaf'
  /** The leaf's serial, negated. */
  | 'leaf-negated'
  /** The leaf's content octets without their leading 00 (00 FB, +251, written FB: -5). */
  | 'leaf-unpadded'
  | 'leaf+1'
  /** The serial of the CA just below the CRL's CA on the leaf's path. */
  | 'child-ca'
  | 'other'
  /** The leaf's serial with a leading 00 octet (not DER: no decoder accepts the CRL). */
  | 'leaf-padded';

export type EntryExtPlan =
  | {
      readonly reason: number;
      readonly asInteger?: boolean;
      readonly critical?: boolean;
      /** `padded`: a leading 00 (not DER); `empty`: no content octets. */
      readonly encoding?: 'padded' | 'empty';
    }
  | { readonly certificateIssuer: readonly NamePlan[]; readonly critical: boolean }
  /** A certificateIssuer whose value is not GeneralNames. */
  | { readonly certificateIssuerGarbage: true }
  | { readonly invalidityDate: true; readonly critical: boolean }
  | { readonly unknown: true; readonly critical: boolean };

export interface EntryPlan {
  readonly serial: SerialPlan;
  readonly extensions: readonly EntryExtPlan[];
}

/** A flag of an IDP: TRUE, an explicit FALSE, TRUE as BER's 01, or two content octets. */
export type FlagPlan = boolean | 'ber-true' | 'two-octets';

export interface IdpPlan {
  readonly dp?: DpNamePlan;
  readonly onlyUser?: FlagPlan;
  readonly onlyCa?: FlagPlan;
  readonly someReasons?: readonly number[];
  readonly indirect?: FlagPlan;
  readonly onlyAttr?: FlagPlan;
  /** A NULL after the fields (not in the syntax). */
  readonly trailing?: boolean;
}

export type AkidPlan =
  | 'keyid'
  | 'wrong-keyid'
  | 'issuer-serial'
  | 'wrong-serial'
  | 'wrong-issuer'
  /** An empty SEQUENCE: no field at all. */
  | 'empty'
  /** authorityCertIssuer with a URI only, and the right serial. */
  | 'uri-issuer';

export type CrlExtPlan =
  | { readonly crlNumber: number }
  | { readonly delta: number }
  | { readonly akid: AkidPlan; readonly critical: boolean }
  | { readonly idp: IdpPlan; readonly critical: boolean }
  /** An IDP whose value is not DER of the syntax (OpenSSL then reads no IDP). */
  | { readonly garbageIdp: true }
  /** A deltaCRLIndicator whose value is not an INTEGER (OpenSSL then reads no delta). */
  | { readonly garbageDelta: true }
  /** A cRLNumber whose value is not an INTEGER. */
  | { readonly garbageNumber: true }
  | { readonly unknown: true; readonly critical: boolean }
  | { readonly freshest: true };

export interface CrlPlan {
  /** The CA whose Name the CRL carries. */
  readonly ca: string;
  /**
   * Who signs: the CA (`own`), another CA of the case with the same Name (`sibling`), or a key
   * no CA of the case has (`stranger`).
   */
  readonly signer: 'own' | 'sibling' | 'stranger';
  /**
   * The issuer Name written otherwise, the same Name canonically: in other string types, or in
   * capitals.
   */
  readonly reencodedName: false | 'types' | 'upper';
  /** The version field: v2 (1), absent (v1), v1 written out (0), or 2 (v3, which does not exist). */
  readonly version: 'v2' | 'absent' | 'v1-explicit' | 'v3';
  /** The digest of the signature, when not the CA's own (RSA and ECDSA signers). */
  readonly digest?: 'sha1' | 'sha512';
  /** Empty revokedCertificates and crlExtensions written out when there are none. */
  readonly emptyLists?: boolean;
  /** The AlgorithmIdentifier inside the TBS differs from the one outside (which is the true one). */
  readonly innerDiffers: boolean;
  readonly thisUpdate: TimePlan;
  readonly nextUpdate?: TimePlan;
  readonly entries: readonly EntryPlan[];
  readonly extensions: readonly CrlExtPlan[];
}

export interface RevocationPlan {
  /** The CAs of the trust bundle, in bundle order. */
  readonly bundle: readonly string[];
  readonly leaf: LeafPlan;
  /** The CRLs, in file order. */
  readonly crls: readonly CrlPlan[];
}

/** A CA of a case: its certificate, key and Name, and the CA above it (none for a root). */
interface CaMaterial {
  readonly label: string;
  readonly certificate: ForgedCertificate;
  readonly key: ForgeKey;
  readonly subject: NameSpec;
  readonly signs: SignatureChoice;
  readonly parent: string | undefined;
}

/** The root made here whose keyUsage lacks cRLSign. */
export const ROOT_NO_CRL_SIGN = 'root-no-crlsign';
/** Roots a leaf may sit right under. */
const ROOTS = [
  'root-rsa',
  'root-ec',
  'root-p384',
  'root-ed25519',
  'root-ed448',
  'root-rsa-pss',
  'root-no-ski',
  'root-v1',
  'root-no-bc-certsign',
  ROOT_NO_CRL_SIGN,
] as const;
/** [root, intermediate] pairs of the world, the intermediate in the bundle. */
const INTERMEDIATES: readonly (readonly [string, string])[] = [
  ['root-rsa', 'inter-rsa'],
  ['root-ec', 'deep-1'],
  ['root-ec', 'ku-certsign-only'],
  ['root-p384', 'no-ku'],
  ['root-p384', 'ku-noncritical'],
  ['root-p384', 'no-aki'],
  ['root-rsa', 'no-ski'],
  ['root-rsa', 'aki-issuer-serial'],
];
/** The CA made here with root-ec's Name, its own key, signed by root-ec. */
export const SELF_ISSUED = 'self-issued-ec';
/** The same, its keyUsage without cRLSign. */
export const SELF_ISSUED_NO_CRL_SIGN = 'self-issued-ec-no-crlsign';

/** The leaf's own key, whatever the case. */
const LEAF_KEY = { kind: 'p-256', slot: 0 } as const;
/** A key of no CA of any case. */
const STRANGER_KEY = { kind: 'p-256', slot: 1 } as const;

/** The plan of case `index` of a run seeded `seed`: the same pair gives the same plan. */
export function revocationPlan(seed: number, index: number): RevocationPlan {
  const rng = new SeededRandom((Math.imul(seed >>> 0, 0x9e3779b1) ^ (index + 1)) >>> 0);
  return new Planner(rng).plan();
}

/** Chooses a plan's parts; most choices are the plain one, faults are rare one by one. */
class Planner {
  constructor(private readonly rng: SeededRandom) {}

  plan(): RevocationPlan {
    const { rng } = this;
    const scenario = rng.weighted<
      'root' | 'intermediate' | 'deep' | 'self-issued' | 'twins' | 'twin-missing' | 'renewed'
    >([
      [30, 'root'],
      [32, 'intermediate'],
      [10, 'deep'],
      [10, 'self-issued'],
      [10, 'twins'],
      [3, 'twin-missing'],
      [6, 'renewed'],
    ]);
    let path: string[]; // the leaf's issuer first, then up to its root
    let bundle: string[];
    switch (scenario) {
      case 'root':
        path = [rng.pick(ROOTS)];
        bundle = [...path];
        break;
      case 'intermediate': {
        const [root, inter] = rng.pick(INTERMEDIATES);
        path = rng.chance(0.85) ? [inter, root] : [root];
        bundle = [root, inter];
        break;
      }
      case 'deep':
        path = ['deep-2', 'deep-1', 'root-ec'];
        bundle = ['root-ec', 'deep-1', 'deep-2'];
        break;
      case 'self-issued': {
        const self = rng.chance(0.7) ? SELF_ISSUED : SELF_ISSUED_NO_CRL_SIGN;
        path = rng.chance(0.8) ? [self, 'root-ec'] : ['root-ec'];
        bundle = ['root-ec', self];
        break;
      }
      case 'twins':
        path = [rng.pick(['twin-root-a', 'twin-root-b'])];
        bundle = ['twin-root-a', 'twin-root-b'];
        break;
      case 'twin-missing': {
        // The leaf's issuer is not in the bundle; a CA of its Name (another key) is, with CRLs:
        // no path, and CRLs of its issuer's Name that its issuer did not sign.
        const [leafIssuer, other] = rng.shuffle(['twin-root-a', 'twin-root-b']) as [string, string];
        path = [leafIssuer];
        bundle = [other];
        break;
      }
      case 'renewed':
        path = ['renewed-root'];
        bundle = ['renewed-root', 'renewed-root-expired'];
        break;
    }
    if (rng.chance(0.2)) {
      const extra = rng.pick(ROOTS.filter((r) => !bundle.includes(r)));
      bundle.push(extra);
    }
    bundle = rng.shuffle(bundle);
    const issuer = path[0] as string;
    // A leaf whose two distribution points split the reasons between two CRLs of its issuer,
    // each scoped by its IDP to one of them: check_cert's loop over reasons.
    const split = rng.chance(0.08) ? this.reasons().filter((r) => r !== 1) : undefined;
    let dps: DpPlan[] | undefined;
    if (split) {
      dps = [
        { name: { full: ['uri-a'] }, reasons: [1, ...split] },
        {
          name: { full: ['uri-b'] },
          reasons: [1, 2, 3, 4, 5, 6, 7, 8].filter((r) => !split.includes(r) || rng.chance(0.2)),
        },
      ];
    } else if (rng.chance(0.5)) dps = this.distributionPoints();
    const leaf: LeafPlan = {
      issuer,
      serial: this.leafSerial(),
      expired: rng.chance(0.04),
      ...(dps ? { dps } : {}),
      dpCritical: rng.chance(0.1),
      ...(rng.chance(0.01) ? { dpGarbage: true } : {}),
      ...(rng.chance(0.05) ? { issuerUpper: true } : {}),
    };
    const crls: CrlPlan[] = [];
    if (split) {
      for (const uri of ['uri-a', 'uri-b'] as const) {
        const crl = this.plainCrl(issuer, path);
        crls.push({
          ...crl,
          extensions: [
            ...crl.extensions,
            {
              idp: { dp: { full: [uri] }, ...(rng.chance(0.3) ? { onlyUser: true } : {}) },
              critical: true,
            },
          ],
        });
      }
    }
    for (const ca of bundle) {
      const count = rng.weighted([
        [1, 0],
        [55, 1],
        [30, 2],
        [14, 3],
      ]);
      for (let i = 0; i < count; i++) {
        const plain = i === 0 && rng.chance(0.88);
        crls.push(plain ? this.plainCrl(ca, path) : this.crl(ca, path, bundle));
      }
    }
    return { bundle, leaf, crls: rng.chance(0.5) ? rng.shuffle(crls) : crls };
  }

  private leafSerial(): bigint {
    const { rng } = this;
    const kind = rng.weighted<'random' | 'small' | 'high-bit' | 'negative' | 'zero'>([
      [60, 'random'],
      [12, 'small'],
      [12, 'high-bit'],
      [12, 'negative'],
      [4, 'zero'],
    ]);
    switch (kind) {
      case 'random': {
        const bytes = rng.bytes(rng.int(8, 16));
        bytes[0] = ((bytes[0] as number) & 0x7f) | 0x01;
        return BigInt(`0x${bytes.toString('hex')}`);
      }
      case 'small':
        return BigInt(rng.int(1, 0x7f));
      case 'high-bit':
        return BigInt(rng.int(0x80, 0xff));
      case 'negative':
        return -BigInt(rng.int(1, 0xffff));
      case 'zero':
        return 0n;
    }
  }

  private namePlan(): NamePlan {
    return this.rng.weighted<NamePlan>([
      [30, 'uri-a'],
      [15, 'uri-b'],
      [4, 'dns'],
      [2, 'ip'],
      [15, 'dir-issuer'],
      [4, 'dir-issuer-upper'],
      [16, 'dir-issuer-dp-a'],
      [4, 'dir-issuer-dp-a-ou'],
      [4, 'dir-issuer-dp-a+ou'],
      [8, 'dir-other'],
      [2, 'dir-empty'],
    ]);
  }

  private dpName(): DpNamePlan {
    const { rng } = this;
    if (rng.chance(0.65)) {
      // Rarely an empty GeneralNames.
      return {
        full: Array.from(
          {
            length: rng.weighted([
              [2, 0],
              [70, 1],
              [28, 2],
            ]),
          },
          () => this.namePlan(),
        ),
      };
    }
    return {
      relative: rng.weighted<RdnPlan>([
        [58, 'cn-dp-a'],
        [25, 'cn-dp-b'],
        [14, 'cn-dp-a+ou'],
        [3, 'empty'],
      ]),
    };
  }

  private reasons(): number[] {
    const { rng } = this;
    if (rng.chance(0.3)) return [1, 2, 3, 4, 5, 6, 7, 8];
    return [1, 2, 3, 4, 5, 6, 7, 8].filter(() => rng.chance(0.4));
  }

  private distributionPoints(): DpPlan[] {
    const { rng } = this;
    return Array.from(
      {
        length: rng.weighted([
          [70, 1],
          [22, 2],
          [8, 3],
        ]),
      },
      () => {
        const name = rng.chance(0.8) ? this.dpName() : undefined;
        const reasons = rng.chance(0.2) ? this.reasons() : undefined;
        let crlIssuer: NamePlan[] | undefined;
        if (rng.chance(0.2) || (!name && rng.chance(0.8))) {
          crlIssuer = rng.weighted<NamePlan[]>([
            [50, ['dir-issuer']],
            [20, ['dir-other']],
            [15, ['uri-a']],
            [15, ['dir-other', 'dir-issuer']],
          ]);
        }
        return {
          ...(name ? { name } : {}),
          ...(reasons ? { reasons } : {}),
          ...(crlIssuer ? { crlIssuer } : {}),
        };
      },
    );
  }

  /** One plain current CRL of `ca`, signed by it: it may still revoke. */
  private plainCrl(ca: string, path: readonly string[]): CrlPlan {
    const { rng } = this;
    const extensions: CrlExtPlan[] = [];
    if (rng.chance(0.7)) extensions.push({ crlNumber: rng.int(1, 50) });
    if (rng.chance(0.4)) extensions.push({ akid: 'keyid', critical: false });
    return {
      ca,
      signer: 'own',
      reencodedName: false,
      version: 'v2',
      innerDiffers: false,
      thisUpdate: { hours: rng.pick([-1, -2]) },
      nextUpdate: { hours: 7 * 24 },
      entries: this.entries(ca, path),
      extensions,
    };
  }

  private time(kind: 'this' | 'next'): TimePlan | undefined {
    const { rng } = this;
    const malformed = (): TimePlan => ({
      hours: kind === 'this' ? -1 : 7 * 24,
      // Without seconds, OpenSSL's decoder refuses the whole CRL: rarely.
      encoding: rng.weighted<TimeEncoding>([
        [4, 'utc-offset'],
        [1, 'utc-no-seconds'],
        [4, 'generalized-fraction'],
        [3, 'utc-leap-second'],
        [3, 'generalized-feb-30'],
      ]),
    });
    // A time not in RFC 5280's form makes the service refuse to start (OpenSSL never takes
    // such a CRL as current): rarely.
    if (kind === 'this') {
      return rng.weighted<TimePlan>([
        [40, { hours: -1 }],
        [20, { hours: -2 }],
        [12, { hours: -48 }],
        [6, { hours: -1, encoding: 'generalized' }],
        [8, { hours: 2 }],
        [1, malformed()],
      ]);
    }
    return rng.weighted<TimePlan | undefined>([
      [58, { hours: 7 * 24 }],
      [6, { hours: 24 }],
      [12, undefined],
      [12, { hours: -0.5 }],
      [4, { hours: -3 }],
      [3, { hours: 7 * 24, encoding: 'generalized' }],
      [1, malformed()],
    ]);
  }

  private entries(ca: string, path: readonly string[]): EntryPlan[] {
    const { rng } = this;
    const onPath = path.indexOf(ca);
    const count = rng.weighted([
      [30, 0],
      [40, 1],
      [20, 2],
      [10, 4],
    ]);
    return Array.from({ length: count }, () => {
      let serial = rng.weighted<SerialPlan>([
        [150, 'leaf'],
        [15, 'leaf-negated'],
        [15, 'leaf-unpadded'],
        [24, 'leaf+1'],
        [45, 'child-ca'],
        [50, 'other'],
        [1, 'leaf-padded'],
      ]);
      if (serial === 'child-ca' && onPath < 1) serial = 'leaf';
      const extensions: EntryExtPlan[] = [];
      if (rng.chance(0.45)) {
        const reason = rng.weighted([
          [25, 8],
          [30, 1],
          [10, 0],
          [10, 6],
          [15, rng.int(2, 10)],
          [5, rng.pick([11, 255, -1])],
        ]);
        const encoding = rng.weighted<'padded' | 'empty' | undefined>([
          [94, undefined],
          [4, 'padded'],
          [2, 'empty'],
        ]);
        extensions.push({
          reason,
          ...(rng.chance(0.03) ? { asInteger: true } : {}),
          ...(rng.chance(0.05) ? { critical: true } : {}),
          ...(encoding ? { encoding } : {}),
        });
        if (rng.chance(0.02)) extensions.push({ reason: 1 });
      }
      const issuers = rng.chance(0.03) ? 2 : rng.chance(0.12) ? 1 : 0;
      for (let i = 0; i < issuers; i++) {
        extensions.push({
          certificateIssuer: rng.weighted<NamePlan[]>([
            [40, ['dir-issuer']],
            [8, ['dir-issuer-upper']],
            [25, ['dir-other']],
            [10, ['uri-a']],
            [15, ['dir-other', 'dir-issuer']],
            [2, []],
          ]),
          critical: rng.chance(0.85),
        });
      }
      if (rng.chance(0.01)) extensions.push({ certificateIssuerGarbage: true });
      if (rng.chance(0.06)) extensions.push({ invalidityDate: true, critical: rng.chance(0.3) });
      if (rng.chance(0.05)) extensions.push({ unknown: true, critical: rng.chance(0.6) });
      return { serial, extensions: rng.shuffle(extensions) };
    });
  }

  private idp(): IdpPlan {
    const { rng } = this;
    const flag = (p: number): FlagPlan | undefined =>
      rng.chance(p)
        ? rng.weighted<FlagPlan>([
            [92, true],
            [6, 'ber-true'],
            [2, 'two-octets'],
          ])
        : rng.chance(0.03)
          ? false
          : undefined;
    const dp = rng.chance(0.55) ? this.dpName() : undefined;
    const onlyUser = flag(0.2);
    const onlyCa = flag(0.15);
    const someReasons = rng.chance(0.08) ? this.reasons() : undefined;
    const indirect = flag(0.06);
    const onlyAttr = flag(0.04);
    return {
      ...(dp ? { dp } : {}),
      ...(onlyUser !== undefined ? { onlyUser } : {}),
      ...(onlyCa !== undefined ? { onlyCa } : {}),
      ...(someReasons ? { someReasons } : {}),
      ...(indirect !== undefined ? { indirect } : {}),
      ...(onlyAttr !== undefined ? { onlyAttr } : {}),
      ...(rng.chance(0.02) ? { trailing: true } : {}),
    };
  }

  /** Any CRL of `ca`: times, signer, entries and extensions all drawn. */
  private crl(ca: string, path: readonly string[], bundle: readonly string[]): CrlPlan {
    const { rng } = this;
    const hasSibling = bundle.some((other) => other !== ca && sameName(other, ca));
    const signer = rng.weighted<CrlPlan['signer']>([
      [198, 'own'],
      [hasSibling ? 24 : 0, 'sibling'],
      [1, 'stranger'],
    ]);
    const extensions: CrlExtPlan[] = [];
    if (rng.chance(0.6)) extensions.push({ crlNumber: rng.int(1, 50) });
    if (rng.chance(0.02)) extensions.push({ garbageNumber: true });
    if (rng.chance(0.45)) {
      extensions.push({
        akid: rng.weighted<AkidPlan>([
          [50, 'keyid'],
          [20, 'wrong-keyid'],
          [12, 'issuer-serial'],
          [9, 'wrong-serial'],
          [9, 'wrong-issuer'],
          [3, 'empty'],
          [4, 'uri-issuer'],
        ]),
        critical: rng.chance(0.1),
      });
    }
    if (rng.chance(0.35)) extensions.push({ idp: this.idp(), critical: rng.chance(0.85) });
    // Twice: OpenSSL then reads none.
    if (rng.chance(0.02)) extensions.push({ idp: this.idp(), critical: true });
    if (rng.chance(0.1)) {
      extensions.push({ delta: rng.int(1, 5) });
      if (!extensions.some((e) => 'crlNumber' in e)) extensions.push({ crlNumber: rng.int(6, 9) });
    }
    if (rng.chance(0.08)) extensions.push({ unknown: true, critical: rng.chance(0.5) });
    if (rng.chance(0.04)) extensions.push({ freshest: true });
    if (rng.chance(0.02)) extensions.push({ garbageIdp: true });
    if (rng.chance(0.02)) extensions.push({ garbageDelta: true });
    if (rng.chance(0.02)) extensions.push({ akid: 'wrong-keyid', critical: false });
    const nextUpdate = this.time('next');
    return {
      ca,
      signer,
      reencodedName: rng.weighted<CrlPlan['reencodedName']>([
        [92, false],
        [4, 'types'],
        [4, 'upper'],
      ]),
      version: rng.weighted<CrlPlan['version']>([
        [94, 'v2'],
        [3, 'absent'],
        [2, 'v1-explicit'],
        [1, 'v3'],
      ]),
      ...(rng.chance(0.04) ? { digest: rng.pick(['sha1', 'sha512'] as const) } : {}),
      ...(rng.chance(0.03) ? { emptyLists: true } : {}),
      innerDiffers: rng.chance(0.005),
      thisUpdate: this.time('this') as TimePlan,
      ...(nextUpdate ? { nextUpdate } : {}),
      entries: this.entries(ca, path),
      extensions: rng.shuffle(extensions),
    };
  }
}

/** Two CAs of a case with one Name (they may sign each other's CRLs). */
function sameName(a: string, b: string): boolean {
  const family = (label: string) =>
    label.startsWith('twin-root')
      ? 'twin'
      : label.startsWith('renewed-root')
        ? 'renewed'
        : label === SELF_ISSUED || label === SELF_ISSUED_NO_CRL_SIGN
          ? 'root-ec'
          : label;
  return family(a) === family(b);
}

/** A case built from its plan: what the server is configured with and what the client sends. */
export interface RevocationCase {
  readonly plan: RevocationPlan;
  readonly description: string;
  readonly bundlePem: string;
  /** Every CRL, PEM, in file order. */
  readonly crlPem: string;
  readonly crlPems: readonly string[];
  readonly leaf: { readonly der: Buffer; readonly pem: string; readonly keyPem: string };
}

/** The CAs made for cases, once per world. */
const made = new WeakMap<World, Map<string, CaMaterial>>();

function material(world: World, label: string): CaMaterial {
  let own = made.get(world);
  if (!own) {
    own = new Map();
    made.set(world, own);
  }
  const found = own.get(label);
  if (found) return found;
  let ca: CaMaterial;
  if (label === SELF_ISSUED || label === SELF_ISSUED_NO_CRL_SIGN) {
    // root-ec's Name and a key of its own, signed by root-ec: a CA that is self-issued, not
    // self-signed, with the Name of the CA above it (crl_akid_check's "same path" issuer).
    const root = world.ca('root-ec');
    const usage =
      label === SELF_ISSUED ? keyUsage(['keyCertSign', 'cRLSign']) : keyUsage(['keyCertSign']);
    const key = world.keys.get('p-384', 1);
    ca = {
      label,
      certificate: forgeCertificate({
        serial: label === SELF_ISSUED ? 0x5e1f155e4edn : 0x5e1f155e4ee0n,
        subject: root.subject,
        subjectKey: key,
        issuer: { certificate: root.certificate, key: root.key },
        notBefore: new Date(world.now.getTime() - 30 * DAY),
        notAfter: new Date(world.now.getTime() + 3 * 365 * DAY),
        signature: root.signs,
        extensions: [basicConstraints({ ca: true }), usage],
      }),
      key,
      subject: root.subject,
      signs: { digest: 'sha384' },
      parent: 'root-ec',
    };
  } else if (label === ROOT_NO_CRL_SIGN) {
    const key = world.keys.get('p-521', 1);
    const subject = dn('O=Forge, CN=Forge Root without cRLSign');
    ca = {
      label,
      certificate: forgeCertificate({
        serial: 0x0c7115e4edn,
        subject,
        subjectKey: key,
        notBefore: new Date(world.now.getTime() - 30 * DAY),
        notAfter: new Date(world.now.getTime() + 3 * 365 * DAY),
        signature: { digest: 'sha512' },
        extensions: [basicConstraints({ ca: true }), keyUsage(['keyCertSign'])],
      }),
      key,
      subject,
      signs: { digest: 'sha512' },
      parent: undefined,
    };
  } else {
    const w = world.ca(label);
    ca = {
      label,
      certificate: w.certificate,
      key: w.key,
      subject: w.subject,
      signs: w.signs,
      parent: w.parent?.label,
    };
  }
  own.set(label, ca);
  return ca;
}

/** The value of a certificate's serial content octets (two's complement). */
function serialOf(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  const value = BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
  return (bytes[0] as number) & 0x80 ? value - (1n << BigInt(bytes.length * 8)) : value;
}

const OTHER_NAME = dn('O=Forge, CN=Forge Elsewhere');

function generalName(plan: NamePlan, ca: CaMaterial): GeneralName {
  switch (plan) {
    case 'uri-a':
      return { uri: 'http://crl.forge.example/a.crl' };
    case 'uri-b':
      return { uri: 'http://crl.forge.example/b.crl' };
    case 'dns':
      return { dns: 'crl.forge.example' };
    case 'ip':
      return { ip: '10.0.0.1' };
    case 'dir-issuer':
      return { directoryName: ca.subject };
    case 'dir-issuer-upper':
      return { directoryName: upper(ca.subject) };
    case 'dir-issuer-dp-a':
      return { directoryName: { rdns: [...ca.subject.rdns, rdn('cn-dp-a')] } };
    case 'dir-issuer-dp-a-ou':
      return {
        directoryName: { rdns: [...ca.subject.rdns, [{ type: 'CN', value: 'dp-a' }], [OU_OPS]] },
      };
    case 'dir-issuer-dp-a+ou':
      return { directoryName: { rdns: [...ca.subject.rdns, rdn('cn-dp-a+ou')] } };
    case 'dir-other':
      return { directoryName: OTHER_NAME };
    case 'dir-empty':
      return { directoryName: { rdns: [] } };
  }
}

const OU_OPS = { type: 'OU', value: 'ops' } as const;

function rdn(plan: RdnPlan): RdnSpec {
  switch (plan) {
    case 'cn-dp-a':
      return [{ type: 'CN', value: 'dp-a' }];
    case 'cn-dp-b':
      return [{ type: 'CN', value: 'dp-b' }];
    case 'cn-dp-a+ou':
      return [{ type: 'CN', value: 'dp-a' }, OU_OPS];
    case 'empty':
      return [];
  }
}

function dpName(plan: DpNamePlan, ca: CaMaterial): DistributionPointNameSpec {
  return 'full' in plan
    ? { fullName: plan.full.map((n) => generalName(n, ca)) }
    : { relativeName: rdn(plan.relative) };
}

function time(plan: TimePlan, now: number): TimeSpec {
  const date = new Date(now + plan.hours * HOUR);
  return plan.encoding ? { date, encoding: plan.encoding } : date;
}

/** Another string type for each attribute (PrintableString and UTF8String swapped). */
function reencoded(name: NameSpec): NameSpec {
  return mapAttributes(name, (a) => ({
    ...a,
    stringType: a.stringType === 'printable' ? 'utf8' : 'printable',
  }));
}

/** The Name in capitals (the same Name to OpenSSL's canonical comparison). */
function upper(name: NameSpec): NameSpec {
  return mapAttributes(name, (a) => ({ ...a, value: a.value.toUpperCase() }));
}

/** An AlgorithmIdentifier no CA here signs with (sha1WithRSAEncryption). */
const OTHER_ALGORITHM = sequence(oid('1.2.840.113549.1.1.5'), derNull());

/**
 * Builds a plan: the leaf (signed by its issuer), the bundle and the CRLs, at `now` (epoch ms):
 * every time of the plan is relative to it.
 */
export function buildRevocationCase(
  world: World,
  plan: RevocationPlan,
  now: number,
): RevocationCase {
  const ca = (label: string) => material(world, label);
  const issuer = ca(plan.leaf.issuer);
  const key = world.keys.get(LEAF_KEY.kind, LEAF_KEY.slot);
  const extensions: ExtensionSpec[] = [
    basicConstraints({ ca: false }),
    keyUsage(['digitalSignature']),
    extKeyUsage(['clientAuth']),
  ];
  if (plan.leaf.dpGarbage) {
    extensions.push({ oid: CRL_OIDS.cRLDistributionPoints, critical: false, value: GARBAGE });
  } else if (plan.leaf.dps) {
    extensions.push(
      distributionPoints(
        plan.leaf.dps.map((dp): DistributionPointSpec => ({
          ...(dp.name ? { name: dpName(dp.name, issuer) } : {}),
          ...(dp.reasons ? { reasons: dp.reasons } : {}),
          ...(dp.crlIssuer ? { crlIssuer: dp.crlIssuer.map((n) => generalName(n, issuer)) } : {}),
        })),
        plan.leaf.dpCritical,
      ),
    );
  }
  const leaf = forgeCertificate({
    serial: plan.leaf.serial,
    subject: dn('O=Forge, CN=billing-service'),
    subjectKey: key,
    issuer: { certificate: issuer.certificate, key: issuer.key },
    ...(plan.leaf.issuerUpper ? { issuerName: upper(issuer.subject) } : {}),
    notBefore: new Date(now - (plan.leaf.expired ? 30 * DAY : HOUR)),
    notAfter: new Date(now + (plan.leaf.expired ? -HOUR : 30 * DAY)),
    signature: issuer.signs,
    extensions,
  });
  // The leaf's path, issuer first: the CA just below each CA is the one whose serial it revokes.
  const path: CaMaterial[] = [];
  for (let c: CaMaterial | undefined = issuer; c; c = c.parent ? ca(c.parent) : undefined) {
    path.push(c);
  }
  const crlPems = plan.crls.map((crl) => buildCrl(world, crl, plan, leaf, path, now));
  return {
    plan,
    description: describePlan(plan),
    bundlePem: plan.bundle.map((label) => ca(label).certificate.pem).join(''),
    crlPem: crlPems.join(''),
    crlPems,
    leaf: { der: leaf.der, pem: leaf.pem, keyPem: key.privatePem },
  };
}

function buildCrl(
  world: World,
  plan: CrlPlan,
  whole: RevocationPlan,
  leaf: ForgedCertificate,
  path: readonly CaMaterial[],
  now: number,
): string {
  const ca = material(world, plan.ca);
  const leafIssuer = material(world, whole.leaf.issuer);
  const sibling = whole.bundle.find((b) => b !== plan.ca && sameName(b, plan.ca));
  const signingKey =
    plan.signer === 'own'
      ? ca.key
      : plan.signer === 'sibling' && sibling
        ? material(world, sibling).key
        : world.keys.get(STRANGER_KEY.kind, STRANGER_KEY.slot);
  const signature = {
    ...(signingKey === ca.key ? ca.signs : {}),
    ...(plan.digest ? { digest: plan.digest, pss: false } : {}),
  };
  const at = path.findIndex((c) => c.label === plan.ca);
  const child = at > 0 ? path[at - 1] : undefined;
  const serial = whole.leaf.serial;
  const revoked = plan.entries.map((entry): RevokedSpec => {
    let value: bigint | Uint8Array;
    switch (entry.serial) {
      case 'leaf':
        value = serial;
        break;
      case 'leaf-negated':
        value = -serial;
        break;
      case 'leaf-unpadded': {
        const bytes = integerContent(serial);
        value = bytes[0] === 0 && bytes.length > 1 ? bytes.subarray(1) : -serial;
        break;
      }
      case 'leaf+1':
        value = serial + 1n;
        break;
      case 'child-ca':
        value = child ? serialOf(child.certificate.serial) : serial;
        break;
      case 'other':
        value = 0x7e57n;
        break;
      case 'leaf-padded':
        value = Buffer.concat([Buffer.from([serial < 0n ? 0xff : 0]), integerContent(serial)]);
        break;
    }
    return {
      serial: value,
      extensions: entry.extensions.map((e): ExtensionSpec => {
        if ('reason' in e) {
          const content =
            e.encoding === 'padded'
              ? Buffer.concat([Buffer.from([e.reason < 0 ? 0xff : 0]), integerContent(e.reason)])
              : e.encoding === 'empty'
                ? Buffer.alloc(0)
                : e.reason;
          return reasonCode(content, e);
        }
        if ('certificateIssuerGarbage' in e) {
          return { oid: CRL_OIDS.certificateIssuer, critical: true, value: GARBAGE };
        }
        if ('certificateIssuer' in e) {
          return certificateIssuer(
            e.certificateIssuer.map((n) => generalName(n, leafIssuer)),
            e.critical,
          );
        }
        if ('invalidityDate' in e) return invalidityDate(new Date(now - DAY), e.critical);
        return unknownExtension(e.critical, '1.3.6.1.4.1.55555.3.1');
      }),
    };
  });
  const extensions = plan.extensions.map((e): ExtensionSpec => {
    if ('crlNumber' in e) return crlNumber(e.crlNumber);
    if ('delta' in e) return deltaCrlIndicator(e.delta);
    if ('garbageNumber' in e) {
      return { oid: CRL_OIDS.cRLNumber, critical: false, value: Buffer.from([0x05, 0x00]) };
    }
    if ('garbageDelta' in e) {
      return { oid: CRL_OIDS.deltaCRLIndicator, critical: true, value: Buffer.from([0x05, 0x00]) };
    }
    if ('akid' in e)
      return { ...authorityKeyIdentifier(akidOf(e.akid, ca, world)), critical: e.critical };
    if ('idp' in e) {
      const idp = e.idp;
      return issuingDistributionPoint(
        {
          ...(idp.dp ? { distributionPoint: dpName(idp.dp, ca) } : {}),
          ...(idp.onlyUser !== undefined ? { onlyContainsUserCerts: flag(idp.onlyUser) } : {}),
          ...(idp.onlyCa !== undefined ? { onlyContainsCACerts: flag(idp.onlyCa) } : {}),
          ...(idp.someReasons ? { onlySomeReasons: idp.someReasons } : {}),
          ...(idp.indirect !== undefined ? { indirectCRL: flag(idp.indirect) } : {}),
          ...(idp.onlyAttr !== undefined ? { onlyContainsAttributeCerts: flag(idp.onlyAttr) } : {}),
          ...(idp.trailing ? { trailing: [derNull()] } : {}),
        },
        e.critical,
      );
    }
    if ('garbageIdp' in e) {
      return { oid: '2.5.29.28', critical: true, value: Buffer.from([0x30, 0x03, 0x81, 0x01]) };
    }
    if ('freshest' in e) {
      return freshestCrl([{ name: { fullName: [{ uri: 'http://crl.forge.example/delta.crl' }] } }]);
    }
    return unknownExtension(e.critical, '1.3.6.1.4.1.55555.3.2');
  });
  return forgeRevocationList({
    issuer: { certificate: ca.certificate, key: ca.key },
    ...(plan.reencodedName === 'types' ? { issuerName: reencoded(ca.subject) } : {}),
    ...(plan.reencodedName === 'upper' ? { issuerName: upper(ca.subject) } : {}),
    signingKey,
    signature,
    ...(plan.innerDiffers ? { innerAlgorithm: OTHER_ALGORITHM } : {}),
    version: VERSIONS[plan.version],
    ...(plan.emptyLists ? { emptyLists: true } : {}),
    thisUpdate: time(plan.thisUpdate, now),
    ...(plan.nextUpdate ? { nextUpdate: time(plan.nextUpdate, now) } : {}),
    revoked,
    extensions,
  }).pem;
}

/** The version INTEGER each plan writes (`null`: none). */
const VERSIONS: Readonly<Record<CrlPlan['version'], number | null>> = {
  v2: 1,
  absent: null,
  'v1-explicit': 0,
  v3: 2,
};

/** Bytes that are no DER of the syntax they stand for. */
const GARBAGE = Buffer.from([0xde, 0xad, 0xbe, 0xef]);

function flag(plan: FlagPlan): IdpFlag {
  if (plan === 'ber-true') return Buffer.from([0x01]);
  if (plan === 'two-octets') return Buffer.from([0xff, 0xff]);
  return plan;
}

function akidOf(plan: AkidPlan, ca: CaMaterial, world: World): AuthorityKeyIdentifierSpec {
  const keyId = ca.certificate.subjectKeyId ?? ca.key.keyId;
  const issuerName = ca.parent ? material(world, ca.parent).subject : ca.subject;
  const serial = serialOf(ca.certificate.serial);
  switch (plan) {
    case 'keyid':
      return { keyId };
    case 'wrong-keyid':
      return { keyId: Buffer.alloc(20, 0x5a) };
    case 'issuer-serial':
      return { issuer: issuerName, serial };
    case 'wrong-serial':
      return { issuer: issuerName, serial: serial + 1n };
    case 'wrong-issuer':
      return { issuer: OTHER_NAME, serial };
    case 'empty':
      return {};
    case 'uri-issuer':
      return { issuerNames: [{ uri: 'http://ca.forge.example/' }], serial };
  }
}

/** One line per plan: the bundle, the leaf, and each CRL with everything that differs from plain. */
export function describePlan(plan: RevocationPlan): string {
  const names = (list: readonly NamePlan[]) => list.join('|');
  const dpn = (n: DpNamePlan) => ('full' in n ? `full(${names(n.full)})` : `rel(${n.relative})`);
  const time = (t: TimePlan) =>
    `${t.hours >= 0 ? '+' : ''}${t.hours}h${t.encoding ? `/${t.encoding}` : ''}`;
  const leaf = plan.leaf;
  const dps = leaf.dpGarbage
    ? ' cRLDP garbage'
    : leaf.dps
      ? ` cRLDP${leaf.dpCritical ? '(critical)' : ''}[${leaf.dps
          .map((dp) =>
            [
              dp.name ? dpn(dp.name) : 'no name',
              dp.reasons ? `reasons{${dp.reasons.join(',')}}` : '',
              dp.crlIssuer ? `cRLIssuer(${names(dp.crlIssuer)})` : '',
            ]
              .filter(Boolean)
              .join(' '),
          )
          .join('; ')}]`
      : '';
  const crls = plan.crls.map((crl, i) => {
    const parts = [`#${i + 1} of ${crl.ca}`];
    if (crl.signer !== 'own') parts.push(`signed by ${crl.signer}`);
    if (crl.reencodedName) parts.push(`issuer re-encoded (${crl.reencodedName})`);
    if (crl.version !== 'v2') parts.push(`version ${crl.version}`);
    if (crl.digest) parts.push(crl.digest);
    if (crl.emptyLists) parts.push('empty lists written');
    if (crl.innerDiffers) parts.push('inner algorithm differs');
    parts.push(
      `this ${time(crl.thisUpdate)}`,
      `next ${crl.nextUpdate ? time(crl.nextUpdate) : 'absent'}`,
    );
    if (crl.entries.length > 0) {
      parts.push(
        `revokes [${crl.entries
          .map((e) => {
            const exts = e.extensions.map((x) => {
              if ('reason' in x) {
                return `reason ${x.reason}${x.encoding ? ` ${x.encoding}` : ''}${x.asInteger ? ' as INTEGER' : ''}${x.critical ? ' critical' : ''}`;
              }
              if ('certificateIssuerGarbage' in x) return 'certificateIssuer garbage';
              if ('certificateIssuer' in x) {
                return `certificateIssuer(${names(x.certificateIssuer)})${x.critical ? '' : ' non-critical'}`;
              }
              if ('invalidityDate' in x) return `invalidityDate${x.critical ? ' critical' : ''}`;
              return `unknown${x.critical ? ' critical' : ''}`;
            });
            return exts.length > 0 ? `${e.serial} {${exts.join(', ')}}` : e.serial;
          })
          .join(', ')}]`,
      );
    }
    for (const e of crl.extensions) {
      if ('crlNumber' in e) parts.push(`cRLNumber ${e.crlNumber}`);
      else if ('delta' in e) parts.push(`deltaCRLIndicator ${e.delta}`);
      else if ('akid' in e) parts.push(`AKID ${e.akid}${e.critical ? ' critical' : ''}`);
      else if ('idp' in e) {
        const idp = e.idp;
        const flags = [
          idp.dp ? `dp ${dpn(idp.dp)}` : '',
          idp.onlyUser !== undefined ? `onlyUser=${idp.onlyUser}` : '',
          idp.onlyCa !== undefined ? `onlyCA=${idp.onlyCa}` : '',
          idp.someReasons ? `onlySomeReasons{${idp.someReasons.join(',')}}` : '',
          idp.indirect !== undefined ? `indirect=${idp.indirect}` : '',
          idp.onlyAttr !== undefined ? `onlyAttr=${idp.onlyAttr}` : '',
          idp.trailing ? 'trailing NULL' : '',
        ].filter(Boolean);
        parts.push(`IDP{${flags.join(', ')}}${e.critical ? '' : ' non-critical'}`);
      } else if ('garbageIdp' in e) parts.push('IDP garbage');
      else if ('garbageDelta' in e) parts.push('deltaCRLIndicator garbage');
      else if ('garbageNumber' in e) parts.push('cRLNumber garbage');
      else if ('freshest' in e) parts.push('freshestCRL');
      else parts.push(`unknown extension${e.critical ? ' critical' : ''}`);
    }
    return parts.join(', ');
  });
  return [
    `bundle [${plan.bundle.join(', ')}]`,
    `leaf under ${leaf.issuer}${leaf.issuerUpper ? ' (issuer Name in capitals)' : ''}, serial ${leaf.serial}${leaf.expired ? ', expired' : ''}${dps}`,
    `CRLs: ${crls.length === 0 ? 'none' : crls.join(' / ')}`,
  ].join('; ');
}

/**
 * Plans one step simpler than `plan`, for shrinking a disagreement: a CRL, an entry, an
 * extension, a distribution point or a bundle CA fewer, or a time made plain.
 */
export function simplerPlans(plan: RevocationPlan): RevocationPlan[] {
  const out: RevocationPlan[] = [];
  const without = <T>(list: readonly T[], i: number): T[] => list.filter((_, j) => j !== i);
  const withCrl = (i: number, crl: CrlPlan): RevocationPlan => ({
    ...plan,
    crls: plan.crls.map((c, j) => (j === i ? crl : c)),
  });
  plan.crls.forEach((_, i) => out.push({ ...plan, crls: without(plan.crls, i) }));
  plan.bundle.forEach((label, i) => {
    if (label === plan.leaf.issuer) return;
    out.push({
      ...plan,
      bundle: without(plan.bundle, i),
      crls: plan.crls.filter((c) => c.ca !== label),
    });
  });
  plan.crls.forEach((crl, i) => {
    crl.entries.forEach((entry, j) => {
      out.push(withCrl(i, { ...crl, entries: without(crl.entries, j) }));
      entry.extensions.forEach((_, k) => {
        const entries = crl.entries.map((e, m) =>
          m === j ? { ...e, extensions: without(e.extensions, k) } : e,
        );
        out.push(withCrl(i, { ...crl, entries }));
      });
    });
    crl.extensions.forEach((_, j) =>
      out.push(withCrl(i, { ...crl, extensions: without(crl.extensions, j) })),
    );
    if (crl.thisUpdate.hours !== -1 || crl.thisUpdate.encoding) {
      out.push(withCrl(i, { ...crl, thisUpdate: { hours: -1 } }));
    }
    if (crl.nextUpdate?.hours !== 7 * 24 || crl.nextUpdate.encoding) {
      out.push(withCrl(i, { ...crl, nextUpdate: { hours: 7 * 24 } }));
    }
    if (crl.signer !== 'own') out.push(withCrl(i, { ...crl, signer: 'own' }));
    if (crl.reencodedName) out.push(withCrl(i, { ...crl, reencodedName: false }));
    if (crl.version !== 'v2') out.push(withCrl(i, { ...crl, version: 'v2' }));
    if (crl.innerDiffers) out.push(withCrl(i, { ...crl, innerDiffers: false }));
    if (crl.emptyLists) out.push(withCrl(i, { ...crl, emptyLists: false }));
    if (crl.digest) {
      out.push(
        withCrl(
          i,
          Object.fromEntries(Object.entries(crl).filter(([k]) => k !== 'digest')) as CrlPlan,
        ),
      );
    }
  });
  const leaf = plan.leaf;
  if (leaf.dps) {
    const bare: LeafPlan = {
      issuer: leaf.issuer,
      serial: leaf.serial,
      expired: leaf.expired,
      dpCritical: leaf.dpCritical,
      ...(leaf.issuerUpper ? { issuerUpper: true } : {}),
    };
    out.push({ ...plan, leaf: bare });
    leaf.dps.forEach((dp, i) => {
      const dps = leaf.dps as readonly DpPlan[];
      if (dps.length > 1) out.push({ ...plan, leaf: { ...leaf, dps: without(dps, i) } });
      for (const field of ['name', 'reasons', 'crlIssuer'] as const) {
        if (dp[field] === undefined) continue;
        const rest = Object.fromEntries(
          Object.entries(dp).filter(([key]) => key !== field),
        ) as DpPlan;
        out.push({ ...plan, leaf: { ...leaf, dps: dps.map((d, j) => (j === i ? rest : d)) } });
      }
    });
  }
  if (leaf.expired) out.push({ ...plan, leaf: { ...leaf, expired: false } });
  if (leaf.dpGarbage) out.push({ ...plan, leaf: { ...leaf, dpGarbage: false } });
  if (leaf.issuerUpper) out.push({ ...plan, leaf: { ...leaf, issuerUpper: false } });
  if (leaf.dpCritical) out.push({ ...plan, leaf: { ...leaf, dpCritical: false } });
  return out;
}
