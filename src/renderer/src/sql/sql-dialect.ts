import { PostgreSQL, SQLDialect } from '@codemirror/lang-sql';

/**
 * KalamDB's statements beyond standard SQL (its SQL reference: namespaces, table types and options,
 * jobs, introspection, impersonation, live queries), for highlighting and keyword completion.
 */
const KALAM_KEYWORDS = [
  'namespace namespaces cascade shared stream storage storages storage_id flush_policy ttl_seconds access_level',
  'flush compact backup restore database all tables in',
  'show describe stats explain analyze',
  'execute as user users subscribe to live kill',
].join(' ');

/** Functions offered by completion: SQLite's (the engine runs queries on SQLite) aggregate, window, text, number, JSON and date functions. */
const FUNCTIONS = [
  'count sum avg min max total group_concat string_agg',
  'row_number rank dense_rank ntile lag lead first_value last_value nth_value',
  'coalesce nullif ifnull iif lower upper length substr substring trim ltrim rtrim replace instr printf format concat',
  'abs round floor ceil ceiling sign random',
  'json_extract json_array json_object json_group_array json_group_object',
  'date time datetime julianday strftime unixepoch',
].join(' ');

/** Column types of data tables (src/shared/browse.ts) and the usual SQL ones. */
const TYPES = 'text integer double boolean timestamp json bytes bigint int real float varchar blob';

/** KalamDB's dialect: PostgreSQL's lexical rules (the issue: where KalamDB is silent, follow PostgreSQL) and words. */
export const kalamDialect = SQLDialect.define({
  ...PostgreSQL.spec,
  keywords: `${PostgreSQL.spec.keywords ?? ''} ${KALAM_KEYWORDS}`,
  builtin: FUNCTIONS,
  types: TYPES,
});
