/**
 * The console's reading of SQL text: tokens (words, strings, quoted identifiers, symbols) outside
 * comments, and the statements of a script, split at semicolons that are not inside a string, a
 * quoted identifier or a comment. Enough to find the statement at the cursor and to classify a
 * statement before it is sent; the engine parses it for real.
 */

export interface Token {
  readonly kind: 'word' | 'string' | 'quoted' | 'symbol';
  /** Words: upper-cased; strings and quoted identifiers: their unquoted value; symbols: the character. */
  readonly value: string;
  readonly from: number;
  readonly to: number;
  /** Parenthesis depth at the token (0: top level of the statement). */
  readonly depth: number;
}

/** One statement of a script: its text without the separator, and where it sits in the script. */
export interface StatementRange {
  readonly from: number;
  readonly to: number;
  readonly text: string;
}

const WORD_START = /[A-Za-z_]/;
const WORD_PART = /[A-Za-z0-9_$]/;
const SPACE = /\s/;

/** End of a quoted run starting at `from` (the quote), where a doubled quote is an escaped one; unterminated: the end of the text. */
function quotedEnd(text: string, from: number, quote: string): number {
  let i = from + 1;
  while (i < text.length) {
    if (text[i] === quote) {
      if (text[i + 1] === quote) i += 2;
      else return i + 1;
    } else i += 1;
  }
  return text.length;
}

/** End of a comment starting at `from`, or `from` when none starts there. */
function commentEnd(text: string, from: number): number {
  if (text.startsWith('--', from)) {
    const nl = text.indexOf('\n', from);
    return nl === -1 ? text.length : nl;
  }
  if (text.startsWith('/*', from)) {
    const end = text.indexOf('*/', from + 2);
    return end === -1 ? text.length : end + 2;
  }
  return from;
}

/** The tokens of `text`, comments and whitespace left out. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let depth = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const afterComment = commentEnd(text, i);
    if (afterComment > i) {
      i = afterComment;
    } else if (SPACE.test(c)) {
      i += 1;
    } else if (c === "'" || c === '"') {
      const end = quotedEnd(text, i, c);
      const closed = text[end - 1] === c && end - i >= 2;
      const body = text.slice(i + 1, closed ? end - 1 : end).replaceAll(c + c, c);
      tokens.push({ kind: c === "'" ? 'string' : 'quoted', value: body, from: i, to: end, depth });
      i = end;
    } else if (WORD_START.test(c)) {
      let end = i + 1;
      while (end < text.length && WORD_PART.test(text[end]!)) end += 1;
      tokens.push({ kind: 'word', value: text.slice(i, end).toUpperCase(), from: i, to: end, depth });
      i = end;
    } else {
      if (c === ')') depth = Math.max(0, depth - 1);
      tokens.push({ kind: 'symbol', value: c, from: i, to: i + 1, depth });
      if (c === '(') depth += 1;
      i += 1;
    }
  }
  return tokens;
}

/**
 * The statements of a script, in order: each runs from its first token (a comment just before it
 * is part of it) to its last token before `;`. Empty statements (only whitespace and comments) are
 * left out.
 */
export function splitStatements(text: string): StatementRange[] {
  const out: StatementRange[] = [];
  let start: number | undefined; // Where the current statement's text starts (its first non-space).
  let lastTokenEnd = -1; // End of the current statement's last token; -1: it has none yet.
  const close = () => {
    if (start !== undefined && lastTokenEnd > start) out.push({ from: start, to: lastTokenEnd, text: text.slice(start, lastTokenEnd) });
    start = undefined;
    lastTokenEnd = -1;
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const afterComment = commentEnd(text, i);
    if (afterComment > i) {
      start ??= i;
      i = afterComment;
    } else if (SPACE.test(c)) {
      i += 1;
    } else if (c === ';') {
      close();
      i += 1;
    } else {
      start ??= i;
      const end = c === "'" || c === '"' ? quotedEnd(text, i, c) : i + 1;
      lastTokenEnd = end;
      i = end;
    }
  }
  close();
  return out;
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

/** Line and column (both from 1) of an offset in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
}
