import * as v from 'valibot';

/** An `http:` or `https:` URL written without `//` (`http:example.com`) is refused. */
const SCHEME_WITH_SLASHES = /^https?:\/\//i;

/**
 * A URL-valued environment variable: trimmed, without the tabs and line breaks the URL parser
 * skips, of one of `protocols`. Where `http` is allowed, the URL must spell out `http://` or
 * `https://`. `base`: a base URL that paths are appended to, so its trailing slashes are dropped.
 *
 * The rule is checked after the value is tidied, so a bad URL is reported together with the checks
 * that span several variables (a step after a failed check would stop the pipe and skip them).
 *
 * @example v.optional(envUrl(['https'], 'must be an https:// URL', { base: true }))
 */
export function envUrl(
  protocols: readonly ('http' | 'https')[],
  message: string,
  { base = false }: { readonly base?: boolean } = {},
) {
  const guarded = protocols.includes('http');
  return v.pipe(
    v.string(),
    v.trim(),
    // The URL parser skips tabs and line breaks, so they go; `//` is looked for as written, though
    // (`http:\t//x` is refused).
    v.transform((text) =>
      guarded && !SCHEME_WITH_SLASHES.test(text) ? text : text.replace(/[\t\n\r]/g, ''),
    ),
    v.transform((text) => (base ? text.replace(/\/+$/, '') : text)),
    v.check((text) => {
      const protocol = URL.parse(text)?.protocol.slice(0, -1);
      return (
        (protocols as readonly string[]).includes(protocol ?? '') &&
        (!guarded || SCHEME_WITH_SLASHES.test(text))
      );
    }, message),
  );
}
