import type { INestApplicationContext } from '@nestjs/common';
import { MtlsAuthService } from '../nest/mtls-auth.service.js';
import type { TestApp } from './test-app.js';
import type { TestCertificate } from './test-pki.js';

/**
 * The access policy of your app as text: every route by every caller, as the guards decide it
 * (`public`, `allowed`, `403 MTLS_SERVICE_FORBIDDEN`, ...), one line per route. Compare it to a
 * committed file, so that a change of who may call what shows up in review:
 *
 * @example
 * it('keeps its access policy', async () => {
 *   const policy = await accessPolicy(app, [billing, notification]);
 *   await expect(policy).toMatchFileSnapshot('./payments.policy.txt'); // vitest -u to accept
 * });
 */
export async function accessPolicy(
  app: TestApp | INestApplicationContext,
  callers: readonly TestCertificate[],
): Promise<string> {
  const target = 'as' in app ? app.app : app;
  const names = callers.map((c) => c.commonName);
  const matrix = await target.get(MtlsAuthService).accessMatrix(
    callers.map((c, i) => ({
      // Two callers of one name (an expired twin): the file name tells them apart.
      name:
        names.indexOf(c.commonName) === names.lastIndexOf(c.commonName)
          ? (names[i] ?? c.name)
          : c.name,
      certificate: c.x509,
    })),
  );
  return matrix.text;
}
