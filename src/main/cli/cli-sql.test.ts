import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './cli.test-support';

/** The real CLI's `sql` command (cli.test-support.ts) on a temporary data directory. */
const root = mkdtempSync(join(tmpdir(), 'kalam-cli-sql-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('npm run cli -- sql', () => {
  const data = join(root, 'data');

  it('runs statements and scripts, as a user, in table, csv and json; exits 1 with one error line and its position', async () => {
    expect((await cli(data, 'seed', 'app.items', '--rows', '20')).code).toBe(0);
    expect((await cli(data, 'seed', 'app.notes', '--rows', '30', '--users', '3')).code).toBe(0);

    const csv = await cli(data, 'sql', 'SELECT count(*) AS n, sum(id) AS s FROM app.items', '--format', 'csv');
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stdout).toBe('n,s\n20,210\n');
    // The one CSV field writer: null empty, the empty string "", quotes doubled.
    const fields = await cli(data, 'sql', `SELECT NULL AS a, '' AS b, 'say "hi", twice' AS c`, '--format', 'csv');
    expect(fields.stdout).toBe('a,b,c\n,"","say ""hi"", twice"\n');

    const mine = await cli(data, 'sql', 'SELECT DISTINCT _user FROM app.notes', '--as', 'seed_user_0002', '--format', 'csv');
    // Only its own rows (the admin sees three users).
    expect(mine.stdout).toBe('_user\nseed_user_0002\n');

    const file = join(root, 'script.sql');
    writeFileSync(file, '-- a script\nDELETE FROM app.items WHERE id > 15;\nFLUSH TABLE app.items;\nSELECT count(*) AS n FROM app.items;\n');
    const json = await cli(data, 'sql', '-f', file, '--format', 'json');
    expect(json.code, json.stderr).toBe(0);
    const out = JSON.parse(json.stdout) as { verb: string; affected?: number; jobs?: { status: string }[]; rows?: unknown[][] }[];
    expect(out.map((o) => o.verb)).toEqual(['DELETE', 'FLUSH TABLE', 'SELECT']);
    expect(out[0]!.affected).toBe(5);
    // The command waits for the jobs it started.
    expect(out[1]!.jobs).toEqual([expect.objectContaining({ status: 'completed' })]);
    expect(out[2]!.rows).toEqual([[15]]);

    const table = await cli(data, 'sql', 'SELECT id, name FROM app.items WHERE id <= 2');
    expect(table.stdout).toMatch(/^id \| name\s*\n---\+-+\n1 {2}\| item-1\s*\n2 {2}\| item-2\s*\n\(SELECT: 2 rows\)\n1 statement run\n$/);

    const failed = await cli(data, 'sql', 'SELECT 1;\nSELECT nope FROM app.items');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toBe('kalam cli: UNKNOWN_COLUMN at line 2, column 8: no such column: nope\n');

    expect((await cli(data, 'sql', 'SELECT 1', '-f', file)).code).toBe(2);
  }, 120_000);
});
