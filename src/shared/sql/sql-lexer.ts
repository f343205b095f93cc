import type { SqlPosition } from './sql-results';

/**
 * The SQL console's tokenizer and script splitter, with SQLite's lexing: '…' strings ('' inside),
 * "…", `…` and […] identifiers, -- and /* *\/ comments, numbers, x'…' blobs, ?, ?N, :name, @name
 * and $name parameters. Shared so that the editor's "run statement at cursor" splits a script
 * exactly as the engine does.
 */

export type TokenType = 'word' | 'ident' | 'string' | 'number' | 'blob' | 'param' | 'op' | 'punct';

export interface Token {
  readonly type: TokenType;
  /** The source text of the token. */
  readonly text: string;
  /** Offset of the first character, and one past the last, in the script. */
  readonly start: number;
  readonly end: number;
}

export class SqlLexError extends Error {
  override name = 'SqlLexError';
  constructor(
    message: string,
    readonly start: number,
    readonly end: number,
  ) {
    super(message);
  }
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
const DIGIT = /[0-9]/;
const OPERATORS = ['||', '<=', '>=', '<>', '!=', '==', '<<', '>>', '->>', '->'];

/** The tokens of `text`, comments and white space left out; an unterminated string or comment is a SqlLexError. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = text.length;
  const push = (type: TokenType, start: number, end: number) => out.push({ type, text: text.slice(start, end), start, end });
  const closing = (start: number, close: string, what: string): number => {
    let j = start + 1;
    for (;;) {
      const k = text.indexOf(close, j);
      if (k < 0) throw new SqlLexError(`unterminated ${what}`, start, n);
      // A doubled quote is the quote itself.
      if (close !== ']' && text[k + 1] === close) {
        j = k + 2;
        continue;
      }
      return k + 1;
    }
  };
  while (i < n) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v') {
      i++;
    } else if (c === '-' && text[i + 1] === '-') {
      const k = text.indexOf('\n', i);
      i = k < 0 ? n : k + 1;
    } else if (c === '/' && text[i + 1] === '*') {
      const k = text.indexOf('*/', i + 2);
      if (k < 0) throw new SqlLexError('unterminated comment', i, n);
      i = k + 2;
    } else if ((c === 'x' || c === 'X') && text[i + 1] === "'") {
      const end = closing(i + 1, "'", 'blob literal');
      push('blob', i, end);
      i = end;
    } else if (c === "'") {
      const end = closing(i, "'", 'string');
      push('string', i, end);
      i = end;
    } else if (c === '"' || c === '`') {
      const end = closing(i, c, 'quoted identifier');
      push('ident', i, end);
      i = end;
    } else if (c === '[') {
      const end = closing(i, ']', 'quoted identifier');
      push('ident', i, end);
      i = end;
    } else if (DIGIT.test(c) || (c === '.' && DIGIT.test(text[i + 1] ?? ''))) {
      let j = i;
      if (c === '0' && (text[i + 1] === 'x' || text[i + 1] === 'X')) {
        j += 2;
        while (j < n && /[0-9A-Fa-f_]/.test(text[j]!)) j++;
      } else {
        while (j < n && /[0-9_]/.test(text[j]!)) j++;
        if (text[j] === '.') {
          j++;
          while (j < n && /[0-9_]/.test(text[j]!)) j++;
        }
        if ((text[j] === 'e' || text[j] === 'E') && /[-+0-9]/.test(text[j + 1] ?? '')) {
          j += 2;
          while (j < n && DIGIT.test(text[j]!)) j++;
        }
      }
      push('number', i, j);
      i = j;
    } else if (WORD_START.test(c)) {
      let j = i + 1;
      while (j < n && WORD_PART.test(text[j]!)) j++;
      push('word', i, j);
      i = j;
    } else if (c === '?') {
      let j = i + 1;
      while (j < n && DIGIT.test(text[j]!)) j++;
      push('param', i, j);
      i = j;
    } else if ((c === ':' || c === '@' || c === '$') && WORD_START.test(text[i + 1] ?? '')) {
      let j = i + 2;
      while (j < n && WORD_PART.test(text[j]!)) j++;
      push('param', i, j);
      i = j;
    } else if (c === ';' || c === ',' || c === '(' || c === ')' || c === '.') {
      push('punct', i, i + 1);
      i++;
    } else {
      const op = OPERATORS.find((o) => text.startsWith(o, i));
      const len = op ? op.length : 1;
      push('op', i, i + len);
      i += len;
    }
  }
  return out;
}

/** One statement of a script: its tokens (the `;` excluded) and its span. */
export interface ScriptStatement {
  readonly index: number;
  readonly tokens: readonly Token[];
  readonly start: number;
  readonly end: number;
  /** Its text (from its first token to its last). */
  readonly text: string;
}

/** The statements of a script, split at `;` outside parentheses; empty statements are left out. */
export function splitScript(text: string): ScriptStatement[] {
  const tokens = tokenize(text);
  const out: ScriptStatement[] = [];
  let current: Token[] = [];
  let depth = 0;
  const flush = () => {
    if (current.length === 0) return;
    const start = current[0]!.start;
    const end = current[current.length - 1]!.end;
    out.push({ index: out.length, tokens: current, start, end, text: text.slice(start, end) });
    current = [];
  };
  for (const t of tokens) {
    if (t.type === 'punct') {
      if (t.text === '(') depth++;
      else if (t.text === ')') depth = Math.max(0, depth - 1);
      else if (t.text === ';' && depth === 0) {
        flush();
        continue;
      }
    }
    current.push(t);
  }
  flush();
  return out;
}

/** Line and column (1-based) of an offset in `text`. */
export function positionOf(text: string, start: number, end: number = start): SqlPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < start; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: start - lineStart + 1, offset: start, length: Math.max(0, end - start) };
}

/** An identifier token's name: quotes removed (doubled quotes undone), words as written. */
export function identifierName(token: Token): string {
  if (token.type !== 'ident') return token.text;
  const q = token.text[0]!;
  const inner = token.text.slice(1, -1);
  return q === '[' ? inner : inner.split(q + q).join(q);
}

/** Whether a token is the keyword `word` (any letter case). */
export function isKeyword(token: Token | undefined, word: string): boolean {
  return token !== undefined && token.type === 'word' && token.text.toUpperCase() === word;
}
