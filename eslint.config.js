// @ts-check
// ESLint flat config (ESLint 10, typescript-eslint 8).
//
// Layers, lowest first. A layer never imports a layer above it (VS Code style):
//   src/shared            pure TypeScript: no Electron, no Node built-ins (tests excepted)
//   src/main/engine       the entity store: Node, but no Electron, services or transports
//   src/main/services     business logic over the engine: no Electron, no transports
//   src/main/transports,
//   src/main/electron     adapters (IPC, web mode, Electron app): may import everything below
//   src/renderer          React UI: only src/shared, never src/main, src/preload, Electron or Node
import { builtinModules } from 'node:module';

import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// ---------------------------------------------------------------------------------------------
// Import restrictions. ESLint replaces (does not merge) a rule's options when several config
// objects match one file, so every layer below gets one complete option set from these parts.

/** `fs`, `fs/promises`, `path`, … (the `node:` prefixed forms are caught by NODE_PREFIX). */
const NODE_BUILTINS = builtinModules
  .filter((m) => !m.startsWith('node:') && !m.startsWith('_'))
  .map((name) => ({ name, message: 'Node built-ins are not available in this layer.' }));

/** `electron` and its subpaths (`electron/main`, `electron/renderer`, …). */
const ELECTRON = {
  regex: '^electron(/|$)',
  message: 'Only src/main/electron and src/preload may import electron; this code also runs in plain Node (tests, web mode).',
};

/** Packages that only work in Node (native addons): as forbidden as the built-ins. */
const NODE_ONLY_PACKAGES = ['better-sqlite3', '@node-rs/argon2'].map((name) => ({
  name,
  message: 'Native Node package: keep it in src/main.',
}));

const NODE_PREFIX = {
  regex: '^node:',
  message: 'Node built-ins are not available in this layer.',
};

/**
 * A relative import that goes through a directory named `dir` (`../main/…`, `../../services`).
 * Only relative specifiers match, so npm packages such as `electron` are not caught by mistake.
 * @param {string} dir
 * @param {string} message
 */
const layer = (dir, message) => ({ regex: `^\\.\\.?/(.*/)?${dir}(/|$)`, message });

const MAIN = layer('main', 'Lower layers never import src/main.');
const RENDERER = layer('renderer', 'Lower layers never import src/renderer.');
const PRELOAD = layer('preload', 'Lower layers never import src/preload.');
const SERVICES = layer('services', 'The engine sits below src/main/services.');
const TRANSPORTS = layer('transports', 'Transports sit above the engine and the services.');
const ELECTRON_DIR = layer('electron', 'src/main/electron sits above the engine and the services.');
const CONTRACT = layer('contract', 'The engine does not know the RPC contract: share domain schemas through src/shared modules (e.g. src/shared/jobs/).');

/**
 * @param {{ paths: object[], patterns: object[] }} options
 * @returns {import('eslint').Linter.RulesRecord}
 */
const restrict = ({ paths, patterns }) => ({
  '@typescript-eslint/no-restricted-imports': ['error', { paths, patterns }],
});

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

  // ----- Layering ------------------------------------------------------------------------------

  {
    files: ['src/shared/**/*.{ts,tsx}'],
    rules: restrict({
      paths: [...NODE_BUILTINS, ...NODE_ONLY_PACKAGES],
      patterns: [ELECTRON, MAIN, RENDERER, PRELOAD, NODE_PREFIX],
    }),
  },
  {
    // Tests of shared code run in Node and may use its built-ins (temp dirs, fixtures, …).
    files: ['src/shared/**/*.test.ts'],
    rules: restrict({ paths: [], patterns: [ELECTRON, MAIN, RENDERER, PRELOAD] }),
  },
  {
    files: ['src/main/engine/**/*.ts'],
    rules: restrict({ paths: [], patterns: [ELECTRON, SERVICES, TRANSPORTS, ELECTRON_DIR, CONTRACT] }),
  },
  {
    files: ['src/main/services/**/*.ts'],
    rules: restrict({ paths: [], patterns: [ELECTRON, TRANSPORTS, ELECTRON_DIR] }),
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    rules: restrict({
      paths: [...NODE_BUILTINS, ...NODE_ONLY_PACKAGES],
      patterns: [ELECTRON, MAIN, PRELOAD, NODE_PREFIX],
    }),
  },
);
