// eslint-disable-next-line no-control-regex -- the whole ASCII range, control characters included
const NON_ASCII = /[^\u0000-\u007f]/;
const ASCII_UPPER_RUN = /[A-Z]+/g;
const ASCII_LOWER_RUN = /[a-z]+/g;

/**
 * `true` when every code unit of `text` is ASCII (U+0000 to U+007F).
 *
 * @example isAscii('kafka-service') // true; isAscii('\u212Aafka-service') // false (KELVIN SIGN)
 */
export function isAscii(text: string): boolean {
  return !NON_ASCII.test(text);
}

/**
 * Lower-cases ASCII letters only (A-Z to a-z); every other character is kept as it is. This is
 * how identities are compared case-insensitively: `String.prototype.toLowerCase` folds U+212A
 * KELVIN SIGN to `k` and U+0130 to `i` + U+0307, so a name that merely looks like `kafka-service`
 * would compare equal to it. Folding ASCII only keeps a non-ASCII name non-ASCII, so it never
 * equals an ASCII pattern.
 *
 * Runs on a new caller's first request: one scan for non-ASCII, then the engine's own
 * `toLowerCase`, which on pure ASCII is exactly A-Z to a-z.
 *
 * @example asciiLower('Billing-Service') // 'billing-service'
 * @example asciiLower('\u212Aafka') // '\u212Aafka' (unchanged: KELVIN SIGN is not an ASCII letter)
 * @see https://www.unicode.org/Public/UCD/latest/ucd/SpecialCasing.txt
 */
export function asciiLower(text: string): string {
  if (!NON_ASCII.test(text)) return text.toLowerCase();
  return text.replace(ASCII_UPPER_RUN, (run) => run.toLowerCase());
}

/**
 * Upper-cases ASCII letters only (a-z to A-Z); see {@link asciiLower} for why (`toUpperCase`
 * turns U+017F LATIN SMALL LETTER LONG S into `S` and U+0131 DOTLESS I into `I`).
 *
 * @example asciiUpper('cn') // 'CN'; asciiUpper('\u017Ft') // '\u017FT', never 'ST'
 */
export function asciiUpper(text: string): string {
  if (!NON_ASCII.test(text)) return text.toUpperCase();
  return text.replace(ASCII_LOWER_RUN, (run) => run.toUpperCase());
}
