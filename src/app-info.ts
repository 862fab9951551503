import { readFileSync } from 'node:fs';

/** Name, version and license of this service, read once from package.json. */
export const APP_INFO: {
  readonly name: string;
  readonly version: string;
  /** package.json's `license` (an SPDX identifier, or `UNLICENSED`); `undefined` without one. */
  readonly license: string | undefined;
} = (() => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    name: string;
    version: string;
    license?: string;
  };
  return { name: pkg.name, version: pkg.version, license: pkg.license };
})();
