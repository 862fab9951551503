/** `ClientIdentity` (what `@ClientIdentity()` injects) as a JSON Schema, for the OpenAPI document. */
export const CLIENT_IDENTITY_SCHEMA = {
  type: 'object',
  required: [
    'commonName',
    'subject',
    'issuer',
    'serialNumber',
    'fingerprint256',
    'fingerprint',
    'dnsNames',
    'uris',
    'emails',
    'ips',
    'spiffeId',
    'notBefore',
    'notAfter',
    'source',
  ],
  properties: {
    commonName: {
      type: ['string', 'null'],
      description: 'The subject CN; null with none or several.',
    },
    subject: { type: 'string', description: 'Subject DN, RFC 4514.' },
    issuer: { type: 'string', description: 'Issuer DN, RFC 4514.' },
    serialNumber: { type: 'string', description: 'Uppercase hex.' },
    fingerprint256: { type: 'string', description: 'SHA-256, uppercase hex with colons.' },
    fingerprint: { type: 'string', description: 'SHA-1 (the .NET thumbprint).' },
    dnsNames: { type: 'array', items: { type: 'string' } },
    uris: { type: 'array', items: { type: 'string' } },
    emails: { type: 'array', items: { type: 'string' } },
    ips: { type: 'array', items: { type: 'string' } },
    spiffeId: {
      type: ['string', 'null'],
      description:
        'The SPIFFE ID: the only URI SAN when it is a valid SPIFFE ID (X.509-SVID), else null.',
    },
    notBefore: { type: 'string', format: 'date-time' },
    notAfter: { type: 'string', format: 'date-time' },
    source: { type: 'string', enum: ['tls', 'forwarded'] },
    forwardedFor: {
      type: 'array',
      description:
        'Original callers a trusted forwarder acts for (x-forwarded-client-cert), original first.',
      items: {
        type: 'object',
        properties: {
          hash: { type: ['string', 'null'] },
          subject: { type: ['string', 'null'] },
          uris: { type: 'array', items: { type: 'string' } },
          dnsNames: { type: 'array', items: { type: 'string' } },
          by: { type: ['string', 'null'] },
        },
      },
    },
  },
} as const;
