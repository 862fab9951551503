import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOcspRequest, parseOcspResponse } from '../../src/ocsp/ocsp.js';
import { postOcspRequest } from '../../src/ocsp/ocsp-client.js';
import { startOcspResponder, type OcspResponder } from '../support/ocsp-responder.js';
import { useTestPki } from '../support/test-pki.js';

const pki = useTestPki();

describe('OCSP request and response, against a real openssl ocsp responder', () => {
  let responder: OcspResponder;
  let issuer: X509Certificate;
  beforeAll(async () => {
    responder = await startOcspResponder(pki, [pki.clients.billing], [pki.clients.revoked]);
    issuer = new X509Certificate(readFileSync(pki.caFile));
  });
  afterAll(() => responder.stop());

  const ask = (cert: X509Certificate) =>
    postOcspRequest(responder.url, buildOcspRequest(cert, issuer), 3000);

  it('reads good, revoked and unknown, with a validity from nextUpdate', async () => {
    const good = parseOcspResponse(
      await ask(pki.clients.billing.x509),
      pki.clients.billing.x509,
      issuer,
    );
    expect(good.status).toBe('good');
    expect(good.validUntil).toBeGreaterThan(Date.now() + 5 * 60_000);
    expect(
      parseOcspResponse(await ask(pki.clients.revoked.x509), pki.clients.revoked.x509, issuer)
        .status,
    ).toBe('revoked');
    expect(
      parseOcspResponse(await ask(pki.clients.gateway.x509), pki.clients.gateway.x509, issuer)
        .status,
    ).toBe('unknown');
  });

  it('refuses an answer about another certificate, from another signer, or garbage', async () => {
    const aboutBilling = await ask(pki.clients.billing.x509);
    expect(parseOcspResponse(aboutBilling, pki.clients.notification.x509, issuer).status).toBe(
      'unknown',
    );
    const rogueIssuer = new X509Certificate(readFileSync(pki.rogueCaFile));
    expect(parseOcspResponse(aboutBilling, pki.clients.billing.x509, rogueIssuer).status).toBe(
      'unknown',
    );
    expect(
      parseOcspResponse(new Uint8Array([1, 2, 3]), pki.clients.billing.x509, issuer).status,
    ).toBe('unknown');
  });

  it('treats an answer past its nextUpdate as unknown', async () => {
    const answer = await ask(pki.clients.billing.x509);
    expect(
      parseOcspResponse(answer, pki.clients.billing.x509, issuer, Date.now() + 60 * 60_000).status,
    ).toBe('unknown');
  });
});
