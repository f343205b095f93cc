import type { Completion } from '@codemirror/autocomplete';
import type { SQLNamespace } from '@codemirror/lang-sql';
import type { ColumnInfo } from '../../../shared/browse';
import type { TableSummary } from '../../../shared/contract';
import { identifierName, type Token } from '../../../shared/sql/sql-lexer';
import { tokensOf } from './sql-text';

/** The tables a text names as `namespace.table` (in the catalog's spelling), in order of first mention. */
export function referencedTables(text: string, tables: readonly Pick<TableSummary, 'table'>[]): string[] {
  const byLower = new Map(tables.map((t) => [t.table.toLowerCase(), t.table]));
  const tokens = tokensOf(text);
  const found = new Set<string>();
  for (let i = 0; i + 2 < tokens.length; i += 1) {
    const [a, dot, b] = [tokens[i]!, tokens[i + 1]!, tokens[i + 2]!];
    if (dot.type !== 'punct' || dot.text !== '.' || !isName(a) || !isName(b)) continue;
    const name = byLower.get(`${identifierName(a)}.${identifierName(b)}`.toLowerCase());
    if (name) found.add(name);
  }
  return [...found];
}

const isName = (t: Token) => t.type === 'word' || t.type === 'ident';

function columnCompletion(c: ColumnInfo): Completion {
  return { label: c.name, type: 'property', detail: c.primaryKey ? `${c.type}, key` : c.type };
}

/**
 * The schema completion offers: namespaces, their tables (`ns.` completes tables, `ns.t.` and a
 * table's alias complete its columns). Columns are known for the tables in `columns` (those the
 * editor's text names, described on demand).
 */
export function completionSchema(tables: readonly TableSummary[], columns: ReadonlyMap<string, readonly ColumnInfo[]>): SQLNamespace {
  const namespaces: Record<string, Record<string, SQLNamespace>> = {};
  for (const t of tables) {
    const children = (namespaces[t.namespace] ??= {});
    children[t.name] = {
      self: { label: t.name, type: 'type', detail: `${t.kind} table` },
      children: (columns.get(t.table) ?? []).map(columnCompletion),
    };
  }
  const schema: Record<string, SQLNamespace> = {};
  for (const [namespace, children] of Object.entries(namespaces)) {
    schema[namespace] = { self: { label: namespace, type: 'namespace', detail: 'namespace' }, children };
  }
  return schema;
}

/** Completions of the columns of the tables a statement names, for a bare (unqualified) name. */
export function statementColumns(statement: string, tables: readonly TableSummary[], columns: ReadonlyMap<string, readonly ColumnInfo[]>): Completion[] {
  const seen = new Set<string>();
  const out: Completion[] = [];
  for (const table of referencedTables(statement, tables)) {
    for (const c of columns.get(table) ?? []) {
      if (seen.has(c.name)) continue;
      seen.add(c.name);
      out.push({ ...columnCompletion(c), detail: `${table}, ${c.type}`, boost: 1 });
    }
  }
  return out;
}
