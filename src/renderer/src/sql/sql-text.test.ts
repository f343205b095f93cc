import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitStatements, statementAt, tokensOf, withDepth } from './sql-text';

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

  it('starts a statement at its first token, and drops a script of comments only', () => {
    expect(splitStatements('-- the users\nSELECT * FROM system.users').map((s) => s.text)).toEqual(['SELECT * FROM system.users']);
    expect(splitStatements('-- nothing\n/* at all */ ;  ')).toEqual([]);
  });

  it('does not split inside parentheses, as the engine does (EXECUTE AS holds one statement)', () => {
    expect(splitStatements("EXECUTE AS USER 'alice' (SELECT 1;); SELECT 2").map((s) => s.text)).toEqual(["EXECUTE AS USER 'alice' (SELECT 1;)", 'SELECT 2']);
  });

  it('reads text that does not lex up to the fault; the rest is one statement', () => {
    expect(splitStatements("SELECT 1; SELECT 'open; still").map((s) => s.text)).toEqual(['SELECT 1', "SELECT 'open; still"]);
    expect(splitStatements("SELECT 1; SELECT 2 WHERE x = 'open").map((s) => s.text)).toEqual(['SELECT 1', "SELECT 2 WHERE x = 'open"]);
    expect(splitStatements('SELECT 1 /* open; still').map((s) => s.text)).toEqual(['SELECT 1 /* open; still']);
  });

  it('gives back every statement of a joined script (property)', () => {
    // Statements that hold no separator outside quotes, begin and end with a token (not a comment),
    // joined with ";" and arbitrary whitespace.
    const token = fc.constantFrom('SELECT', 'x', '1', "'a;b'", '"c;d"', '(x; y)', '*', ',');
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

describe('tokensOf and withDepth', () => {
  it("gives the engine lexer's tokens with their parenthesis depth", () => {
    const tokens = withDepth(tokensOf(`execute as user 'o''neil' (select "Col" from t)`));
    expect(tokens.map(({ token, depth }) => [token.type, token.text, depth])).toEqual([
      ['word', 'execute', 0],
      ['word', 'as', 0],
      ['word', 'user', 0],
      ['string', "'o''neil'", 0],
      ['punct', '(', 0],
      ['word', 'select', 1],
      ['ident', '"Col"', 1],
      ['word', 'from', 1],
      ['word', 't', 1],
      ['punct', ')', 0],
    ]);
  });

  it('stops at an unterminated string instead of failing', () => {
    expect(tokensOf("DELETE FROM t WHERE x = 'open").map((t) => t.text)).toEqual(['DELETE', 'FROM', 't', 'WHERE', 'x', '=']);
  });
});
