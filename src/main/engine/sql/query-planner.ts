import { identifierName, isKeyword, type Token } from '../../../shared/sql/sql-lexer';
import { SqlStatementError } from './sql-statement-error';

/** What the planner needs to know of a table the statement names. */
export interface PlannedTable {
  /** "namespace.table". */
  readonly label: string;
  readonly kind: 'system' | 'shared' | 'user' | 'stream';
  /** The primary key column (data tables with key parameters only). */
  readonly primaryKey: string | undefined;
  /** Data tables: the schema version (a virtual table is made for one version). */
  readonly version?: number;
}

export interface PlannerCatalog {
  isNamespace(name: string): boolean;
  table(namespace: string, table: string): PlannedTable | undefined;
}

/** A predicate the planner passed to a table's scan as a key constraint. */
export interface Pushdown {
  readonly table: string;
  readonly constraint: string;
}

/** An aggregate call the scan computes: `count(*)` (column null), or one of these over a column. */
export interface AggregateCall {
  readonly fn: 'count' | 'sum' | 'total' | 'avg' | 'min' | 'max';
  readonly column: string | null;
}

/**
 * An aggregate query over one data table that the scan can answer group by group (see
 * grouped-aggregate.ts): the table's reference becomes a virtual table of its groups, with the GROUP
 * BY columns and one column per aggregate call, and each call in the statement becomes its column.
 */
export interface GroupedScan {
  /** The virtual table of the groups in the query connection (unquoted). */
  readonly name: string;
  readonly table: PlannedTable;
  /** Column names, lower case. */
  readonly groupBy: string[];
  readonly aggregates: AggregateCall[];
  /** The statement over the groups. */
  readonly sql: string;
}

export interface QueryPlan {
  /** The SQL the query connection runs. */
  readonly sql: string;
  /** Tables read, in order of first mention. */
  readonly tables: PlannedTable[];
  readonly pushdowns: Pushdown[];
  /**
   * Values of the named parameters (`@kalam_k0`, …) that `sql` binds in place of the key literals
   * it pushes down, so that queries differing only in those keys share one prepared statement.
   */
  readonly parameters: Readonly<Record<string, string | number | bigint>>;
  /** The same query over the groups of its one table, when its shape allows (the executor falls back to `sql`). */
  readonly grouped?: GroupedScan | undefined;
  /** The query as one read of its table's primary key, when its shape allows (the executor decides whether it applies). */
  readonly point?: PointLookup | undefined;
}

/** An item of a point lookup's select list: every column (`*`, `q.*`), or one column (`c`, `q.c`, either `AS name`). */
export type PointItem = { readonly kind: 'all' } | { readonly kind: 'column'; readonly column: string; readonly alias: string | undefined };

/**
 * `SELECT <items> FROM ns.t [[AS] a] WHERE pk = <literal>` (or `<literal> = pk`): one row at most,
 * found by one read of the key, as rows.get finds it. The executor answers it by that read when the
 * key's type and the subject allow (see SqlQueries.point); else the plain plan answers, with the
 * same result.
 */
export interface PointLookup {
  readonly table: PlannedTable;
  /** The literal's value: an integer as a bigint, a text, or a decimal number. */
  readonly key: string | number | bigint;
  readonly items: readonly PointItem[];
}

/** A token of the rewritten statement: a table reference becomes one token naming its virtual table. */
type PlanToken = Token | { type: 'table'; text: string; start: number; end: number; table: PlannedTable };

const name = (t: Token): string => (t.type === 'word' ? t.text.toLowerCase() : identifierName(t));
const isName = (t: Token | undefined): t is Token => t !== undefined && (t.type === 'word' || t.type === 'ident');
const isDot = (t: Token | PlanToken | undefined) => t?.type === 'punct' && t.text === '.';

/** The virtual table's name in the query connection (quoted). */
export function virtualName(label: string): string {
  return `"${label.replaceAll('"', '""')}"`;
}

/**
 * Rewrites a query for the query connection: every `namespace.table` becomes the quoted name of
 * its virtual table (so no ATTACH is needed: SQLite allows only ten), a namespace's unknown table
 * is UNKNOWN_TABLE at its position, and a single-table level's WHERE conjuncts on the primary key
 * (`id = 5`, `id BETWEEN 1 AND 9`, `id >= 'a'`, with literals) are added as constraints on the
 * table's hidden key parameters (`AND t._pk_eq = 5`), which turn the scan into a key lookup or a
 * key range. The user's own predicate stays, so the result is the same either way.
 */
export function planQuery(tokens: readonly Token[], catalog: PlannerCatalog, source = ''): QueryPlan {
  const { out, tables } = withTables(tokens, catalog);
  const pushdowns: Pushdown[] = [];
  const grouped = groupedScan(out, source);
  // A statement with parameters of its own keeps its literals (their numbering must not move).
  const bind = out.some((t) => t.type === 'param') ? undefined : { values: {}, tokens: new Map<PlanToken, string>() };
  const inserts = pushDown(out, pushdowns, bind);
  return { sql: render(out, source, inserts, bind?.tokens), tables, pushdowns, parameters: bind?.values ?? {}, grouped, point: pointLookup(out) };
}

/** The point lookup a query is (see PointLookup), planned alone: what answering it in place needs, and no more. */
export function planPointLookup(tokens: readonly Token[], catalog: PlannerCatalog): PointLookup | undefined {
  // Most other queries are told apart before any table is looked up.
  return flatSelect(tokens) ? pointLookup(withTables(tokens, catalog).out) : undefined;
}

/** A SELECT without parentheses (no calls, no subqueries) and without parameters of its own. */
function flatSelect(tokens: readonly (Token | PlanToken)[]): boolean {
  return isKeyword(tokens[0] as Token, 'SELECT') && !tokens.some((t) => t.type === 'param' || (t.type === 'punct' && (t.text === '(' || t.text === ')')));
}

/** The statement with each `namespace.table` as one token naming its table, and the tables in order of first mention. */
function withTables(tokens: readonly Token[], catalog: PlannerCatalog): { out: PlanToken[]; tables: PlannedTable[] } {
  const out: PlanToken[] = [];
  const tables: PlannedTable[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const dot = tokens[i + 1];
    const second = tokens[i + 2];
    const inFrom = ['FROM', 'JOIN', 'INTO', 'UPDATE'].some((k) => isKeyword(tokens[i - 1], k));
    const qualified = isName(t) && isDot(dot) && isName(second) && !isDot(tokens[i - 1]);
    // In FROM, `a.b` names a table: one that exists has a namespace (no second lookup).
    const known = qualified && inFrom ? catalog.table(name(t), name(second)) : undefined;
    if (qualified && !known && inFrom && !isDot(tokens[i + 3]) && !catalog.isNamespace(name(t))) {
      throw new SqlStatementError('UNKNOWN_TABLE', `no namespace ${name(t)} (for ${name(t)}.${name(second)})`, t.start, second.end);
    }
    if (qualified && (known || catalog.isNamespace(name(t)))) {
      const table = known ?? catalog.table(name(t), name(second));
      if (!table) {
        // A column of an alias named like a namespace is left to SQLite; a table name in FROM is ours.
        if (inFrom) {
          throw new SqlStatementError('UNKNOWN_TABLE', `no table ${name(t)}.${name(second)}`, t.start, second.end);
        }
        out.push(t);
        continue;
      }
      if (!tables.includes(table)) tables.push(table);
      out.push({ type: 'table', text: virtualName(table.label), start: t.start, end: second.end, table });
      i += 2;
      continue;
    }
    out.push(t);
  }
  return { out, tables };
}

/**
 * The point lookup a statement is, or undefined for any other shape: no parentheses (no calls, no
 * subqueries), one data table with a primary key, a select list of columns and stars only, and a
 * WHERE clause that is exactly one equality of the key and a literal.
 */
function pointLookup(tokens: readonly PlanToken[]): PointLookup | undefined {
  if (!flatSelect(tokens)) return undefined;
  const at = tokens.findIndex((t) => t.type === 'table');
  const tableToken = tokens[at];
  if (tableToken?.type !== 'table' || tokens.some((t, i) => i !== at && t.type === 'table') || !isKeyword(tokens[at - 1] as Token, 'FROM')) return undefined;
  const table = tableToken.table;
  const pk = table.primaryKey;
  if (pk === undefined || (table.kind !== 'shared' && table.kind !== 'user')) return undefined;
  // [AS] alias, then WHERE.
  let w = at + 1;
  const hasAs = isKeyword(tokens[w] as Token, 'AS');
  if (hasAs) w++;
  let qualifier = tableToken.text;
  const a = tokens[w];
  if (a && a.type !== 'table' && isName(a) && !isKeyword(a, 'WHERE')) {
    qualifier = a.text;
    w++;
  } else if (hasAs) return undefined;
  if (!isKeyword(tokens[w] as Token, 'WHERE')) return undefined;
  // With an alias, SQLite knows the table by it alone.
  const constraints = keyConstraints(tokens.slice(w + 1), qualifier, qualifier, pk);
  if (constraints.length !== 1 || constraints[0]![0] !== '_pk_eq') return undefined;
  const key = literalValue(constraints[0]![1].text);
  if (key === undefined) return undefined;
  // The select list: items between commas.
  const items: PointItem[] = [];
  let item: PlanToken[] = [];
  const qualified = (t: PlanToken | undefined) => t !== undefined && t.text === qualifier && (t.type === 'table' || isName(t));
  for (let i = 1; i <= at - 1; i++) {
    const t = tokens[i]!;
    if (i < at - 1 && !(t.type === 'punct' && t.text === ',')) {
      item.push(t);
      continue;
    }
    // A column or star, optionally qualified: [q .] (c | *) [AS name].
    let j = item.length >= 3 && qualified(item[0]) && isDot(item[1]) ? 2 : 0;
    const head = item[j];
    if (head?.type === 'op' && head.text === '*' && j + 1 === item.length) items.push({ kind: 'all' });
    else if (head && head.type !== 'table' && isName(head) && (head.type === 'ident' || !isKeyword(head, 'AS'))) {
      j++;
      let alias: string | undefined;
      if (j < item.length) {
        const named = item[j + 1];
        if (!isKeyword(item[j] as Token, 'AS') || j + 2 !== item.length || !named || named.type === 'table' || !isName(named)) return undefined;
        alias = identifierName(named);
      }
      items.push({ kind: 'column', column: name(head), alias });
    } else return undefined;
    item = [];
  }
  return items.length > 0 ? { table, key, items } : undefined;
}

/** Key literals bound as parameters: their values by name, and the text that replaces each literal token. */
interface Binding {
  readonly values: Record<string, string | number | bigint>;
  readonly tokens: Map<PlanToken, string>;
}

/**
 * The statement's text: its own text between its tokens (SQLite names result columns after it:
 * "count(*)"), a space where the executor put tokens of its own (they have no span).
 */
function render(
  out: readonly PlanToken[],
  source: string,
  inserts: ReadonlyMap<number, string> = new Map(),
  replaced: ReadonlyMap<PlanToken, string> = new Map(),
): string {
  let sql = '';
  out.forEach((t, i) => {
    const prev = out[i - 1];
    if (prev) sql += prev.end > prev.start && t.end > t.start && t.start >= prev.end && t.start <= source.length ? source.slice(prev.end, t.start) : ' ';
    sql += replaced.get(t) ?? t.text;
    const extra = inserts.get(i);
    if (extra) sql += ` ${extra}`;
  });
  return sql;
}

const AGGREGATES = new Set<AggregateCall['fn']>(['count', 'sum', 'total', 'avg', 'min', 'max']);
/** SQLite's aggregate functions: a call of one that the scan does not compute keeps the plain plan. */
const ANY_AGGREGATE = new Set<string>([
  ...AGGREGATES,
  'group_concat',
  'string_agg',
  'json_group_array',
  'json_group_object',
  'jsonb_group_array',
  'jsonb_group_object',
  'median',
  'percentile',
  'percentile_cont',
  'percentile_disc',
]);
/** Words that make a statement more than one table's groups (or need the rows themselves). */
const NOT_GROUPED = ['WITH', 'WHERE', 'JOIN', 'OVER', 'FILTER', 'WINDOW', 'UNION', 'EXCEPT', 'INTERSECT', 'DISTINCT', 'COLLATE'];

/**
 * The grouped form of `SELECT … FROM ns.t [[AS] a] [GROUP BY col, …] [HAVING …] [ORDER BY …]
 * [LIMIT …]` whose aggregates are count(*), and count, sum, total, avg, min or max of a plain
 * column; undefined for any other shape (a WHERE, a join, a subquery, a window, DISTINCT, an
 * aggregate of an expression, a GROUP BY expression). Columns it cannot answer (a bare column that
 * is not grouped, SELECT *) make the grouped statement fail to prepare: the executor then runs the
 * plain one, so the rewrite never changes a result, only how fast it comes.
 */
function groupedScan(tokens: readonly PlanToken[], source: string): GroupedScan | undefined {
  if (!isKeyword(tokens[0] as Token, 'SELECT')) return undefined;
  const at = tokens.findIndex((t) => t.type === 'table');
  const table = at > 0 ? (tokens[at] as Extract<PlanToken, { type: 'table' }>).table : undefined;
  if (!table || (table.kind !== 'shared' && table.kind !== 'user') || tokens.some((t, i) => i !== at && t.type === 'table')) return undefined;
  if (tokens.some((t, i) => (i > 0 && isKeyword(t as Token, 'SELECT')) || NOT_GROUPED.some((k) => isKeyword(t as Token, k)))) return undefined;
  if (!isKeyword(tokens[at - 1] as Token, 'FROM')) return undefined;
  // [AS] alias: what a qualified column may start with.
  let i = at + 1;
  if (isKeyword(tokens[i] as Token, 'AS')) i++;
  const qualifiers = [tokens[at]!.text];
  const alias = tokens[i];
  if (alias && alias.type !== 'table' && isName(alias) && !['GROUP', 'HAVING', 'ORDER', 'LIMIT'].some((k) => isKeyword(alias, k))) {
    qualifiers.push(alias.text);
    i++;
  }
  const column = (parts: readonly PlanToken[]): string | undefined => {
    const last = parts[parts.length - 1];
    if (!last || last.type === 'table' || !isName(last)) return undefined;
    if (parts.length === 1) return name(last).toLowerCase();
    return parts.length === 3 && isDot(parts[1]) && qualifiers.includes(parts[0]!.text) ? name(last).toLowerCase() : undefined;
  };
  const groupBy: string[] = [];
  let rest = i;
  if (isKeyword(tokens[rest] as Token, 'GROUP')) {
    if (!isKeyword(tokens[rest + 1] as Token, 'BY')) return undefined;
    let item: PlanToken[] = [];
    for (rest += 2; ; rest++) {
      const t = tokens[rest];
      const end = t === undefined || ['HAVING', 'ORDER', 'LIMIT'].some((k) => isKeyword(t as Token, k));
      if (end || (t.type === 'punct' && t.text === ',')) {
        const c = column(item);
        if (c === undefined) return undefined;
        groupBy.push(c);
        item = [];
        if (end) break;
      } else item.push(t);
    }
  } else if (isKeyword(tokens[rest] as Token, 'HAVING')) return undefined;
  else if (tokens[rest] !== undefined && !['ORDER', 'LIMIT'].some((k) => isKeyword(tokens[rest] as Token, k))) return undefined;

  // Each aggregate call becomes its column of the groups' table; any other aggregate keeps the plain plan.
  const aggregates: AggregateCall[] = [];
  const out: PlanToken[] = [];
  let tableAt = -1;
  for (let j = 0; j < tokens.length; j++) {
    const t = tokens[j]!;
    const open = tokens[j + 1];
    if (t.type === 'word' && open?.type === 'punct' && open.text === '(' && ANY_AGGREGATE.has(t.text.toLowerCase()) && !isDot(tokens[j - 1])) {
      const close = tokens.findIndex((x, k) => k > j && x.type === 'punct' && x.text === ')');
      const args = tokens.slice(j + 2, close);
      const fn = t.text.toLowerCase() as AggregateCall['fn'];
      if (close < 0 || !AGGREGATES.has(fn) || args.some((x) => x.type === 'punct' && x.text === '(')) return undefined;
      const star = args.length === 1 && args[0]!.type === 'op' && args[0]!.text === '*';
      const arg = star ? null : column(args);
      if ((star && fn !== 'count') || arg === undefined) return undefined;
      let index = aggregates.findIndex((a) => a.fn === fn && a.column === arg);
      if (index < 0) index = aggregates.push({ fn, column: arg }) - 1;
      out.push({ type: 'ident', text: `"${aggregateColumn(index)}"`, start: t.start, end: tokens[close]!.end });
      j = close;
      continue;
    }
    // SELECT * (or q.*) would list the groups' columns, not the table's.
    const prev = tokens[j - 1];
    if (
      t.type === 'op' &&
      t.text === '*' &&
      prev &&
      (isKeyword(prev as Token, 'SELECT') || isKeyword(prev as Token, 'ALL') || isDot(prev) || (prev.type === 'punct' && prev.text === ','))
    ) {
      return undefined;
    }
    if (j === at) tableAt = out.length;
    out.push(t);
  }
  if (aggregates.length === 0 && groupBy.length === 0) return undefined;
  const spec = `${groupBy.join(',')}|${aggregates.map((a) => `${a.fn}(${a.column ?? '*'})`).join(',')}`;
  const groups = `${table.label} grouped by ${spec}`;
  out[tableAt] = { ...(out[tableAt] as Extract<PlanToken, { type: 'table' }>), text: virtualName(groups) };
  return { name: groups, table, groupBy, aggregates, sql: render(out, source) };
}

/** The groups' table column holding aggregate call `i`. */
export function aggregateColumn(i: number): string {
  return `__agg${i}`;
}

const CLAUSE_END = ['GROUP', 'ORDER', 'LIMIT', 'HAVING', 'WINDOW', 'UNION', 'EXCEPT', 'INTERSECT', 'RETURNING'];
const FROM_END = ['WHERE', ...CLAUSE_END];
const FLIP: Record<string, string> = { '=': '=', '==': '=', '<': '>', '>': '<', '<=': '>=', '>=': '<=' };
const PARAM: Record<string, string> = { '=': '_pk_eq', '>=': '_pk_ge', '>': '_pk_gt', '<=': '_pk_le', '<': '_pk_lt' };

/**
 * Text to add after token index → (its key constraints), for each single-table level with a WHERE.
 * With `bind`, each key literal becomes a named parameter, in the user's predicate and in the
 * constraint alike.
 */
function pushDown(tokens: readonly PlanToken[], notes: Pushdown[], bind: Binding | undefined): Map<number, string> {
  const inserts = new Map<number, string>();
  const depth: number[] = [];
  let d = 0;
  for (const t of tokens) {
    if (t.type === 'punct' && t.text === ')') d--;
    depth.push(d);
    if (t.type === 'punct' && t.text === '(') d++;
  }
  for (let f = 0; f < tokens.length; f++) {
    if (!isKeyword(tokens[f] as Token, 'FROM')) continue;
    const level = depth[f]!;
    const table = tokens[f + 1];
    if (table?.type !== 'table' || table.table.primaryKey === undefined) continue;
    // [AS] alias, then WHERE: exactly one table at this level.
    let w = f + 2;
    let qualifier = table.text;
    if (isKeyword(tokens[w] as Token, 'AS')) w++;
    const a = tokens[w];
    if (
      a &&
      a.type !== 'table' &&
      isName(a) &&
      !FROM_END.some((k) => isKeyword(a, k)) &&
      !['JOIN', 'LEFT', 'INNER', 'CROSS', 'NATURAL', 'ON'].some((k) => isKeyword(a, k))
    ) {
      qualifier = a.text;
      w++;
    }
    if (!isKeyword(tokens[w] as Token, 'WHERE') || depth[w] !== level) continue;
    // The WHERE clause: up to a clause keyword or the closing parenthesis of this level.
    let end = w + 1;
    while (
      end < tokens.length &&
      !(
        depth[end]! < level ||
        (depth[end] === level && (CLAUSE_END.some((k) => isKeyword(tokens[end] as Token, k)) || (tokens[end]!.type === 'punct' && tokens[end]!.text === ')')))
      )
    )
      end++;
    const clause = tokens.slice(w + 1, end);
    const clauseDepth = depth.slice(w + 1, end);
    if (clause.some((t, i) => clauseDepth[i] === level && isKeyword(t as Token, 'OR'))) continue;
    const constraints: string[] = [];
    for (const conjunct of conjuncts(clause, clauseDepth, level)) {
      for (const [param, value] of keyConstraints(conjunct, table.text, qualifier, table.table.primaryKey)) {
        constraints.push(`${qualifier}.${param} = ${bound(value, bind)}`);
        notes.push({ table: table.table.label, constraint: `${param.slice(1).replace('pk_', 'key ')} ${value.text}` });
      }
    }
    if (constraints.length > 0) inserts.set(end - 1, `AND ${constraints.join(' AND ')}`);
  }
  return inserts;
}

/** A WHERE clause split at its top-level ANDs (a BETWEEN's AND excepted). */
function conjuncts(clause: readonly PlanToken[], depth: readonly number[], level: number): PlanToken[][] {
  const out: PlanToken[][] = [];
  let current: PlanToken[] = [];
  let between = false;
  clause.forEach((t, i) => {
    if (depth[i] === level && isKeyword(t as Token, 'BETWEEN')) between = true;
    if (depth[i] === level && isKeyword(t as Token, 'AND')) {
      if (between) between = false;
      else {
        out.push(current);
        current = [];
        return;
      }
    }
    current.push(t);
  });
  out.push(current);
  return out;
}

/** A literal of one token (or a minus and a number): its text and its tokens. */
interface Literal {
  readonly text: string;
  readonly tokens: readonly PlanToken[];
}

function literal(tokens: readonly PlanToken[]): Literal | undefined {
  if (tokens.length === 1 && (tokens[0]!.type === 'number' || tokens[0]!.type === 'string')) return { text: tokens[0]!.text, tokens };
  if (tokens.length === 2 && tokens[0]!.type === 'op' && tokens[0]!.text === '-' && tokens[1]!.type === 'number')
    return { text: `-${tokens[1]!.text}`, tokens };
  return undefined;
}

/**
 * A literal's value as a parameter binds it with the same meaning: a string, an integer (as a
 * bigint: better-sqlite3 binds every JS number as a REAL) within 2^53, or a plain decimal number
 * that a double holds exactly.
 */
function literalValue(text: string): string | number | bigint | undefined {
  if (text.startsWith("'")) return text.slice(1, -1).replaceAll("''", "'");
  if (!/^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(text)) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n)) return undefined;
  if (!/^-?\d+$/.test(text)) return n;
  return Number.isSafeInteger(n) ? BigInt(n) : undefined;
}

/** A key literal as the constraint names it: a named parameter (replacing the literal in the user's predicate too), or its text. */
function bound(value: Literal, bind: Binding | undefined): string {
  if (!bind) return value.text;
  const v = literalValue(value.text);
  if (v === undefined) return value.text;
  const existing = bind.tokens.get(value.tokens[value.tokens.length - 1]!);
  if (existing !== undefined) return existing;
  const name = `@kalam_k${Object.keys(bind.values).length}`;
  bind.values[name.slice(1)] = v;
  // The parameter replaces the number token; a minus sign before it goes.
  value.tokens.forEach((t, i) => bind.tokens.set(t, i === value.tokens.length - 1 ? name : ''));
  return name;
}

/** Whether the tokens are the key column: `pk`, `q.pk` or `"ns.t".pk`. */
function isKeyColumn(tokens: readonly PlanToken[], tableText: string, qualifier: string, pk: string): boolean {
  const last = tokens[tokens.length - 1];
  if (!last || last.type === 'table' || !isName(last) || name(last) !== pk) return false;
  if (tokens.length === 1) return true;
  return tokens.length === 3 && isDot(tokens[1]) && (tokens[0]!.text === qualifier || tokens[0]!.text === tableText);
}

function keyConstraints(conjunct: readonly PlanToken[], tableText: string, qualifier: string, pk: string): [string, Literal][] {
  const between = conjunct.findIndex((t) => isKeyword(t as Token, 'BETWEEN'));
  if (between > 0) {
    const and = conjunct.findIndex((t, i) => i > between && isKeyword(t as Token, 'AND'));
    const lo = literal(conjunct.slice(between + 1, and));
    const hi = literal(conjunct.slice(and + 1));
    if (and > 0 && lo !== undefined && hi !== undefined && isKeyColumn(conjunct.slice(0, between), tableText, qualifier, pk)) {
      return [
        ['_pk_ge', lo],
        ['_pk_le', hi],
      ];
    }
    return [];
  }
  const op = conjunct.findIndex((t) => t.type === 'op' && FLIP[t.text] !== undefined);
  if (op <= 0) return [];
  const left = conjunct.slice(0, op);
  const right = conjunct.slice(op + 1);
  const sign = conjunct[op]!.text;
  if (isKeyColumn(left, tableText, qualifier, pk)) {
    const v = literal(right);
    return v === undefined ? [] : [[PARAM[FLIP[FLIP[sign]!]!]!, v]];
  }
  if (isKeyColumn(right, tableText, qualifier, pk)) {
    const v = literal(left);
    return v === undefined ? [] : [[PARAM[FLIP[sign]!]!, v]];
  }
  return [];
}
