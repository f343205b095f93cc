import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineColumn, splitStatements, statementAt, tokenize } from './sql-text';

describe('splitStatements', () => {
  it('splits at top-level semicolons, trimming whitespace and dropping empty statements', () => {
    const text = '  SELECT 1;\n\nSELECT 2 ;;  \n  DELETE FROM t  ';
    expect(splitStatements(text).map((s) => s.text)).toEqual(['SELECT 1', 'SELECT 2', 'DELETE FROM t']);
    for (const s of splitStatements(text)) expect(text.slice(s.from, s.to)).toBe(s.text);
  });

  it('ignores semicolons inside strings, quoted identifiers and comments', () => {
    const text = `SELECT 'a;b', "we;ird" FROM t -- not; here\n/* nor; here */ WHERE x = 'it''s;';SELECT 2`;
    const parts = splitStatements(text).map((s) => s.text);
    expect(parts).toEqual([`SELECT 'a;b', "we;ird" FROM t -- not; here\n/* nor; here */ WHERE x = 'it''s;'`, 'SELECT 2']);
  });

  it('keeps a leading comment with its statement, and drops a script of comments only', () => {
    expect(splitStatements('-- the users\nSELECT * FROM system.users').map((s) => s.text)).toEqual(['-- the users\nSELECT * FROM system.users']);
    expect(splitStatements('-- nothing\n/* at all */ ;  ')).toEqual([]);
  });

  it('runs an unterminated string or comment to the end of the text', () => {
    expect(splitStatements("SELECT 'open; still").map((s) => s.text)).toEqual(["SELECT 'open; still"]);
    // A statement ends at its last token: the open comment after it is not part of it, nor split.
    expect(splitStatements('SELECT 1 /* open; still').map((s) => s.text)).toEqual(['SELECT 1']);
  });

  it('gives back every statement of a joined script (property)', () => {
    // Statements that hold no separator outside quotes, begin and end with a token (not a comment),
    // joined with ";" and arbitrary whitespace.
    const token = fc.constantFrom('SELECT', 'x', '1', "'a;b'", '"c;d"', '(', ')', '*', ',');
    const word = fc.oneof(token, fc.constantFrom('/* ; */', '-- ;\n'));
    const statement = fc.tuple(token, fc.array(word, { maxLength: 6 }), token).map(([a, ws, b]) => [a, ...ws, b].join(' '));
    const space = fc.constantFrom('', ' ', '\n', '\t\n ');
    fc.assert(
      fc.property(fc.array(fc.tuple(statement, space, space), { minLength: 1, maxLength: 6 }), (parts) => {
        const text = parts.map(([s, before, after]) => `${before}${s}${after}`).join(';');
        const split = splitStatements(text);
        expect(split.map((s) => s.text)).toEqual(parts.map(([s]) => s));
        for (const s of split) expect(text.slice(s.from, s.to)).toBe(s.text);
      }),
    );
  });
});

describe('statementAt', () => {
  const text = 'SELECT 1;\nSELECT 2; SELECT 3;\n\nSELECT 4';
  const at = (marker: number) => statementAt(text, marker)?.text;

  it('finds the statement the cursor is in or at the end of', () => {
    expect(at(0)).toBe('SELECT 1');
    expect(at(text.indexOf('1') + 1)).toBe('SELECT 1'); // right before its ';'
    expect(at(text.indexOf('2'))).toBe('SELECT 2');
    expect(at(text.indexOf('4') + 1)).toBe('SELECT 4');
  });

  it('after a semicolon, runs the statement before it on the same line; on a blank line, the next one', () => {
    expect(at(text.indexOf('SELECT 3') + 9)).toBe('SELECT 3'); // after "SELECT 3;"
    expect(at(text.indexOf('\n\n') + 1)).toBe('SELECT 4');
  });

  it('is undefined for a script without statements', () => {
    expect(statementAt('  -- only a comment', 3)).toBeUndefined();
  });
});

describe('tokenize', () => {
  it('upper-cases words, unquotes strings and records parenthesis depth', () => {
    const tokens = tokenize(`execute as user 'o''neil' (select "Col" from t)`);
    expect(tokens.map((t) => [t.kind, t.value, t.depth])).toEqual([
      ['word', 'EXECUTE', 0],
      ['word', 'AS', 0],
      ['word', 'USER', 0],
      ['string', "o'neil", 0],
      ['symbol', '(', 0],
      ['word', 'SELECT', 1],
      ['quoted', 'Col', 1],
      ['word', 'FROM', 1],
      ['word', 'T', 1],
      ['symbol', ')', 0],
    ]);
  });
});

describe('lineColumn', () => {
  it('counts lines and columns from 1', () => {
    expect(lineColumn('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn('ab\ncd', 2)).toEqual({ line: 1, column: 3 });
    expect(lineColumn('ab\ncd', 3)).toEqual({ line: 2, column: 1 });
    expect(lineColumn('ab\ncd', 5)).toEqual({ line: 2, column: 3 });
  });
});
