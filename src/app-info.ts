import { readFileSync } from 'node:fs';

/** Name and version of this service, read once from package.json. */
export const APP_INFO: { readonly name: string; readonly version: string } = (() => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    name: string;
    version: string;
  };
  return { name: pkg.name, version: pkg.version };
})();
