import 'reflect-metadata';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AttributeTypeAndValue,
  AttributeValue,
  BasicConstraints,
  KeyUsage,
  Certificate,
  GeneralName,
  Name,
  RelativeDistinguishedName,
  SubjectAlternativeName,
  Validity,
} from '@peculiar/asn1-x509';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readName, readTbsParts } from '../../src/x509/tbs-certificate.js';
import { decodeOid, text } from '../../src/x509/der/der.js';
import { encodeOid, KNOWN_OIDS, knownOid } from '../../src/x509/der/known-oids.js';
import {
  readBasicConstraintsCa,
  readExtendedKeyUsage,
  readGeneralNames,
} from '../../src/x509/extension-values.js';
import { CertificateProfile } from '../../src/x509/verify/certificate-profile.js';
import { forgeCertificate, sharedKeyPool } from '../support/forge/index.js';
import { useTestPki, CLIENTS } from '../support/test-pki.js';

const pki = useTestPki();

/** What the ASN.1 library reads from a Name: the reference the DER reader must equal. */
function libraryName(der: Uint8Array) {
  return [...AsnConvert.parse(der, Name)].map((rdn) =>
    [...rdn].map((atv) => ({
      oid: atv.type,
      value:
        atv.value.ia5String ??
        (atv.value.anyValue
          ? `#${Buffer.from(atv.value.anyValue).toString('hex')}`
          : atv.value.toString()),
    })),
  );
}

const stringKinds = [
  'utf8String',
  'printableString',
  'bmpString',
  'universalString',
  'ia5String',
] as const;
const printable = fc.stringMatching(/^[A-Za-z0-9 '()+,./:=?-]{1,20}$/);
const attribute = fc
  .record({
    oid: fc.constantFrom(
      '2.5.4.3',
      '2.5.4.10',
      '2.5.4.11',
      '0.9.2342.19200300.100.1.25',
      '1.2.3.4',
    ),
    kind: fc.constantFrom(...stringKinds),
    value: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }),
    ascii: printable,
  })
  .map(({ oid, kind, value, ascii }) => {
    const text = kind === 'printableString' || kind === 'ia5String' ? ascii : value;
    return new AttributeTypeAndValue({ type: oid, value: new AttributeValue({ [kind]: text }) });
  });

/** A test certificate re-serialized with `serial` and both validity times at `at` (unsigned). */
function certificateDer(serial: Buffer, at: Date): Uint8Array {
  const cert = AsnConvert.parse(pki.clients.billing.x509.raw, Certificate);
  cert.tbsCertificate.serialNumber = new Uint8Array(serial).buffer;
  // The library writes UTCTime for 1950-2049 and GeneralizedTime otherwise: both forms are read.
  cert.tbsCertificate.validity = new Validity({ notBefore: at, notAfter: at });
  return new Uint8Array(AsnConvert.serialize(cert));
}

describe('readName / readGeneralNames / readTbsParts (the DER reader of identity extraction)', () => {
  it('reads every Name as the ASN.1 library does (random string types, multi-valued RDNs)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(attribute, { minLength: 1, maxLength: 3 }), { maxLength: 6 }),
        (rdns) => {
          const name = new Name(rdns.map((atvs) => new RelativeDistinguishedName(atvs)));
          const der = new Uint8Array(AsnConvert.serialize(name));
          expect(readName(der)).toEqual(libraryName(der));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reads the subject, issuer and SANs of every test certificate as the ASN.1 library does', () => {
    for (const client of CLIENTS) {
      const raw = pki.clients[client].x509.raw;
      const parts = readTbsParts(raw);
      const tbs = AsnConvert.parse(raw, Certificate).tbsCertificate;
      expect(readName(parts.subject), client).toEqual(
        libraryName(AsnConvert.serialize(tbs.subject) as never),
      );
      expect(readName(parts.issuer), client).toEqual(
        libraryName(AsnConvert.serialize(tbs.issuer) as never),
      );
      expect(parts.extensions.map((e) => [e.oid, e.critical])).toEqual(
        (tbs.extensions ?? []).map((e) => [e.extnID, e.critical]),
      );
    }
  });

  it('reads serial, validity, cA and extended key usages as Node does, for every test certificate', () => {
    const certs = [
      ...CLIENTS.map((c) => pki.clients[c].x509),
      new X509Certificate(readFileSync(pki.caFile)),
      new X509Certificate(readFileSync(pki.bundleFile)),
    ];
    for (const cert of certs) {
      const parts = readTbsParts(cert.raw);
      const facts = new CertificateProfile(cert);
      expect(parts.serialNumber, cert.subject).toBe(cert.serialNumber.toUpperCase());
      expect(parts.notBeforeMs, cert.subject).toBe(Date.parse(cert.validFrom));
      expect(parts.notAfterMs, cert.subject).toBe(Date.parse(cert.validTo));
      expect(parts.notAfter, cert.subject).toBe(cert.validToDate.toISOString());
      expect(facts.ca, cert.subject).toBe(cert.ca);
      expect(facts.extKeyUsage, cert.subject).toEqual(cert.keyUsage);
    }
  });

  it('reads serials (with a sign byte) and times of both forms as OpenSSL prints them', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.constant(new Uint8Array([0])), fc.uint8Array({ minLength: 1, maxLength: 20 })),
        fc.date({
          min: new Date('1950-01-01T00:00:00Z'),
          max: new Date('2200-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        (serialBytes, when) => {
          // DER INTEGER, minimal: a 0x00 in front exactly when the high bit is set.
          let bytes = Buffer.from(serialBytes);
          while (bytes.length > 1 && bytes[0] === 0) bytes = bytes.subarray(1);
          const serial =
            (bytes[0] as number) & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
          const at = new Date(Math.floor(when.getTime() / 1000) * 1000);
          const der = certificateDer(serial, at);
          const parts = readTbsParts(der);
          const node = new X509Certificate(Buffer.from(der));
          expect(parts.serialNumber).toBe(node.serialNumber.toUpperCase());
          expect(parts.notBeforeMs).toBe(at.getTime());
          expect(parts.notBeforeMs).toBe(Date.parse(node.validFrom));
          expect(parts.notBefore).toBe(at.toISOString());
        },
      ),
      { numRuns: 200 },
    );
  });

  it('looks known OIDs up by their bytes and decodes every other one to the same dotted form', () => {
    const arc = fc.oneof(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 2 ** 32 }));
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 0, max: 39 }),
        fc.array(arc, { maxLength: 8 }),
        (first, second, rest) => {
          const dotted = [first, second, ...rest].join('.');
          const bytes = encodeOid(dotted);
          expect(decodeOid(bytes)).toBe(dotted);
          // Inside a larger buffer, at an offset.
          const padded = Buffer.concat([Buffer.from([6, bytes.length]), bytes, Buffer.from([0])]);
          expect(decodeOid(padded, 2, 2 + bytes.length)).toBe(dotted);
        },
      ),
      { numRuns: 300 },
    );
    // Every OID of the table is found (two with the same hash would leave one to be decoded).
    expect(KNOWN_OIDS).toEqual(
      expect.arrayContaining([
        '2.5.4.3',
        '2.5.29.17',
        '1.3.6.1.5.5.7.3.2',
        '0.9.2342.19200300.100.1.25',
      ]),
    );
    for (const dotted of KNOWN_OIDS) {
      const bytes = encodeOid(dotted);
      expect(knownOid(bytes, 0, bytes.length), dotted).toBe(dotted);
    }
    // Same hash bucket or not, bytes that are not a known OID are not taken for one.
    const near = encodeOid('2.5.29.99');
    expect(knownOid(near, 0, near.length)).toBeUndefined();
    expect(knownOid(encodeOid('2.5.4.3'), 0, 2)).toBeUndefined();
  });

  it('leaves to Node the times that are not in RFC 5280 form (no day 31 in April, no leap second)', () => {
    const at = new Date('2030-04-30T12:00:00Z');
    const der = certificateDer(Buffer.from([1]), at);
    const original = Buffer.from('300430120000Z', 'latin1');
    const where = Buffer.from(der).indexOf(original);
    expect(where).toBeGreaterThan(0);
    const withTime = (time: string) => {
      const patched = Buffer.from(der);
      // notBefore and notAfter are the same time: patch both.
      for (let i = patched.indexOf(original); i >= 0; i = patched.indexOf(original, i + 1)) {
        patched.write(time, i, 'latin1');
      }
      return readTbsParts(patched);
    };
    for (const bad of ['300431120000Z', '300229120000Z', '300430240000Z', '300430125960Z']) {
      expect(withTime(bad).notBeforeMs, bad).toBeUndefined();
      expect(withTime(bad).notBefore, bad).toBeUndefined();
    }
    expect(withTime('280229235959Z').notBefore).toBe('2028-02-29T23:59:59.000Z');
    expect(withTime('500101000000Z').notBefore).toBe('1950-01-01T00:00:00.000Z');
  });

  it('reads DNS, URI, email and IP names, and skips the other kinds', () => {
    const san = new SubjectAlternativeName([
      new GeneralName({ dNSName: 'a.example' }),
      new GeneralName({ uniformResourceIdentifier: 'spiffe://td/x' }),
      new GeneralName({ rfc822Name: 'ops@example.org' }),
      new GeneralName({ iPAddress: '10.1.2.3' }),
      new GeneralName({ iPAddress: '::1' }),
      new GeneralName({ registeredID: '1.2.3.4' }),
    ]);
    const names = readGeneralNames(new Uint8Array(AsnConvert.serialize(san)));
    expect(names).toEqual({
      dns: ['a.example'],
      uris: ['spiffe://td/x'],
      emails: ['ops@example.org'],
      ips: ['10.1.2.3', '0:0:0:0:0:0:0:1'],
    });
  });

  it("reads pathLenConstraint and keyUsage bits as the ASN.1 library does (the verifier's profile)", () => {
    const key = sharedKeyPool.get('p-256', 0);
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.option(fc.integer({ min: 0, max: 1000 })),
        fc.integer({ min: 1, max: 511 }),
        (ca, pathLen, flags) => {
          const bc = new BasicConstraints({
            cA: ca,
            ...(pathLen === null ? {} : { pathLenConstraint: pathLen }),
          });
          const bcDer = new Uint8Array(AsnConvert.serialize(bc));
          const kuDer = new Uint8Array(AsnConvert.serialize(new KeyUsage(flags)));
          const forged = forgeCertificate({
            subject: 'O=Test, CN=profile',
            subjectKey: key,
            notBefore: new Date(0),
            notAfter: new Date(2 ** 40),
            extensions: [
              { oid: '2.5.29.19', critical: true, value: Buffer.from(bcDer) },
              { oid: '2.5.29.15', critical: true, value: Buffer.from(kuDer) },
            ],
          });
          const profile = new CertificateProfile(forged.x509 as X509Certificate);
          expect(profile.ca).toBe(ca);
          expect(profile.pathLen).toBe(
            AsnConvert.parse(bcDer, BasicConstraints).pathLenConstraint ?? -1,
          );
          // The library's bit n is 2^n; OpenSSL's ex_kusage keeps the BIT STRING's two bytes.
          const bits = AsnConvert.parse(kuDer, KeyUsage).toNumber();
          let expected = 0;
          for (let n = 0; n < 9; n++) {
            if ((bits & (1 << n)) !== 0) expected |= n < 8 ? 0x80 >> n : 0x8000;
          }
          expect(profile.keyUsage).toBe(expected);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('throws an Error, never anything else, on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        for (const read of [
          readTbsParts,
          readName,
          readGeneralNames,
          readBasicConstraintsCa,
          readExtendedKeyUsage,
        ]) {
          try {
            read(bytes);
          } catch (error) {
            expect(error).toBeInstanceOf(Error);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe("Buffer's slice decoders (what der.ts text() calls instead of toString)", () => {
  it('are there, and read as toString does, in every encoding text() uses', () => {
    const buffer = Buffer.from('\u00e9t\u00e9 caf\u00e9 \u2603 \x00\xff', 'utf8');
    const decoders = buffer as unknown as Record<string, unknown>;
    for (const encoding of ['latin1', 'utf8', 'hex'] as const) {
      // If this fails, Node changed an undocumented method: text() would fall back to toString
      // (correct, slower); update der.ts and its README.
      expect(typeof decoders[`${encoding}Slice`], `${encoding}Slice`).toBe('function');
      for (const [start, end] of [
        [0, buffer.length],
        [2, 9],
        [5, 5],
      ] as const) {
        expect(text(buffer, start, end, encoding)).toBe(buffer.toString(encoding, start, end));
        const view = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
        expect(text(view, start, end, encoding)).toBe(buffer.toString(encoding, start, end));
      }
    }
  });
});
