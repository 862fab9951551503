import type { X509Certificate } from 'node:crypto';
import type { MtlsAuthModuleOptions } from '../options/mtls-auth-options.js';
import { resolveMtlsAuthOptions } from '../options/resolve-options.js';
import { TrustConfiguration } from '../auth/trust-configuration.js';
import type { AuthOutcome } from '../x509/certificate-policy.js';
import { ChainVerifier } from '../x509/chain-verifier.js';
import { allowsClientAuth, readCertificateFacts } from '../x509/certificate-facts.js';
import type { CertificateIdentity } from '../x509/client-identity.js';
import { isNamePattern } from '../x509/identity-pattern.js';
import { isSelfSigned } from '../x509/pem.js';
import { MtlsReasonCode } from '../x509/reason-code.js';
import { TrustStore } from '../x509/trust-store.js';
import { OcspChecker } from '../ocsp/ocsp-checker.js';
import { decodeForwardedCertificate } from '../proxy/forwarded-certificate.js';
import { MTLS_AUTH_DEFAULTS } from '../options/mtls-auth-options.js';

/** One check of the explanation. */
export interface ExplainedStep {
  readonly check:
    'certificate' | 'chain' | 'validity' | 'revocation' | 'usage' | 'pins' | 'allowlist';
  readonly ok: boolean;
  readonly detail: string;
  /** What to do about it, when not ok. */
  readonly fix?: string;
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
}

/** How the explanation names an option in its fixes (an app passes its own setting names). */
export type OptionName = (option: keyof MtlsAuthModuleOptions) => string;

/** Node's one-attribute-per-line name, most specific first, as RFC 4514 reads. */
const rfc4514 = (name: string) => name.split('\n').reverse().join(',');
const dn = (cert: X509Certificate) => rfc4514(cert.subject);

const PURPOSES: Readonly<Record<string, string>> = {
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '2.5.29.37.0': 'anyExtendedKeyUsage',
};

/**
 * Runs the module's own validation (the `CertificatePolicy` and `ChainVerifier` that judge
 * forwarded certificates and name the reason of direct refusals) on one certificate, and explains
 * each step with a fix: what a person holding a refused certificate needs.
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
  const resolved = resolveMtlsAuthOptions(options);
  const store = new TrustStore(resolved.cas);
  // The policy exactly as the authenticator compiles it.
  const { policy } = new TrustConfiguration(
    resolved,
    resolved,
    resolved.allowedCertificateTypes,
    () => undefined,
  );
  const outcome: AuthOutcome = policy.evaluateForwarded(leaf, 'tls', presented, now);
  const steps: ExplainedStep[] = [
    {
      check: 'certificate',
      ok: true,
      detail: `${dn(leaf)}, issued by ${rfc4514(leaf.issuer)}, SHA-256 ${leaf.fingerprint256}`,
    },
  ];
  const facts = readCertificateFacts(leaf);
  const selfSigned = isSelfSigned(leaf) && !store.contains(leaf);
  if (selfSigned) {
    const pinned = resolved.pins.matchesCertificate(leaf);
    steps.push({
      check: 'chain',
      ok: outcome.ok,
      detail: `self-signed; ${resolved.allowedCertificateTypes === 'chained' ? 'self-signed certificates are not allowed' : pinned ? 'pinned' : 'not pinned'}`,
      fix: outcome.ok
        ? undefined
        : `issue it from a CA in ${name('trustedCa')}, or allow self-signed certificates (${name('allowedCertificateTypes')}=all) and pin its SHA-256 in ${name('allowedFingerprints')}`,
    });
  }
  let chainVerdict: ReturnType<ChainVerifier['verify']> | undefined;
  if (!selfSigned) {
    const verdict = new ChainVerifier(store, resolved.revocation).verify(leaf, presented, now);
    chainVerdict = verdict;
    const path = verdict.ok ? verdict.chain : verdict.path;
    if (!path) {
      const named = store.withSubject(leaf.issuer).length > 0;
      steps.push({
        check: 'chain',
        ok: false,
        detail: `no path to a trusted CA (${verdict.ok ? '' : verdict.reason})`,
        fix: named
          ? `a CA named "${rfc4514(leaf.issuer)}" is in ${name('trustedCa')}, but it did not sign this certificate (another CA with the same name): issue it from your CA`
          : `add the CA that issued it, "${rfc4514(leaf.issuer)}" (and any intermediate above it), to ${name('trustedCa')}, or have the client send its intermediates`,
      });
    } else {
      steps.push({ check: 'chain', ok: true, detail: path.map(dn).join(' <- ') });
      const link = verdict.ok ? undefined : verdict.link;
      const at = link === undefined ? undefined : path[link];
      if (
        !verdict.ok &&
        at &&
        (verdict.code === MtlsReasonCode.CertExpired ||
          verdict.code === MtlsReasonCode.CertNotYetValid)
      ) {
        const when =
          verdict.code === MtlsReasonCode.CertExpired
            ? `expired on ${at.validTo}`
            : `not valid before ${at.validFrom}`;
        steps.push({
          check: 'validity',
          ok: false,
          detail: `${link === 0 ? 'the certificate' : `"${dn(at)}"`} ${when}`,
          fix:
            link === 0
              ? 'renew the certificate'
              : `reissue it under a current "${dn(at)}" (and put that one in ${name('trustedCa')})`,
        });
      } else {
        steps.push({
          check: 'validity',
          ok: true,
          detail: `valid until ${leaf.validTo}, every link current`,
        });
      }
      if (!verdict.ok && verdict.code === MtlsReasonCode.CertRevoked) {
        steps.push({
          check: 'revocation',
          ok: false,
          detail: `"${dn(at ?? leaf)}" is on its issuer's CRL`,
          fix: 'issue a new certificate',
        });
      } else if (!verdict.ok && verdict.reason.startsWith('no current CRL')) {
        steps.push({
          check: 'revocation',
          ok: false,
          detail: `no current CRL from the issuer of "${dn(at ?? leaf)}"`,
          fix: `add a current CRL from every CA of the path to ${name('crl')}`,
        });
      } else if (resolved.revocation) {
        steps.push({ check: 'revocation', ok: true, detail: 'not on the CRLs' });
      }
      if (
        !verdict.ok &&
        verdict.code === MtlsReasonCode.CertUntrusted &&
        !verdict.reason.includes('CRL')
      ) {
        // A path was found, then refused for its structure: name the certificate and the rule.
        const who = at ? `"${dn(at)}"` : 'a certificate of the path';
        steps.push({
          check: 'chain',
          ok: false,
          detail: `${who}: ${verdict.reason}`,
          fix: verdict.reason.startsWith('pathLenConstraint')
            ? `${who} allows fewer CAs below it (pathLenConstraint): issue from a CA closer to it, or reissue it with a larger pathLen`
            : verdict.reason.startsWith('name constraints')
              ? `${who} carries name constraints, which this service does not evaluate: issue from a CA without them`
              : `reissue ${who} without the unknown critical extension (OpenSSL refuses it too)`,
        });
      }
    }
  }
  if (
    chainVerdict &&
    !chainVerdict.ok &&
    chainVerdict.code === MtlsReasonCode.CertInvalidUsage &&
    chainVerdict.path
  ) {
    // A usage the leaf's extended key usage does not show: its keyUsage, or an intermediate's EKU.
    const at = chainVerdict.path[chainVerdict.link ?? 0];
    steps.push({
      check: 'usage',
      ok: false,
      detail: `${chainVerdict.link ? `"${at ? dn(at) : '?'}"` : 'the certificate'}: ${chainVerdict.reason}`,
      fix: chainVerdict.reason.startsWith('keyUsage')
        ? 'issue it with keyUsage = digitalSignature'
        : 'the CA that issued it may not issue client certificates (its extended key usage lacks clientAuth): issue it from one that may',
    });
  }
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
    if (!allowed) code = MtlsReasonCode.ServiceForbidden;
    steps.push({
      check: 'allowlist',
      ok: allowed,
      detail: allowed
        ? 'matches the service-wide allowlist'
        : 'matches no pattern of the service-wide allowlist',
      fix: allowed ? undefined : `add ${patternFor(identity)} to ${name('allowedServices')}`,
    });
  }
  return { code, identity, pattern: identity && patternFor(identity), steps };
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

/**
 * {@link explainCertificate} for a certificate header as a trusted proxy would forward it, read
 * with the configured `certificateHeaderFormat`.
 *
 * @throws {Error} when the value is not one certificate in that format (the service answers
 *   `MTLS_CERT_MALFORMED`).
 */
export async function explainForwardedHeader(
  options: MtlsAuthModuleOptions,
  value: string,
  name?: OptionName,
): Promise<CertificateExplanation> {
  const format = options.certificateHeaderFormat ?? MTLS_AUTH_DEFAULTS.certificateHeaderFormat;
  const decoded = decodeForwardedCertificate(value, format);
  if (!decoded.ok) {
    return {
      code: MtlsReasonCode.CertMalformed,
      identity: undefined,
      pattern: undefined,
      steps: [
        {
          check: 'certificate',
          ok: false,
          detail: `the header is not one certificate in format ${format}`,
          fix: 'forward the certificate itself (nginx: $ssl_client_escaped_cert), once',
        },
      ],
    };
  }
  return explainCertificate(options, decoded.certificate, [], name);
}
