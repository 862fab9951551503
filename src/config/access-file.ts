import { z } from 'zod';
import { checkMtlsAuthSettings, MtlsAuthOptionsError } from 'nest-mtls-auth';

/** Who may call, as `MTLS_ACCESS_FILE` holds it: changed without a restart. */
export interface AccessRules {
  readonly allowedServices: readonly string[];
  readonly allowedFingerprints: readonly string[];
}

const schema = z
  .object({
    allowedServices: z.array(z.string()).default([]),
    allowedFingerprints: z.array(z.string()).default([]),
  })
  .strict();

/**
 * Parses and checks the access file:
 * `{"allowedServices": ["billing-service", "dn:CN=x,O=y"], "allowedFingerprints": ["ab12..."]}`.
 * Patterns and pins are compiled here, so a bad edit is refused before it replaces good rules.
 *
 * @throws {Error} saying what is wrong, for the caller to prefix with the variable and path.
 */
export function parseAccessFile(text: string): AccessRules {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new Error('is not valid JSON', { cause });
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    throw new Error(
      `must be {"allowedServices": [...], "allowedFingerprints": [...]} (${result.error.issues.map((i) => `${i.path.join('.') || 'file'}: ${i.message}`).join('; ')})`,
    );
  }
  try {
    checkMtlsAuthSettings(result.data);
  } catch (error) {
    if (!(error instanceof MtlsAuthOptionsError)) throw error;
    throw new Error(error.problems.map((p) => `${p.option}: ${p.message}`).join('; '), {
      cause: error,
    });
  }
  return result.data;
}
