import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * A module in libs/ may not import from apps/, activities/ or workflows/ (relative paths such as
 * `../../activities/x.js`): the libraries are the lower layer, shared by the API, the worker and the workflow.
 */
const LIBS_IMPORT_NO_UPPER_LAYER = {
  regex: '^(\\.\\./)+(apps|activities|workflows)(/|$)',
  message: 'libs/ is the lower layer: it may not import apps/, activities/ or workflows/ (move the shared type into libs/)',
};

export default tseslint.config(
  { ignores: ['dist/**', 'dist.next/**', 'dist.old/**', '**/dist/**', 'node_modules/**', '.data/**', '.test-data/**', '.tools/**', 'coverage/**', 'test-results/**', 'apps/web/src/api/schema.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    // Layers: libs/ are the lower layer; apps/, activities/ and workflows/ build on them, never the other way.
    files: ['libs/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [LIBS_IMPORT_NO_UPPER_LAYER] }] },
  },
  {
    // The API talks to workflows through libs/temporal's contracts; activities are the worker's, never the API's.
    files: ['apps/api/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(\\.\\./)+activities(/|$)', message: 'apps/api may not import activities/: shared types belong in libs/' }] },
      ],
    },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: no I/O frameworks, no activity-side SDKs.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@nestjs/*', 'typeorm', 'pg', 'node:*', 'fs', 'path'], message: 'workflow code must stay pure' },
            { group: ['@temporalio/client', '@temporalio/worker', '@temporalio/activity'], message: 'workflow code may import only @temporalio/workflow' },
          ],
        },
      ],
    },
  },
  {
    // The domain is pure rules: no framework, no database, no Temporal, no I/O layer of our own. (A later block
    // replaces an earlier one's options for the same rule, so the libs/ layer pattern is repeated here.)
    files: ['libs/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            LIBS_IMPORT_NO_UPPER_LAYER,
            {
              group: ['@nestjs/*', 'typeorm', 'typeorm/*', 'pg', 'pg/*', '@temporalio/*', 'node:*', 'fs', 'path'],
              message: 'libs/domain is framework-free: no NestJS, TypeORM, pg, Temporal or Node I/O',
            },
            {
              regex: '^(\\.\\./)+(persistence|temporal|notifications)(/|$)',
              message: 'libs/domain is pure: it may not import the persistence, Temporal or notification layers',
            },
          ],
        },
      ],
    },
  },
  {
    // The workbench runs in the browser.
    files: ['apps/web/**/*.{ts,tsx}'],
    languageOptions: {
      globals: { window: 'readonly', document: 'readonly', location: 'readonly', sessionStorage: 'readonly', localStorage: 'readonly', fetch: 'readonly', atob: 'readonly', URL: 'readonly', URLSearchParams: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', performance: 'readonly', navigator: 'readonly', crypto: 'readonly', AbortController: 'readonly', TextDecoder: 'readonly', Response: 'readonly', Request: 'readonly', HTMLElement: 'readonly' },
    },
  },
  {
    files: ['scripts/**/*.ts', 'test/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
