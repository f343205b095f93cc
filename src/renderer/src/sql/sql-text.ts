import { SqlLexError, splitScript, type Token, tokenize } from '../../../shared/sql/sql-lexer';

/**
 * The console's reading of a script, through the engine's own lexer (src/shared/sql/sql-lexer.ts),
 * so that "run statement at cursor" splits exactly as the engine does. Text being typed often does
 * not lex yet (an open string or comment): it is read up to the fault, and the rest is one more
 * statement, which the engine then refuses with the fault's position.
 */

/** One statement of a script: its text (first token to last, no `;`), and where it sits in the script. */
export interface StatementRange {
  readonly from: number;
  readonly to: number;
  readonly text: string;
}

/** The tokens of a text, up to the first fault (an unterminated string or comment) when it has one. */
export function tokensOf(text: string): Token[] {
  try {
    return tokenize(text);
  } catch (e) {
    if (!(e instanceof SqlLexError)) throw e;
    return tokenize(text.slice(0, e.start));
  }
}

const range = (text: string, from: number, to: number): StatementRange => ({ from, to, text: text.slice(from, to) });

/** The statements of a script, in order, split at `;` outside parentheses; empty statements are left out. */
export function splitStatements(text: string): StatementRange[] {
  try {
    return splitScript(text).map((s) => range(text, s.start, s.end));
  } catch (e) {
    if (!(e instanceof SqlLexError)) throw e;
    const head = text.slice(0, e.start);
    const statements = splitScript(head).map((s) => range(text, s.start, s.end));
    // The statement the fault is in starts after the last top-level `;` before it.
    const last = statements.at(-1);
    const closed = last === undefined || tokenize(head).some((t) => t.type === 'punct' && t.text === ';' && t.start >= last.to);
    const open = closed ? undefined : statements.pop();
    const to = text.trimEnd().length;
    return [...statements, range(text, open?.from ?? e.start, Math.max(to, e.start + 1))];
  }
}

/**
 * The statement to run for a cursor at `pos`: the one the cursor is in (or at the end of, before
 * its `;`), else the nearest one before it on the same line, else the next one. Undefined when the
 * script has no statement.
 */
export function statementAt(text: string, pos: number): StatementRange | undefined {
  const statements = splitStatements(text);
  const inside = statements.find((s) => pos >= s.from && pos <= s.to);
  if (inside) return inside;
  const before = statements.filter((s) => s.to <= pos).at(-1);
  if (before && !text.slice(before.to, pos).includes('\n')) return before;
  return statements.find((s) => s.from >= pos) ?? before;
}

/** Each token with its parenthesis depth (0: the statement's top level; a parenthesis has the depth outside it). */
export function withDepth(tokens: readonly Token[]): { token: Token; depth: number }[] {
  let depth = 0;
  return tokens.map((token) => {
    if (token.type === 'punct' && token.text === ')') depth = Math.max(0, depth - 1);
    const at = { token, depth };
    if (token.type === 'punct' && token.text === '(') depth += 1;
    return at;
  });
}
