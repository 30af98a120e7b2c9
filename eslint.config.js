// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX, createNodeResolver } from 'eslint-plugin-import-x';

const ours = ['./src', './workers', './ops', './test'];
const notOurs =
  'Import only from src/domain here: the domain is pure rules, it knows no other layer.';
const notApi = 'Storage and queue serve the API and the workers alike: they never import src/api.';
const apiOwn =
  'src/api is the API process, its ingest side (producer, backpressure, load) included: a worker or a tool shares only the contract in src/queue, src/storage and src/domain.';
const notProcess =
  'workers/ and ops/ are processes and tools, not libraries: src/ never imports them.';

export default tseslint.config(
  { ignores: ['node_modules/', '.local/', 'coverage/', 'dist/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Only the config module may read the environment (see src/config/).
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through src/config.' },
      ],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/no-confusing-void-expression': 'off',
    },
  },
  {
    files: ['src/config/env.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // chai's property assertions (`expect(x).to.be.true`) are expressions by design.
      '@typescript-eslint/no-unused-expressions': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Test HTTP helpers take the expected body type as a parameter: a cast by design.
      '@typescript-eslint/no-unnecessary-type-parameters': 'off',
    },
  },
  {
    // The layers (README, "Where things are"; DECISIONS, "Layers"): imports that go against the
    // architecture fail the lint, and so does any import cycle.
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      // Our imports name the .ts file itself, so Node's resolution finds every module; the cycle
      // check parses each one it follows.
      'import-x/resolver-next': [createNodeResolver()],
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
    },
    rules: {
      'import-x/no-cycle': 'error',
      'import-x/no-restricted-paths': [
        'error',
        {
          basePath: import.meta.dirname,
          // A zone's `except` is relative to each of its `from` folders: here, src/domain itself.
          zones: [
            { target: './src/domain', from: ours, except: ['./domain'], message: notOurs },
            { target: ['./src/storage', './src/queue'], from: './src/api', message: notApi },
            { target: './src', from: ['./workers', './ops'], message: notProcess },
            { target: ['./workers', './ops'], from: './src/api', message: apiOwn },
            {
              target: './workers',
              from: './ops',
              message: 'ops/ holds tools and the local stack; a worker never imports them.',
            },
          ],
        },
      ],
    },
  },
  { files: ['eslint.config.js'], ...tseslint.configs.disableTypeChecked },
  {
    // The dashboard's browser script: plain JavaScript served as is, outside the TypeScript project.
    files: ['src/api/dashboard/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      parserOptions: { projectService: false, program: null },
      globals: Object.fromEntries(
        ['document', 'fetch', 'sessionStorage', 'addEventListener', 'setInterval'].map((g) => [
          g,
          'readonly',
        ]),
      ),
    },
  },
);
