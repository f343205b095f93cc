// The layer table of eslint.config.js, through its rule: what each folder may import, and that
// SQLite (the package and the `.db` connection) stays in src/main/engine/storage/sqlite and bench/.
import { join } from 'node:path';
import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import config from '../../eslint.config.js';

const root = join(import.meta.dirname, '../..');
const layering = config.find((c) => c.plugins?.kalam);
const linter = new Linter({ configType: 'flat', cwd: root });

/** The import-patterns problems of `code` as the file `path` (relative to the repository). */
function problems(path, code) {
  const messages = linter.verify(code, [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, layering], join(root, path));
  return messages.map((m) => (m.ruleId === 'kalam/import-patterns' ? m.message : `${m.ruleId ?? 'parser'}: ${m.message}`));
}

const SQLITE_FORMS = [
  "import Database from 'better-sqlite3';",
  "import type { Database } from 'better-sqlite3';",
  "export { default } from 'better-sqlite3';",
  "const m = await import('better-sqlite3');",
  "const m = require('better-sqlite3');",
  "type D = typeof import('better-sqlite3');",
];

describe('the layer table (eslint.config.js LAYERS, rule kalam/import-patterns)', () => {
  it('lets src/main/engine/storage/sqlite and bench/ use SQLite: the package and the connection', () => {
    for (const path of ['src/main/engine/storage/sqlite/x.ts', 'src/main/engine/storage/sqlite/x.test.ts', 'bench/x.ts']) {
      for (const form of SQLITE_FORMS) expect(problems(path, form)).toEqual([]);
      expect(problems(path, 'export const f = (b: { db: unknown }) => b.db;')).toEqual([]);
    }
  });

  it('refuses SQLite everywhere else, in every import form, app/ and cli/ included', () => {
    const elsewhere = [
      'src/main/engine/flush/x.ts',
      'src/main/engine/backup/x.test.ts',
      'src/main/engine/storage/x.ts',
      'src/main/engine/jobs/testing/x.ts',
      'src/main/services/x.ts',
      'src/main/app/x.ts',
      'src/main/cli/x.ts',
      'src/main/transports/x.ts',
      'src/main/electron/x.ts',
      'e2e/x.ts',
    ];
    for (const path of elsewhere) {
      for (const form of SQLITE_FORMS) expect(problems(path, form), `${path}: ${form}`).toEqual([expect.stringContaining(`may not import "better-sqlite3"`)]);
      expect(problems(path, 'export const f = (engine: any) => [engine.backend.db, engine.backend["db"]];')).toEqual([
        expect.stringContaining('`.db` is the raw better-sqlite3 connection'),
        expect.stringContaining('`.db` is the raw better-sqlite3 connection'),
      ]);
    }
  });

  it('keeps each layer below the ones above it', () => {
    expect(problems('src/main/engine/x.ts', "import { a } from '../services/errors';")).toEqual([
      expect.stringContaining('may not import "../services/errors"'),
    ]);
    expect(problems('src/main/services/x.ts', "import { a } from '../transports/web/web-server';")).toEqual([expect.stringContaining('may not import')]);
    expect(problems('src/main/app/x.ts', "import { a } from '../electron/window';")).toEqual([expect.stringContaining('may not import')]);
    expect(problems('src/main/engine/storage/memory/x.ts', "import { a } from '../../store/entity-store';")).toEqual([
      expect.stringContaining('may not import'),
    ]);
    expect(problems('src/shared/x.ts', "import { a } from '../main/engine/engine';")).toEqual([expect.stringContaining('may not import')]);
    expect(problems('src/renderer/src/x.ts', "import { readFileSync } from 'node:fs';")).toEqual([expect.stringContaining('may not import "node:fs"')]);
    expect(problems('src/renderer/src/x.ts', "import { a } from '../../main/engine/engine';")).toEqual([expect.stringContaining('may not import')]);
    expect(problems('src/shared/x.ts', "import { readFileSync } from 'node:fs';")).toEqual([expect.stringContaining('may not import "node:fs"')]);
    // What each may import passes.
    expect(problems('src/main/services/x.ts', "import { Engine } from '../engine/engine';\nimport { z } from 'zod';")).toEqual([]);
    expect(problems('src/main/cli/x.ts', "import { a } from '../app/data-dir';\nimport { parseArgs } from 'node:util';")).toEqual([]);
    expect(problems('src/renderer/src/x.ts', "import { a } from '../../shared/keys/tuple';\nimport { createRoot } from 'react-dom/client';")).toEqual([]);
  });

  it('gives test tools to test code only', () => {
    expect(problems('src/main/engine/flush/x.test.ts', "import { it } from 'vitest';\nimport fc from 'fast-check';")).toEqual([]);
    expect(problems('src/main/engine/flush/x.ts', "import { it } from 'vitest';")).toEqual([expect.stringContaining('may not import "vitest"')]);
  });

  it('refuses a file no row covers', () => {
    expect(problems('src/elsewhere/x.ts', 'export const a = 1;')).toEqual([expect.stringContaining('is in no row of the import layer table')]);
  });
});
