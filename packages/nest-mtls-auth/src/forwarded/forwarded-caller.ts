import { asciiLower } from '../x509/ascii-case.js';
import {
  MATCH_KEYS,
  type CertificateIdentity,
  type ForwardedCaller,
} from '../x509/client-identity.js';
import {
  dnMatchKey,
  parseDistinguishedName,
  type DnAttribute,
} from '../x509/distinguished-name.js';
import { spiffeIdOf } from '../x509/spiffe-id.js';
import { xfccValue, type XfccElement } from './xfcc.js';

/** What a trusted forwarder's XFCC element says about a caller. */
export function forwardedCallerFrom(element: XfccElement): ForwardedCaller {
  const all = (key: string) => {
    const k = asciiLower(key);
    return element.filter(([name]) => asciiLower(name) === k).map(([, v]) => v);
  };
  return {
    hash: xfccValue(element, 'Hash') ?? null,
    subject: xfccValue(element, 'Subject') ?? null,
    uris: all('URI'),
    dnsNames: all('DNS'),
    by: xfccValue(element, 'By') ?? null,
  };
}

/**
 * A forwarded caller in the shape identity patterns match, so `@AllowServices(..., { onBehalfOf })`
 * uses the same patterns for the original caller as for the immediate one. Fields XFCC does not
 * carry are empty; a caller without a usable subject has no CN and no DN. Its `spiffeId` follows
 * the certificate's rule: the one `URI` when the element names exactly one and it is a valid
 * SPIFFE ID.
 */
export function matchableForwardedCaller(caller: ForwardedCaller): CertificateIdentity {
  let attributes: DnAttribute[] = [];
  try {
    attributes = caller.subject ? parseDistinguishedName(caller.subject) : [];
  } catch {
    // An unparsable subject matches no CN or DN pattern; URI and DNS patterns still apply.
    attributes = [];
  }
  const cns = attributes.filter((a) => a.type === 'CN');
  const commonName = cns.length === 1 ? (cns[0]?.value ?? null) : null;
  return {
    commonName,
    subject: caller.subject ?? '',
    issuer: '',
    serialNumber: '',
    fingerprint256: '',
    fingerprint: '',
    dnsNames: caller.dnsNames,
    uris: caller.uris,
    emails: [],
    ips: [],
    spiffeId: spiffeIdOf(caller.uris),
    notBefore: '',
    notAfter: '',
    source: 'forwarded',
    [MATCH_KEYS]: {
      commonName: commonName === null ? null : asciiLower(commonName),
      dnsNames: caller.dnsNames.map((d) => asciiLower(d)),
      uris: caller.uris,
      dnKey: attributes.length > 0 ? dnMatchKey(attributes) : '\u0000none',
      sha256: caller.hash === null ? '' : asciiLower(caller.hash),
      sha1: '',
      notBeforeMs: 0,
      notAfterMs: Number.MAX_SAFE_INTEGER,
    },
  };
}
