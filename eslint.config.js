// @ts-check
// ESLint flat config (ESLint 10, typescript-eslint 8).
//
// Layers, lowest first. A layer never imports a layer above it; each folder lists what it may
// import (VS Code style, see LAYERS below):
//   src/shared            pure TypeScript: no Electron, no Node built-ins (tests excepted)
//   src/main/engine       the entity store: Node, but no Electron, services or transports; SQLite
//                         itself only in src/main/engine/storage/sqlite
//   src/main/services     business logic over the engine: no Electron, no transports
//   src/main/app, cli     bootstrap shared by the entries; the headless CLI
//   src/main/transports,
//   src/main/electron     adapters (IPC, web mode, Electron app): may import everything below
//   src/renderer          React UI: only src/shared, never src/main, src/preload, Electron or Node
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import kalamRules from './scripts/eslint/import-patterns.mjs';

// ---------------------------------------------------------------------------------------------
// Layering: what each folder MAY import (an allowlist, after VS Code's code-import-patterns; the
// rule is scripts/eslint/import-patterns.mjs). A file's row is the first whose folder holds it, so
// deeper folders come first; a file in no row is an error. Relative imports are matched as
// repository paths, the others by package name.

const NODE = 'node:*';
const SHARED = 'src/shared/**';
const ENGINE = 'src/main/engine/**';
const SERVICES = 'src/main/services/**';
const APP = 'src/main/app/**';
const TRANSPORTS = 'src/main/transports/**';
/** Only src/main/engine/storage/sqlite (and bench/ baselines) may use SQLite itself: the package, and the connection (`.db`). */
const SQLITE = 'better-sqlite3';
const ORPC = '@orpc/*';
/** The engine never knows the RPC contract: domain schemas it shares with it live in src/shared modules (e.g. src/shared/jobs/). */
const NOT_CONTRACT = '!src/shared/contract/**';

/** Where a folder's test code lives: tests, their support modules and the child processes they start. */
const TEST_CODE = ['**/*.test.ts', '**/*.test.tsx', '**/*.test.mjs', '**/*.test-support.ts', '**/test-support.ts', '**/testing/**'];

/**
 * The rows of one folder: its test code may import what its code may, plus `tests` (vitest and
 * fast-check always).
 * @param {string} folder
 * @param {{ imports: string[], tests?: string[] }} allow
 * @returns {{ target: string, allow: string[] }[]}
 */
const folder = (folder, { imports, tests = [] }) => [
  ...TEST_CODE.map((pattern) => ({ target: `${folder}/${pattern}`, allow: [...imports, ...tests, 'vitest', 'fast-check'] })),
  { target: `${folder}/**`, allow: imports },
];

const LAYERS = [
  // Pure TypeScript, shared by the main process and the renderer: no Node, no Electron.
  ...folder('src/shared', { imports: [SHARED, 'zod', '@orpc/contract'], tests: [NODE] }),

  // The engine, lowest first: SQLite (the only place that may touch it), the storage API and the in-memory backend, the rest.
  ...folder('src/main/engine/storage/sqlite', { imports: [SHARED, NOT_CONTRACT, ENGINE, NODE, SQLITE], tests: ['zod'] }),
  ...folder('src/main/engine/storage', { imports: [SHARED, NOT_CONTRACT, 'src/main/engine/storage/**', 'sorted-btree'] }),
  ...folder('src/main/engine', {
    imports: [
      SHARED,
      NOT_CONTRACT,
      ENGINE,
      NODE,
      'zod',
      'hyparquet',
      'hyparquet-writer',
      'hyparquet-compressors',
      '@bokuweb/zstd-wasm',
      '@node-rs/argon2',
      'csv-parse',
      'croner',
    ],
    // csv-stringify: the oracle our one CSV writer (src/shared/csv-field.ts) is checked against.
    tests: ['@duckdb/node-api', 'csv-stringify'],
  }),

  // The contract's handlers over the engine; then what hosts them.
  ...folder('src/main/services', { imports: [SHARED, ENGINE, SERVICES, NODE, 'zod', '@orpc/server', 'csv-parse'] }),
  ...folder('src/main/app', { imports: [SHARED, ENGINE, SERVICES, APP, NODE, 'zod'], tests: ['@orpc/server'] }),
  ...folder('src/main/cli', { imports: [SHARED, ENGINE, SERVICES, APP, 'src/main/cli/**', NODE, 'zod'] }),
  ...folder('src/main/transports', { imports: [SHARED, ENGINE, SERVICES, APP, TRANSPORTS, NODE, ORPC, 'ws'] }),
  ...folder('src/main/electron', { imports: [SHARED, ENGINE, SERVICES, APP, TRANSPORTS, 'src/main/electron/**', NODE, ORPC, 'electron'] }),
  // The entry points (index.ts for Electron, web.ts for the web mode); a new folder of src/main needs its own row.
  { target: 'src/main/*', allow: ['src/main/**', SHARED, NODE] },

  // The preload hands the renderer its port: Electron's IPC and the channel names, nothing else.
  ...folder('src/preload', { imports: [SHARED, 'electron', '@orpc/client'], tests: ['src/preload/**', 'src/main/electron/testing/**'] }),
  // The React UI runs in a browser: src/shared only, never src/main, Node or Electron.
  ...folder('src/renderer', {
    imports: [
      SHARED,
      'src/renderer/**',
      'zod',
      'react',
      'react-dom',
      '@tanstack/*',
      '@orpc/client',
      '@orpc/contract',
      '@orpc/tanstack-query',
      'react-hook-form',
      '@hookform/resolvers',
      // The SQL console's editor and formatter.
      '@codemirror/*',
      '@lezer/highlight',
      'sql-formatter',
      'fuzzysort',
      // TSV pasted from spreadsheets into the grid (its browser build).
      'csv-parse',
      'echarts',
      'echarts/*',
    ],
  }),

  // Outside the app: benchmarks (their baselines measure raw SQLite on purpose, and DuckDB is the SQL
  // console's reference), browser tests, scripts.
  ...folder('bench', {
    imports: ['src/**', 'bench/**', 'e2e/**', NODE, SQLITE, 'zod', ORPC, 'hyparquet-writer', '@bokuweb/zstd-wasm', '@playwright/test', '@duckdb/node-api'],
  }),
  ...folder('e2e', { imports: ['e2e/**', SHARED, ENGINE, SERVICES, NODE, '@playwright/test', '@axe-core/playwright'] }),
  // This rule and its test (which lints samples against the table above).
  ...folder('scripts/eslint', { imports: ['scripts/eslint/**', NODE], tests: ['eslint', 'typescript-eslint', 'eslint.config.js'] }),
  ...folder('scripts', { imports: ['scripts/**', NODE, 'fs', 'path'] }),
];

// ---------------------------------------------------------------------------------------------

export default defineConfig(
  globalIgnores(['**/node_modules/', 'out/', 'dist/', 'coverage/', 'bench/results/', 'test-results/', 'playwright-report/', '.data/']),

  {
    linterOptions: {
      reportUnusedDisableDirectives: 'error',
      reportUnusedInlineConfigs: 'error',
    },
  },

  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,

  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      parserOptions: {
        // Finds tsconfig.json (solution style) and from it tsconfig.node.json / tsconfig.web.json.
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Type-aware strictness on top of recommendedTypeChecked (which already has
      // no-floating-promises, no-misused-promises, await-thenable, only-throw-error, …).
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: true, ignoreIIFE: false }],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],

      // Imports: the code base writes `import { type X, y } from …` (verbatimModuleSyntax).
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/consistent-type-exports': ['error', { fixMixedExportsWithInlineTypeSpecifier: true }],
      '@typescript-eslint/no-import-type-side-effects': 'error',

      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          args: 'all',
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],

      eqeqeq: ['error', 'always', { null: 'ignore' }],

      // superRefine allocates a closure per parse and reshapes zod's parse payload, slowing every
      // schema after it (src/shared/rule-check.ts has the figures).
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='superRefine']",
          message: 'Use .check(ruleCheck(...)) from src/shared/rule-check.ts instead of superRefine.',
        },
      ],
    },
  },

  // JavaScript (this file, scripts/*.mjs, …): not part of any tsconfig, so no type information.
  {
    files: [tseslint.globs.js],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'off',
      '@typescript-eslint/consistent-type-exports': 'off',
    },
  },

  // Node-side TypeScript.
  {
    files: ['src/main/**', 'src/preload/**', 'scripts/**', 'bench/**', '*.config.ts'],
    languageOptions: { globals: { ...globals.node } },
  },

  // Browser-side TypeScript.
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
  },

  // ----- Layering (see LAYERS) -----------------------------------------------------------------

  {
    files: ['src/**', 'bench/**', 'e2e/**', 'scripts/**'],
    plugins: { kalam: kalamRules },
    rules: {
      'kalam/import-patterns': ['error', { root: import.meta.dirname, layers: LAYERS, connection: { package: SQLITE, member: 'db' } }],
    },
  },
);
