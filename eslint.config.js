// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The engine runs unchanged in the browser, in Node tests and in the sandbox server:
// it names interfaces, never platforms (STYLE.md, principle 1).
const platformImports = {
  patterns: [
    { group: ['node:*'], message: 'src/engine is isomorphic: take the capability as a driver instead.' },
    {
      group: ['fs', 'fs/*', 'path', 'os', 'child_process', 'crypto', 'stream', 'url', 'util', 'events', 'buffer', 'net', 'http', 'worker_threads'],
      message: 'src/engine is isomorphic: Node built-ins are not allowed.',
    },
    { group: ['astro', 'astro:*', 'astro/*', 'd3', 'd3-*', 'monaco-editor', 'monaco-editor/*'], message: 'src/engine must not import UI code.' },
    {
      group: ['**/sim/**', '**/sandbox-server/**', '**/views/**', '**/model/**', '**/components/**'],
      message: 'The engine does not import backends or UI; they are passed in.',
    },
  ],
};

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.astro/', 'public/', 'coverage/', '**/*.astro', '.layerlab/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', platformImports],
      'no-restricted-globals': [
        'error',
        ...['window', 'document', 'navigator', 'localStorage', 'process', 'Buffer', 'require', '__dirname'].map((name) => ({
          name,
          message: 'src/engine is isomorphic: no DOM or Node globals.',
        })),
      ],
    },
  },
  {
    files: ['**/*.mjs', 'scripts/**', 'bin/**'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } },
  },
);
