import type { Filter, FilterOp } from './browse';

/** A filter text that does not parse: the message says where. */
export class FilterTextError extends Error {
  override name = 'FilterTextError';
}

const OPS: Record<string, FilterOp> = {
  '=': 'eq',
  '==': 'eq',
  '!=': 'ne',
  '<>': 'ne',
  '<': 'lt',
  '<=': 'lte',
  '>': 'gt',
  '>=': 'gte',
  contains: 'contains',
  starts_with: 'starts_with',
};

// A quoted string ('…' or "…", the quote doubled inside), an operator, or a bare word.
const TOKEN = /\s*(?:'((?:[^']|'')*)'|"((?:[^"]|"")*)"|(<=|>=|<>|!=|==|=|<|>)|([^\s'"<>=!]+))/y;

interface Token {
  readonly text: string;
  readonly quoted: boolean;
  readonly at: number;
}

function tokens(text: string): Token[] {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const at = TOKEN.lastIndex;
    if (/^\s*$/.test(text.slice(at))) break;
    const m = TOKEN.exec(text);
    if (!m) throw new FilterTextError(`cannot read the filter at "${text.slice(at).trim()}"`);
    if (m[1] !== undefined) out.push({ text: m[1].replaceAll("''", "'"), quoted: true, at });
    else if (m[2] !== undefined) out.push({ text: m[2].replaceAll('""', '"'), quoted: true, at });
    else out.push({ text: (m[3] ?? m[4])!, quoted: false, at });
  }
  return out;
}

/**
 * The grid's filters from a text (the CLI's `--where`): conditions joined by `and`, each
 * `<column> <op> <value>` (op: = != < <= > >= contains starts_with) or `<column> is [not] null`.
 * Values are quoted text or bare words; bare numbers and true/false are typed (the engine coerces
 * text to the column's type either way).
 */
export function parseFilterText(text: string): Filter[] {
  const ts = tokens(text);
  const filters: Filter[] = [];
  let i = 0;
  const next = (what: string): Token => {
    const t = ts[i++];
    if (!t) throw new FilterTextError(`the filter ends where ${what} was expected`);
    return t;
  };
  while (i < ts.length) {
    if (filters.length > 0) {
      const and = next('"and"');
      if (and.quoted || and.text.toLowerCase() !== 'and') throw new FilterTextError(`expected "and" before "${and.text}"`);
    }
    const column = next('a column').text;
    const op = next('an operator');
    if (!op.quoted && op.text.toLowerCase() === 'is') {
      let t = next('"null" or "not null"');
      let negated = false;
      if (!t.quoted && t.text.toLowerCase() === 'not') {
        negated = true;
        t = next('"null"');
      }
      if (t.quoted || t.text.toLowerCase() !== 'null') throw new FilterTextError(`expected "null" after "is${negated ? ' not' : ''}"`);
      filters.push({ column, op: negated ? 'not_null' : 'is_null' });
      continue;
    }
    const filterOp = op.quoted ? undefined : OPS[op.text.toLowerCase()];
    if (!filterOp) throw new FilterTextError(`"${op.text}" is not an operator (= != < <= > >= contains starts_with, is null, is not null)`);
    const v = next('a value');
    let value: Filter['value'] = v.text;
    if (!v.quoted) {
      if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v.text)) value = Number(v.text);
      else if (v.text === 'true' || v.text === 'false') value = v.text === 'true';
    }
    filters.push({ column, op: filterOp, value });
  }
  if (filters.length === 0) throw new FilterTextError('the filter is empty');
  return filters;
}
