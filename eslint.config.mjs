// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The app uses the auth package through its public entry only. */
const PACKAGE_BY_ITS_ENTRY = {
  group: ['nest-mtls-auth/*', '**/packages/**'],
  message: "Import the auth package by its entry: from 'nest-mtls-auth'.",
};
/** The package imports nothing outside its own src/ (and never the app). */
const PACKAGE_STAYS_IN_SRC = {
  group: ['../../**'],
  message: 'The package imports nothing outside its own src/ (and never the app).',
};

export default tseslint.config(
  {
    ignores: [
      '**/dist/',
      'coverage/',
      'node_modules/',
      'scripts/',
      'eslint.config.mjs',
      '.dependency-cruiser.mjs',
      '**/rolldown.config.mjs',
      '**/vitest.config.ts',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-extraneous-class': 'off',
      // A parameter belongs to a signature (a handler's, an interface's, the stubs `nest g
      // resource` writes), so an unused one is not dead code; unused variables still are.
      '@typescript-eslint/no-unused-vars': ['error', { args: 'none' }],
    },
  },
  {
    // The app uses the auth package through its public entry only (test/unit/package-boundary.spec.ts
    // checks the same, and that the package never imports the app).
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [PACKAGE_BY_ITS_ENTRY],
        },
      ],
    },
  },
  {
    // The starter's own routes record their OpenAPI decorators (src/openapi/openapi.decorators.ts):
    // importing @nestjs/swagger at start-up costs ~75 ms and ~14 MB (npm run bench:startup).
    // Your modules under src/features may import it; the cost is then yours.
    files: ['src/**/*.ts'],
    ignores: ['src/openapi/**', 'src/features/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            PACKAGE_BY_ITS_ENTRY,
            {
              group: ['@nestjs/swagger'],
              allowTypeImports: true,
              message:
                "Loading @nestjs/swagger at start-up costs ~75 ms: take the decorators from '../openapi/openapi.decorators.js' (applied when the document is built).",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/*/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            PACKAGE_STAYS_IN_SRC,
            {
              group: ['@peculiar/*'],
              allowTypeImports: true,
              message:
                'An ASN.1 library costs every start-up ~60 ms to load: only the OCSP codec (loaded on first use) and the testing kit import one.',
            },
          ],
        },
      ],
    },
  },
  {
    // The OCSP codec (loaded on first use) and the testing kit may use the ASN.1 libraries.
    files: ['packages/*/src/ocsp/ocsp.ts', 'packages/*/src/testing/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [PACKAGE_STAYS_IN_SRC],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'packages/*/test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },
);
