/**
 * Who may call what, kept in review: the access policy of your routes (every route by every
 * known caller, decided by the guards' own code) compared to a committed file. Change an
 * `@AllowServices()` and this test fails, showing the changed line; accept the change with
 * `npx vitest run test/features/access-policy.e2e-spec.ts -u` and commit the file with it. Copy it
 * for your modules next to the payments one (test/features/payments.e2e-spec.ts).
 */
import { readFileSync } from 'node:fs';
import { Controller, Get, Module } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AllowServices } from 'nest-mtls-auth';
import {
  accessPolicy,
  createTestPki,
  startTestApp,
  type TestCertificate,
  type TestPki,
} from 'nest-mtls-auth/testing';
import { PaymentsModule } from './payments.module.js';

const SNAPSHOT = new URL('./access-policy.snapshot.txt', import.meta.url).pathname;

let pki: TestPki;
/** The callers you know of: those that must get in, and those that must not. */
let callers: TestCertificate[];

beforeAll(async () => {
  pki = await createTestPki();
  callers = [
    await pki.issue('billing-service', { dns: ['billing.internal.example'] }),
    await pki.issue('payments-worker', {
      uris: ['spiffe://example.org/ns/prod/sa/payments-worker'],
    }),
    await pki.issue('notification-service'),
  ];
});
afterAll(() => pki.cleanup());

describe('the access policy of the payments routes', () => {
  it('is the committed one', async () => {
    const app = await startTestApp({ pki, imports: [PaymentsModule] });
    try {
      await expect(await accessPolicy(app, callers)).toMatchFileSnapshot(SNAPSHOT);
    } finally {
      await app.close();
    }
  });

  it('fails on a changed allowlist, on exactly the lines that changed', async () => {
    // The same routes, with notification-service let in as well.
    @Controller('payments')
    @AllowServices('billing-service', 'spiffe://example.org/ns/prod/*', 'notification-service')
    class WiderPaymentsController {
      @Get()
      list() {}
    }
    @Module({ controllers: [WiderPaymentsController] })
    class WiderPaymentsModule {}
    const app = await startTestApp({ pki, imports: [WiderPaymentsModule] });
    try {
      // Lines compared with their columns' padding collapsed (the widths follow the longest route).
      const lines = (text: string) => text.split('\n').map((l) => l.replace(/ {2,}/g, ' | '));
      const committed = lines(readFileSync(SNAPSHOT, 'utf8'));
      const changed = lines(await accessPolicy(app, callers));
      expect(changed.filter((line) => !committed.includes(line))).toEqual([
        'GET /payments | allowed | allowed | allowed',
      ]);
    } finally {
      await app.close();
    }
  });
});
