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
} from '@peculiar/asn1-x509';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  readGeneralNames,
  readKeyUsageFlags,
  readName,
  readPathLenConstraint,
  readTbsParts,
} from '../../src/mtls-auth/certificate/tbs-certificate.js';
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

  it('reads pathLenConstraint and keyUsage bits as the ASN.1 library does', () => {
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
          expect(readPathLenConstraint(bcDer)).toBe(
            AsnConvert.parse(bcDer, BasicConstraints).pathLenConstraint,
          );
          const kuDer = new Uint8Array(AsnConvert.serialize(new KeyUsage(flags)));
          expect(readKeyUsageFlags(kuDer)).toBe(AsnConvert.parse(kuDer, KeyUsage).toNumber());
        },
      ),
      { numRuns: 300 },
    );
  });

  it('throws an Error, never anything else, on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        for (const read of [
          readTbsParts,
          readName,
          readGeneralNames,
          readPathLenConstraint,
          readKeyUsageFlags,
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
