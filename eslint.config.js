// Lint rules: typescript-eslint's type-aware checks plus the project's import boundaries.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', '.bench/', 'bin/', 'scripts/', 'eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', name: ['describe', 'it', 'test', 'suite'], package: 'node:test' },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/storage/dialects/**'],
              message: 'Only src/storage/ opens a dialect; use openDatabase().',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/storage/**', 'src/app/**', 'src/cli/**', 'src/http/**', 'src/agent/sigv4-signer.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../*/*', '!../*/index.js', '!../storage/database.js', '!../*/*/'],
              message: 'Capabilities meet only through each other’s index.ts.',
            },
            { group: ['**/storage/dialects/**'], message: 'Only src/storage/ opens a dialect.' },
            {
              group: ['**/http', '**/http/**'],
              message:
                'Capabilities never import the transport (src/http/); operation contracts live in src/protocols/, shared helpers in src/kernel/.',
            },
            {
              group: ['**/app', '**/app/**'],
              message:
                'Only src/cli/ imports the composition root (src/app/); the kernel (src/kernel/) holds what capabilities share.',
            },
          ],
        },
      ],
    },
  },
  {
    // Small modules: no source file over 400 lines, no route-table function over 80 lines.
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    rules: { 'max-lines': ['error', { max: 400 }] },
  },
  {
    files: ['src/**/*-routes.ts'],
    ignores: ['src/**/*.test.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 80 }] },
  },
);
