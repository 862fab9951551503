/**
 * Reads a list-valued environment variable: comma-separated (`a, b`), or, when the value starts
 * with `[`, a JSON array of strings, which is how values that contain commas themselves
 * (`dn:CN=client,O=company`) are written.
 *
 * @throws {Error} when a JSON array is malformed or holds something other than strings.
 */
export function parseEnvList(value: string | undefined): string[] {
  const text = value?.trim() ?? '';
  if (text === '') return [];
  if (text.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (cause) {
      throw new Error('starts with "[" but is not a JSON array of strings', { cause });
    }
    if (!Array.isArray(parsed) || !parsed.every((v) => typeof v === 'string')) {
      throw new Error('must be a JSON array of strings');
    }
    return parsed.map((v: string) => v.trim()).filter((v) => v !== '');
  }
  return text
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}
