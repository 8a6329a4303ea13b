// Lint: typescript-eslint's recommended rules over the source, steps, templates and tests.
// Formatting is prettier's job (npm run format:check); the layer rule is test/layers.test.ts.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'snapshots/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setImmediate: 'readonly',
        Buffer: 'readonly',
        NodeJS: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Validators and terminal tests match control characters on purpose (to refuse or strip them).
      'no-control-regex': 'off',
    },
  },
  {
    // Small rooms (issue 22): a file over 300 lines does more than one thing. Counted plainly (blank
    // lines and comments too), as `wc -l` counts; tests and e2e files mirror the code, so they are held
    // to the same limit. Scripts are left out: each is one command's whole story.
    files: ['src/**/*.{ts,tsx}', 'steps/**/*.ts', 'templates/**/*.ts', 'test/**/*.{ts,tsx}'],
    rules: { 'max-lines': ['error', { max: 300, skipBlankLines: false, skipComments: false }] },
  },
  {
    // The exceptions, each with why. The lead prunes this list as the splits land.
    files: [
      'test/e2e/rollout-kit.ts', // being split (issue 22): the e2e harness's shared helpers
      'test/e2e/ssh-audit.e2e.test.ts', // being split (issue 22)
      'test/e2e/full.e2e.test.ts', // being split (issue 22)
      'test/e2e/audit.e2e.test.ts', // being split (issue 22)
      'test/e2e/testhost/testhost.ts', // being split (issue 22): the throwaway-server harness (boot, images, locks)
      'test/e2e/testhost/testhost.e2e.test.ts', // being split (issue 22)
    ],
    rules: { 'max-lines': 'off' },
  },
);
