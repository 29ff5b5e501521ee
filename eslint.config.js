import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'reports/', '.vitest/', '**/dist/', '.cache/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/suites/**'], message: 'harness never imports suites' }] }],
    },
  },
  {
    files: ['harness/analysis/**', 'harness/report/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['**/k8s/**', '**/cluster/**', '**/sh.ts', 'zx', '@kubernetes/client-node'], message: 'analysis/report are pure: they read run data only' },
      ] }],
    },
  },
);
