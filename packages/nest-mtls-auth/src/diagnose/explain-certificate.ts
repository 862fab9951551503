import {
  anyExtendedKeyUsage,
  id_kp_clientAuth,
  id_kp_emailProtection,
  id_kp_serverAuth,
} from '../x509/oids.js';
import type { X509Certificate } from 'node:crypto';
import type { MtlsAuthModuleOptions } from '../options/mtls-auth-options.js';
import {
  resolveMtlsAuthOptions,
  type ResolvedMtlsAuthOptions,
} from '../options/resolve-options.js';
import { TrustConfiguration } from '../trust/trust-configuration.js';
import {
  spiffeIdOfCertificate,
  type AuthOutcome,
  type CertificatePolicy,
} from '../x509/certificate-policy.js';
import type { ChainVerdict } from '../x509/chain-verifier.js';
import { allowsClientAuth } from '../x509/certificate-facts.js';
import type { CertificateIdentity } from '../x509/client-identity.js';
import { isNamePattern } from '../allowlist/identity-pattern.js';
import { isSelfSigned } from '../x509/pem.js';
import { trustDomainOf } from '../x509/spiffe-id.js';
import { MtlsReasonCode } from '../x509/reason-code.js';
import { VERIFY_ERROR_TEXT, type VerifyError } from '../x509/verify/verify-error.js';
import { OcspChecker } from '../ocsp/ocsp-checker.js';
import { decodeForwardedCertificate } from '../forwarded/forwarded-certificate.js';

/** One check of the explanation. */
export interface ExplainedStep {
  readonly check:
    | 'certificate'
    | 'chain'
    | 'trust-domain'
    | 'validity'
    | 'revocation'
    | 'usage'
    | 'pins'
    | 'allowlist';
  readonly ok: boolean;
  readonly detail: string;
  /** What to do about it, when not ok. */
  readonly fix?: string;
}

/** What the service answers on each way a certificate can reach it: a reason code, or accepted. */
export interface ExplainedVerdicts {
  /** Sent by the client itself over TLS, with the chain it sends. */
  readonly direct: MtlsReasonCode | 'accepted';
  /** Forwarded by a trusted proxy that passes on the leaf alone (nginx, HAProxy, Caddy...). */
  readonly forwarded: MtlsReasonCode | 'accepted';
  /** Why the two differ, when they do (`undefined` when they agree). */
  readonly difference?: string;
}

/** What the service would answer a certificate, and why. */
export interface CertificateExplanation {
  /** `undefined` when accepted by the service-wide rules (routes may still restrict it). */
  readonly code: MtlsReasonCode | undefined;
  /** The identity, once the certificate is trusted (for matching routes). */
  readonly identity: CertificateIdentity | undefined;
  /** The identity pattern that names this caller (for allowlist fixes), once it is trusted. */
  readonly pattern: string | undefined;
  readonly steps: readonly ExplainedStep[];
  /** The direct and the forwarded verdicts, each from the code the service runs for that way. */
  readonly verdicts: ExplainedVerdicts;
}

/**
 * How the explanation names an option in its fixes (an app passes its own setting names); `key`
 * names one entry of it (a trust domain of `spiffeBundles`).
 */
export type OptionName = (option: keyof MtlsAuthModuleOptions, key?: string) => string;

/** Node's one-attribute-per-line name, most specific first, as RFC 4514 reads. */
const rfc4514 = (name: string) => name.split('\n').reverse().join(',');
const dn = (cert: X509Certificate) => rfc4514(cert.subject);

const PURPOSES: Readonly<Record<string, string>> = {
  [id_kp_serverAuth]: 'serverAuth',
  [id_kp_clientAuth]: 'clientAuth',
  [id_kp_emailProtection]: 'emailProtection',
  [anyExtendedKeyUsage]: 'anyExtendedKeyUsage',
};

/**
 * Runs the module's own checks on a certificate and the chain a client sends with it, and says
 * what the service answers and why, each failed step with a fix: what a person holding a refused
 * certificate needs. The verdicts come from the code the service runs: the direct one from
 * `CertificatePolicy.evaluateHandshake` given the verdict the handshake reaches (reproduced by the
 * chain verifier, which a generated differential test holds equal to OpenSSL's), the forwarded
 * one from `evaluateForwarded` on the leaf alone, as most proxies forward it.
 *
 * @param presented the certificates sent along with it (intermediates), as a client would.
 * @throws {MtlsAuthOptionsError} when the options themselves are invalid.
 */
export async function explainCertificate(
  options: MtlsAuthModuleOptions,
  leaf: X509Certificate,
  presented: readonly X509Certificate[] = [],
  name: OptionName = (option) => `\`${option}\``,
  now: number = Date.now(),
): Promise<CertificateExplanation> {
  return new CertificateExplainer(options, name).explain(leaf, presented, now);
}

/**
 * "Why is my certificate refused?" for any number of certificates under one configuration: the
 * options are resolved, and the policy compiled, once ({@link explainCertificate} and
 * {@link explainForwardedHeader} are one-off shorthands).
 *
 * @param name how an option is named in the fixes (the starter names its environment variables).
 */
export class CertificateExplainer {
  private readonly resolved: ResolvedMtlsAuthOptions;
  private readonly policy: CertificatePolicy;

  /** @throws {MtlsAuthOptionsError} when the options themselves are invalid. */
  constructor(
    options: MtlsAuthModuleOptions,
    private readonly name: OptionName = (option) => `\`${option}\``,
  ) {
    this.resolved = resolveMtlsAuthOptions(options);
    this.policy = compilePolicy(this.resolved).policy;
  }

  /**
   * A certificate header as a trusted proxy would forward it, read with the configured
   * `certificateHeaderFormat` (or the `proxyPreset`'s), with the chain it carries or the chain
   * header's value. A value that is not one certificate (and at most ten chain certificates) is
   * explained as the service answers it: `MTLS_CERT_MALFORMED`. Only the forwarded way applies.
   */
  async explainHeader(value: string, chainValue?: string): Promise<CertificateExplanation> {
    // The format as the service reads it: the option, else the preset's, else auto.
    const format = this.resolved.certificateHeaderFormat;
    const decoded = decodeForwardedCertificate(value, format, chainValue);
    if (!decoded.ok) {
      const malformed = MtlsReasonCode.CertMalformed;
      return {
        code: malformed,
        identity: undefined,
        pattern: undefined,
        steps: [
          {
            check: 'certificate',
            ok: false,
            detail: `the header is not one certificate in format ${format} (${decoded.reason})`,
            fix: 'forward the certificate itself (nginx: $ssl_client_escaped_cert), once, and at most ten chain certificates',
          },
        ],
        verdicts: { direct: malformed, forwarded: malformed },
      };
    }
    const explanation = await this.explain(decoded.certificate, decoded.chain);
    // Only the forwarded way applies to a header.
    const forwarded = explanation.code ?? 'accepted';
    return { ...explanation, verdicts: { direct: forwarded, forwarded } };
  }

  /**
   * Runs the module's own checks on a certificate and the chain a client sends with it
   * (`presented`), and says what the service answers and why, each failed step with a fix; with
   * the direct verdict (as the handshake would reach it) and the forwarded one (the leaf alone).
   */
  async explain(
    leaf: X509Certificate,
    presented: readonly X509Certificate[] = [],
    now: number = Date.now(),
  ): Promise<CertificateExplanation> {
    const { resolved, policy, name } = this;
    const verdict = policy.chainVerifier.verify(leaf, presented, now);
    const handshake = verdict.ok
      ? { authorized: true }
      : { authorized: false, error: lastError(verdict.errors).code };
    const direct = policy.evaluateHandshake(leaf, handshake, () => presented, now);
    const forwarded = policy.evaluateForwarded(leaf, 'forwarded', [], now);
    const steps = explainSteps(resolved, policy, verdict, leaf, name);
    const decided = await afterTrust(resolved, policy, direct, leaf, presented, name, now, steps);
    const verdicts = compare(
      decided.code ?? 'accepted',
      finalCode(resolved, forwarded) ?? 'accepted',
      presented,
    );
    return { ...decided, steps, verdicts };
  }
}

/**
 * {@link explainCertificate} for a certificate header as a trusted proxy would forward it, read
 * with the configured `certificateHeaderFormat` (or the `proxyPreset`'s), with the chain it
 * carries or the chain header's value. A value that is not one certificate (and at most ten
 * chain certificates) is explained as the service answers it: `MTLS_CERT_MALFORMED`.
 *
 * @param chainValue the chain header's value, as the proxy sends it beside the certificate.
 */
export async function explainForwardedHeader(
  options: MtlsAuthModuleOptions,
  value: string,
  name?: OptionName,
  chainValue?: string,
): Promise<CertificateExplanation> {
  return new CertificateExplainer(options, name).explainHeader(value, chainValue);
}

/** The policy exactly as the authenticator compiles it. */
function compilePolicy(resolved: ResolvedMtlsAuthOptions): TrustConfiguration {
  return new TrustConfiguration(
    resolved,
    resolved,
    resolved.allowedCertificateTypes,
    resolved.securityLevel,
    () => undefined,
  );
}

function lastError(errors: readonly VerifyError[]): VerifyError {
  return errors[errors.length - 1] as VerifyError;
}

/** The chain, validity and revocation steps: one per error the verifier found, with its fix. */
function explainSteps(
  resolved: ResolvedMtlsAuthOptions,
  policy: CertificatePolicy,
  verdict: ChainVerdict,
  leaf: X509Certificate,
  name: OptionName,
): ExplainedStep[] {
  const steps: ExplainedStep[] = [
    {
      check: 'certificate',
      ok: true,
      detail: `${dn(leaf)}, issued by ${rfc4514(leaf.issuer)}, SHA-256 ${leaf.fingerprint256}`,
    },
  ];
  const store = resolved.cas;
  if (isSelfSigned(leaf) && !store.some((ca) => ca.fingerprint256 === leaf.fingerprint256)) {
    const types = resolved.allowedCertificateTypes;
    const pinned = resolved.pins.matchesCertificate(leaf);
    const ok = types !== 'chained' && pinned;
    steps.push({
      check: 'chain',
      ok,
      detail: `self-signed; ${types === 'chained' ? 'self-signed certificates are not allowed' : pinned ? 'pinned' : 'not pinned'}`,
      fix: ok
        ? undefined
        : `issue it from a CA in ${name('trustedCa')}, or allow self-signed certificates (${name('allowedCertificateTypes')}=all) and pin its SHA-256 in ${name('allowedFingerprints')}`,
    });
    return steps;
  }
  if (verdict.ok) {
    steps.push({ check: 'chain', ok: true, detail: verdict.chain.map(dn).join(' <- ') });
    const domainStep = trustDomainStep(policy, leaf, verdict.chain, name);
    if (domainStep) steps.push(domainStep);
    steps.push({
      check: 'validity',
      ok: true,
      detail: `valid until ${leaf.validTo}, every link current`,
    });
    if (resolved.revocation)
      steps.push({ check: 'revocation', ok: true, detail: 'not on the CRLs' });
    return steps;
  }
  const seen = new Set<string>();
  for (const error of verdict.errors) {
    if (seen.has(error.code)) continue;
    seen.add(error.code);
    steps.push(explainError(error, verdict.path, policy, resolved, name));
  }
  return steps;
}

/**
 * The SPIFFE trust domain rule's step (with `spiffeBundles` only): which trust domain the
 * certificate's SPIFFE ID names, and which bundle its chain ends in.
 */
function trustDomainStep(
  policy: CertificatePolicy,
  leaf: X509Certificate,
  chain: readonly X509Certificate[],
  name: OptionName,
): ExplainedStep | undefined {
  const domains = policy.trustDomains;
  if (!domains) return undefined;
  const anchor = chain[chain.length - 1] as X509Certificate;
  const spiffeId = spiffeIdOfCertificate(leaf);
  const verdict = domains.judge(spiffeId, anchor);
  if (verdict.ok) {
    return {
      check: 'trust-domain',
      ok: true,
      detail:
        verdict.trustDomain === null
          ? `no SPIFFE ID; its chain ends at "${dn(anchor)}", a CA of ${name('trustedCa')}`
          : `${spiffeId ?? ''}: trust domain ${verdict.trustDomain}, its chain ends at "${dn(anchor)}" of the bundle ${name('spiffeBundles', verdict.trustDomain)}`,
    };
  }
  const domain = spiffeId === null ? undefined : trustDomainOf(spiffeId);
  return {
    check: 'trust-domain',
    ok: false,
    detail: verdict.detail,
    fix:
      domain === undefined
        ? `issue it from a CA of ${name('trustedCa')}, or give it the SPIFFE ID of a trust domain whose bundle holds "${dn(anchor)}"`
        : domains.domains.includes(domain)
          ? `issue it from a CA of ${domain}'s bundle (${name('spiffeBundles', domain)}), or add "${dn(anchor)}" to that bundle if ${domain} vouches for it`
          : `add trust domain ${domain} with its bundle to ${name('spiffeBundles')}`,
  };
}

/** One verification error as a failed step: who, what, and the fix. */
function explainError(
  error: VerifyError,
  path: readonly X509Certificate[],
  policy: CertificatePolicy,
  resolved: ResolvedMtlsAuthOptions,
  name: OptionName,
): ExplainedStep {
  const at = path[Math.min(error.depth, path.length - 1)] as X509Certificate;
  const who = error.depth === 0 ? 'the certificate' : `"${dn(at)}"`;
  const detail = `${who}: ${VERIFY_ERROR_TEXT[error.code] ?? error.code}`;
  const step = (check: ExplainedStep['check'], fix: string, text = detail): ExplainedStep => ({
    check,
    ok: false,
    detail: text,
    fix,
  });
  const top = path[path.length - 1] as X509Certificate;
  switch (error.code) {
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN': {
      const issuer = rfc4514(top.issuer);
      const verifier = policy.chainVerifier;
      const issuerKey = verifier.profileOf(top).issuerKey;
      const named = resolved.cas.some((ca) => verifier.profileOf(ca).subjectKey === issuerKey);
      const text = `no path to a trusted CA (${VERIFY_ERROR_TEXT[error.code] ?? error.code})`;
      if (error.code === 'SELF_SIGNED_CERT_IN_CHAIN') {
        return step(
          'chain',
          `the chain ends at "${dn(top)}", a CA this service does not trust: add it to ${name('trustedCa')} if it should be trusted`,
          text,
        );
      }
      return step(
        'chain',
        named
          ? `a CA named "${issuer}" is in ${name('trustedCa')}, but it did not sign this certificate (another CA with the same name): issue it from your CA`
          : `add the CA that issued it, "${issuer}" (and any intermediate above it), to ${name('trustedCa')}, or have the client send its intermediates`,
        text,
      );
    }
    case 'CERT_SIGNATURE_FAILURE':
      return step(
        'chain',
        `${who} is named as issued by a CA it was not signed by (another CA with the same name?): issue it from your CA`,
      );
    case 'CERT_CHAIN_TOO_LONG':
      return step('chain', 'shorten the chain: OpenSSL verifies at most 100 intermediates');
    case 'INVALID_CA':
    case 'INVALID_NON_CA':
      return step(
        'chain',
        `reissue ${who} as a CA (basicConstraints CA:TRUE, keyUsage keyCertSign)`,
      );
    case 'KEYUSAGE_NO_CERTSIGN':
    case 'KEYUSAGE_NO_DIGITAL_SIGNATURE':
      return step('chain', `reissue ${who} with keyUsage keyCertSign`);
    case 'PATH_LENGTH_EXCEEDED':
      return step(
        'chain',
        `${who} allows fewer CAs below it (pathLenConstraint): issue from a CA closer to it, or reissue it with a larger pathLen`,
      );
    case 'UNHANDLED_CRITICAL_EXTENSION':
      return step(
        'chain',
        `reissue ${who} without the critical extension (OpenSSL refuses it too)`,
      );
    case 'EE_KEY_TOO_SMALL':
    case 'CA_KEY_TOO_SMALL':
      return step(
        'chain',
        `reissue ${who} with a stronger key (RSA of 2048 bits or more, or EC P-256): the server's TLS security level is ${resolved.securityLevel}`,
      );
    case 'CA_MD_TOO_WEAK':
      return step('chain', `reissue ${who} signed with SHA-256 or stronger`);
    case 'EC_KEY_EXPLICIT_PARAMS':
      return step('chain', `reissue ${who} with a named curve (P-256, P-384)`);
    case 'PERMITTED_VIOLATION':
    case 'EXCLUDED_VIOLATION':
    case 'SUBTREE_MINMAX':
    case 'UNSUPPORTED_CONSTRAINT_TYPE':
    case 'UNSUPPORTED_NAME_SYNTAX':
      return step(
        'chain',
        `issue ${who} with names the CAs above it may certify (their name constraints)`,
      );
    case 'CERT_HAS_EXPIRED':
      return step(
        'validity',
        error.depth === 0
          ? 'renew the certificate'
          : `reissue it under a current ${who} (and put that one in ${name('trustedCa')})`,
        `${who} expired on ${at.validTo}`,
      );
    case 'CERT_NOT_YET_VALID':
      return step(
        'validity',
        error.depth === 0
          ? 'check its notBefore and the clocks'
          : `wait, or reissue it under a current ${who}`,
        `${who} is not valid before ${at.validFrom}`,
      );
    case 'ERROR_IN_CERT_NOT_BEFORE_FIELD':
    case 'ERROR_IN_CERT_NOT_AFTER_FIELD':
      return step(
        'validity',
        `reissue ${who} with times in RFC 5280's form (YYMMDDHHMMSSZ, or YYYYMMDDHHMMSSZ from 2050)`,
      );
    case 'CERT_REVOKED':
      return step('revocation', 'issue a new certificate', `${who} is on its issuer's CRL`);
    case 'UNABLE_TO_GET_CRL':
      return step(
        'revocation',
        `add a current CRL from every CA of the path to ${name('crl')}`,
        `no current CRL from the issuer of ${who}`,
      );
    case 'INVALID_PURPOSE':
      return step(
        'usage',
        error.depth === 0
          ? 'issue it with extendedKeyUsage = clientAuth and keyUsage = digitalSignature'
          : 'the CA that issued it may not issue client certificates (its extended key usage lacks clientAuth): issue it from one that may',
      );
    case 'RFC3779_RESOURCES':
      return step(
        'chain',
        `issue ${who} without RFC 3779 blocks (sbgp-ipAddrBlock, sbgp-autonomousSysNum): this service refuses resource certificates on every way`,
      );
    case 'KEY_CANNOT_SIGN_TLS':
      return step('chain', 'issue it for a signing key (RSA, EC P-256/P-384/P-521, Ed25519)');
    case 'KEYUSAGE_NO_CRL_SIGN':
      return step(
        'revocation',
        `reissue ${who}'s CA with keyUsage cRLSign, or have it sign no CRL`,
      );
    case 'CRL_HAS_EXPIRED':
    case 'CRL_NOT_YET_VALID':
    case 'ERROR_IN_CRL_LAST_UPDATE_FIELD':
    case 'ERROR_IN_CRL_NEXT_UPDATE_FIELD':
      return step(
        'revocation',
        `put a current CRL from the issuer of ${who} in ${name('crl')} (and renew it before its nextUpdate)`,
      );
    case 'DIFFERENT_CRL_SCOPE':
    case 'UNHANDLED_CRITICAL_CRL_EXTENSION':
    case 'CRL_SIGNATURE_FAILURE':
      return step(
        'revocation',
        `give ${name('crl')} a full CRL of every certificate the issuer of ${who} signed, signed by it, without critical extensions OpenSSL does not handle`,
      );
    default:
      return step('chain', `reissue ${who} as an ordinary X.509 certificate`);
  }
}

/**
 * The policy's own steps once trust is decided (usage, pins, OCSP, the service-wide allowlist),
 * appended to `steps`; the code the service answers directly, and the identity.
 */
async function afterTrust(
  resolved: ResolvedMtlsAuthOptions,
  policy: CertificatePolicy,
  outcome: AuthOutcome,
  leaf: X509Certificate,
  presented: readonly X509Certificate[],
  name: OptionName,
  now: number,
  steps: ExplainedStep[],
): Promise<Pick<CertificateExplanation, 'code' | 'identity' | 'pattern'>> {
  // The verifier's reading, which never throws on a garbled extension (the policy's would).
  const facts = policy.chainVerifier.profileOf(leaf);
  const eku = facts.extKeyUsage;
  const usageOk = allowsClientAuth(facts.ca, eku);
  steps.push({
    check: 'usage',
    ok: usageOk,
    detail: facts.ca
      ? 'a CA certificate'
      : eku
        ? `extended key usage ${eku.map((oid) => PURPOSES[oid] ?? oid).join(', ')}`
        : 'no extended key usage',
    fix: usageOk
      ? undefined
      : facts.ca
        ? 'use a leaf certificate (basicConstraints CA:FALSE)'
        : 'issue it with extendedKeyUsage = clientAuth',
  });
  if (resolved.pins.enabled) {
    const pinned = resolved.pins.matchesCertificate(leaf);
    steps.push({
      check: 'pins',
      ok: pinned,
      detail: pinned ? 'pinned' : 'not one of the pinned certificates',
      fix: pinned
        ? undefined
        : `add its SHA-256 ${leaf.fingerprint256} to ${name('allowedFingerprints')}`,
    });
  }
  let code = outcome.ok ? undefined : outcome.code;
  const identity = outcome.ok ? outcome.identity : undefined;
  if (outcome.ok && resolved.ocsp !== 'off') {
    // As the service asks before a newly accepted certificate's first request is let through.
    const chain = policy.trustedChain(leaf, presented);
    const checker = new OcspChecker(resolved.ocsp, resolved.ocspUrl, resolved.ocspTimeoutMs);
    const answer = chain ? await checker.status(chain, now) : undefined;
    const refuses =
      answer?.status === 'revoked' || (answer?.status === 'unknown' && resolved.ocsp === 'hard');
    if (refuses) {
      code =
        answer?.status === 'revoked' ? MtlsReasonCode.CertRevoked : MtlsReasonCode.CertUntrusted;
    }
    steps.push({
      check: 'revocation',
      ok: !refuses,
      detail: `OCSP (${resolved.ocsp}): ${answer?.status ?? 'not asked (no trusted chain to name the issuer)'}`,
      fix: !refuses
        ? undefined
        : answer?.status === 'revoked'
          ? 'issue a new certificate'
          : `make the responder (${resolved.ocspUrl ?? "the certificate's AIA OCSP URL"}) reachable and aware of this certificate, or set ${name('ocsp')}=soft`,
    });
  }
  if (identity && resolved.allowedServices) {
    const allowed = resolved.allowedServices(identity);
    if (!allowed && code === undefined) code = MtlsReasonCode.ServiceForbidden;
    steps.push({
      check: 'allowlist',
      ok: allowed,
      detail: allowed
        ? 'matches the service-wide allowlist'
        : 'matches no pattern of the service-wide allowlist',
      fix: allowed ? undefined : `add ${patternFor(identity)} to ${name('allowedServices')}`,
    });
  }
  return { code, identity, pattern: identity && patternFor(identity) };
}

/** An outcome's code after the service-wide allowlist (OCSP aside). */
function finalCode(
  resolved: ResolvedMtlsAuthOptions,
  outcome: AuthOutcome,
): MtlsReasonCode | undefined {
  if (!outcome.ok) return outcome.code;
  if (resolved.allowedServices && !resolved.allowedServices(outcome.identity)) {
    return MtlsReasonCode.ServiceForbidden;
  }
  return undefined;
}

function compare(
  direct: MtlsReasonCode | 'accepted',
  forwarded: MtlsReasonCode | 'accepted',
  presented: readonly X509Certificate[],
): ExplainedVerdicts {
  if (direct === forwarded) return { direct, forwarded };
  const difference =
    presented.length > 0
      ? 'a proxy that forwards the leaf alone (nginx, Caddy, ALB in verify mode) passes on none of the intermediates the client sends: put them in the trusted bundle, or have the proxy forward the chain (a preset that carries one), to be accepted both ways'
      : 'the two ways judge this certificate differently: please report it, with the certificate (never its key)';
  return { direct, forwarded, difference };
}

/**
 * The pattern that would let this identity in: its SPIFFE ID, else its CN when a name pattern can
 * say it (printable ASCII), else its DN (whose values are compared exactly, in any script).
 */
function patternFor(identity: CertificateIdentity): string {
  if (identity.spiffeId !== null) return identity.spiffeId;
  const cn = identity.commonName;
  return cn !== null && isNamePattern(cn) ? cn : `dn:${identity.subject}`;
}
