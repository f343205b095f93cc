// @ts-check
/**
 * ESLint rule `kalam/import-patterns`, after VS Code's `code-import-patterns`: every folder lists
 * what it MAY import, and anything else is an error (an allowlist, not a blocklist).
 *
 * Options: `{ root, layers, connection }`.
 * - `root`: the repository's absolute path; targets and allowed paths are relative to it.
 * - `layers`: `{ target, allow }[]`, where `target` is a glob of the files the row governs (the
 *   first row whose target matches a file applies) and `allow` lists globs of what they may import:
 *   repository paths for relative imports (`src/shared/**`), package names for the others (`zod`,
 *   `node:*`, `@orpc/*`; a subpath import counts as its package: `react-dom/client` is `react-dom`).
 *   A pattern starting with `!` takes matching targets out again (`!src/shared/contract/**`).
 *   A linted file no row covers is an error too, so a new folder must say what it may import.
 * - `connection`: `{ package, member }`: a file that may not import `package` may not read the
 *   property `member` either (better-sqlite3's connection is reached as `backend.db`).
 *
 * Imports, re-exports, `import()`, `import type`, `typeof import('x')` and `require('x')` all count.
 */
import { dirname, matchesGlob, posix, relative, sep } from 'node:path';

/** @param {string} path */
const toPosix = (path) => path.split(sep).join('/');

/** The package a bare specifier names: `@scope/name` or `name` (`node:fs/promises` is `node:fs`). */
function packageOf(/** @type {string} */ specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** @type {import('eslint').Rule.RuleModule} */
const importPatterns = {
  meta: {
    type: 'problem',
    docs: { description: 'Each folder imports only what its row of the layer table allows (VS Code code-import-patterns style).' },
    schema: [
      {
        type: 'object',
        properties: {
          root: { type: 'string' },
          layers: {
            type: 'array',
            items: {
              type: 'object',
              properties: { target: { type: 'string' }, allow: { type: 'array', items: { type: 'string' } } },
              required: ['target', 'allow'],
              additionalProperties: false,
            },
          },
          connection: {
            type: 'object',
            properties: { package: { type: 'string' }, member: { type: 'string' } },
            required: ['package', 'member'],
            additionalProperties: false,
          },
        },
        required: ['root', 'layers'],
        additionalProperties: false,
      },
    ],
    messages: {
      uncovered: '{{file}} is in no row of the import layer table (eslint.config.js LAYERS): add its folder and what it may import.',
      notAllowed: '{{file}} may not import "{{specifier}}" ({{what}}): its row ({{target}}) allows {{allow}}.',
      connection: '`.{{member}}` is the raw {{package}} connection, which {{target}} may not use: call a named operation of the storage backend instead.',
    },
  },
  create(context) {
    const { root, layers, connection } =
      /** @type {{ root: string, layers: { target: string, allow: string[] }[], connection?: { package: string, member: string } }} */ (context.options[0]);
    const file = toPosix(relative(root, context.filename));
    const layer = layers.find((l) => matchesGlob(file, l.target));
    if (!layer) {
      return {
        Program(node) {
          context.report({ node, messageId: 'uncovered', data: { file } });
        },
      };
    }
    const denied = layer.allow.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
    const granted = layer.allow.filter((p) => !p.startsWith('!'));
    const allowed = (/** @type {string} */ target) =>
      granted.some((pattern) => matchesGlob(target, pattern)) && !denied.some((pattern) => matchesGlob(target, pattern));

    /** @param {import('estree').Node} node @param {unknown} value */
    const check = (node, value) => {
      if (typeof value !== 'string') return;
      const relativeSpecifier = value.startsWith('./') || value.startsWith('../') || value === '.' || value === '..';
      const target = relativeSpecifier ? posix.normalize(posix.join(toPosix(dirname(relative(root, context.filename))), value)) : packageOf(value);
      if (allowed(target)) return;
      context.report({
        node,
        messageId: 'notAllowed',
        data: { file, specifier: value, what: relativeSpecifier ? target : `package ${target}`, target: layer.target, allow: layer.allow.join(', ') },
      });
    };
    /** @param {{ source?: import('estree').Node | null }} node */
    const checkSource = (node) => {
      if (node.source && node.source.type === 'Literal') check(node.source, node.source.value);
    };

    /** @type {import('eslint').Rule.RuleListener} */
    const listeners = {
      ImportDeclaration: checkSource,
      ExportNamedDeclaration: checkSource,
      ExportAllDeclaration: checkSource,
      ImportExpression: checkSource,
      CallExpression(node) {
        const [arg] = node.arguments;
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && arg?.type === 'Literal') check(arg, arg.value);
      },
      // TypeScript's own forms: `import x = require('y')` and `typeof import('y')`.
      /** @param {any} node */
      TSExternalModuleReference(node) {
        if (node.expression?.type === 'Literal') check(node.expression, node.expression.value);
      },
      /** @param {any} node */
      TSImportType(node) {
        const literal = node.argument?.type === 'TSLiteralType' ? node.argument.literal : node.argument;
        if (literal?.type === 'Literal') check(literal, literal.value);
      },
    };
    if (connection && !allowed(connection.package)) {
      listeners.MemberExpression = (node) => {
        const p = node.property;
        const name = !node.computed && p.type === 'Identifier' ? p.name : node.computed && p.type === 'Literal' ? p.value : undefined;
        if (name === connection.member) context.report({ node: p, messageId: 'connection', data: { ...connection, target: layer.target } });
      };
    }
    return listeners;
  },
};

export default { rules: { 'import-patterns': importPatterns } };
