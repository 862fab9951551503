import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explainCertificate } from '../../src/diagnose/explain-certificate.js';
import { createRootCa, issue } from '../../src/testing/pki.js';
import { useTrustCorpus } from '../support/trust-corpus.js';

const corpus = useTrustCorpus();

const certificates = (pem: string) =>
  (pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? []).map(
    (block) => new X509Certificate(block),
  );

describe('explainCertificate on the trust corpus', () => {
  it('explains every refusal with a failed step and a fix, and every acceptance with none', async () => {
    const options = {
      trustedCa: readFileSync(corpus.bundleFile),
      crl: readFileSync(corpus.crlFile),
    };
    for (const c of corpus.cases) {
      const [leaf] = certificates(c.certPem);
      if (!leaf) throw new Error(c.name);
      const explanation = await explainCertificate(options, leaf, certificates(c.presented));
      const failed = explanation.steps.filter((s) => !s.ok);
      if (explanation.code === undefined) {
        expect(failed, c.name).toEqual([]);
      } else {
        expect(failed.length, `${c.name}: ${explanation.code}`).toBeGreaterThan(0);
        for (const step of failed) expect(step.fix, `${c.name}: ${step.detail}`).toBeTruthy();
      }
    }
  });
});

describe('explainCertificate and a CN that only looks like an allowed name', () => {
  it('refuses CN "\u212Aafka-service" (KELVIN SIGN) for kafka-service, and suggests its dn: pattern', async () => {
    const ca = await createRootCa('ca', 'O=Explain, CN=Explain CA');
    const kelvin = await issue('kelvin', ca, { subject: 'O=Explain, CN=\u212Aafka-service' });
    const ascii = await issue('ascii', ca, { subject: 'O=Explain, CN=Kafka-Service' });
    const options = { trustedCa: ca.certPem, allowedServices: ['kafka-service'] };
    const refused = await explainCertificate(options, new X509Certificate(kelvin.certPem));
    expect(refused.code).toBe('MTLS_SERVICE_FORBIDDEN');
    // A name pattern cannot say this CN (patterns are ASCII); a dn: value is compared exactly.
    expect(refused.pattern).toBe('dn:CN=\u212Aafka-service,O=Explain');
    const allowed = await explainCertificate(options, new X509Certificate(ascii.certPem));
    expect(allowed.code).toBeUndefined();
  });
});
