// @ts-check
/**
 * Import rules that `npm run lint` enforces (dependency-cruiser), type imports included:
 * - no cycles, in the package or in the app;
 * - the package's layers import one way: a folder imports only folders of its own rank or below
 *   (x509, the pure certificate logic, at the bottom; the Nest face near the top).
 * test/unit/import-rules.spec.ts shows both rules failing on a fixture.
 */

/** The package's folders (packages/nest-mtls-auth/src/<folder>), lowest first. */
export const LAYERS = [
  ['x509', 'tls'],
  ['allowlist', 'ocsp', 'tokens'],
  ['options', 'http'],
  ['trust', 'records', 'reload'],
  ['handshake', 'forwarded'],
  ['propagation'],
  ['authentication'],
  ['nest'],
  ['diagnose'],
  ['testing'],
];

const folders = (rank) => LAYERS.slice(rank).flat().join('|');

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle makes the layers meaningless; type-only imports count too.',
      from: {},
      to: { circular: true },
    },
    ...LAYERS.slice(0, -1).flatMap((layer, rank) =>
      layer.map((folder) => ({
        name: `layer-${folder}`,
        severity: /** @type {const} */ ('error'),
        comment: `${folder}/ may import only folders of rank ${rank} or below (${LAYERS.slice(
          0,
          rank + 1,
        )
          .flat()
          .join(', ')}).`,
        from: { path: `^packages/nest-mtls-auth/src/${folder}/` },
        to: {
          path: `^packages/nest-mtls-auth/src/(${folders(rank + 1)})/`,
          pathNot: `^packages/nest-mtls-auth/src/(${layer.join('|')})/`,
        },
      })),
    ),
    {
      name: 'package-entry-on-top',
      severity: 'error',
      comment: 'Nothing inside the package imports its public entry.',
      from: { path: '^packages/nest-mtls-auth/src/.+/' },
      to: { path: '^packages/nest-mtls-auth/src/index\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    combinedDependencies: false,
  },
};
