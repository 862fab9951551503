import * as v from 'valibot';
import { checkMtlsAuthSettings, MtlsAuthOptionsError } from 'nest-mtls-auth';

/** Who may call, as `MTLS_ACCESS_FILE` holds it: changed without a restart. */
export interface AccessRules {
  readonly allowedServices: readonly string[];
  readonly allowedFingerprints: readonly string[];
}

/** A JSON value's type as the messages name it: object, array, string, number, boolean or null. */
const typeOf = (value: unknown) =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;

const expected = (type: string) => (issue: v.BaseIssue<unknown>) =>
  `Invalid input: expected ${type}, received ${typeOf(issue.input)}`;

const patterns = v.optional(v.array(v.string(expected('string')), expected('array')), []);

const FIELDS = { allowedServices: patterns, allowedFingerprints: patterns };

const schema = v.pipe(
  v.custom<Readonly<Record<string, unknown>>>(
    (input) => typeOf(input) === 'object',
    expected('object'),
  ),
  v.object(FIELDS),
);

/** What is wrong with the file's shape: each bad value, then every key the file should not have. */
function shapeProblems(json: unknown, issues: readonly v.BaseIssue<unknown>[]): string[] {
  const problems = issues.map((issue) => `${v.getDotPath(issue) ?? 'file'}: ${issue.message}`);
  const unknown =
    typeOf(json) === 'object'
      ? Object.keys(json as object).filter((key) => !Object.hasOwn(FIELDS, key))
      : [];
  if (unknown.length > 0) {
    problems.push(
      `file: Unrecognized key${unknown.length === 1 ? '' : 's'}: ${unknown.map((key) => JSON.stringify(key)).join(', ')}`,
    );
  }
  return problems;
}

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
  const result = v.safeParse(schema, json);
  const problems = shapeProblems(json, result.issues ?? []);
  if (!result.success || problems.length > 0) {
    throw new Error(
      `must be {"allowedServices": [...], "allowedFingerprints": [...]} (${problems.join('; ')})`,
    );
  }
  try {
    checkMtlsAuthSettings(result.output);
  } catch (error) {
    if (!(error instanceof MtlsAuthOptionsError)) throw error;
    throw new Error(error.problems.map((p) => `${p.option}: ${p.message}`).join('; '), {
      cause: error,
    });
  }
  return result.output;
}
