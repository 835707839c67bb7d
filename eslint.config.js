import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'dist-typecheck/', 'generated/', 'coverage/', '.tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Library code never prints: results go back to the caller, and only the CLI writes to a terminal.
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**', 'src/**/*.test.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    files: ['**/*.mjs', 'scripts/**/*.js', 'eslint.config.js', 'examples/**/*.mjs', 'test/**/*.mjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // Postman scripts: plain ES5-compatible scripts run by Newman 6's sandbox (postman-sandbox 4.7.1)
    // and by the Postman app. Top-level `return` is allowed because the sandbox wraps them in a function.
    files: ['templates/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      ecmaVersion: 2020,
      parserOptions: { ecmaFeatures: { globalReturn: true } },
      globals: {
        pm: 'readonly',
        require: 'readonly',
        BigInt: 'readonly',
        module: 'writable',
        apigwAuthzHints: 'readonly',
      },
    },
    rules: {
      'no-var': 'off',
      // Newman 6's sandbox predeclares these legacy globals; redeclaring them with const/let is a SyntaxError there.
      'no-restricted-syntax': [
        'error',
        {
          selector: 'VariableDeclarator[id.name=/^(CryptoJS|_|atob|btoa|tv4|cheerio|xml2Json|Backbone)$/]',
          message: 'Newman 6 predeclares this legacy global; use another name.',
        },
        {
          selector: 'AwaitExpression',
          message: 'Newman 6 has no top-level await; use pm.sendRequest callbacks.',
        },
      ],
    },
  },
);
