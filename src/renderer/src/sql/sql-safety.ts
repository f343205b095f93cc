import type { SubjectRights } from '../../../shared/contract';
import { identifierName, isKeyword, type Token } from '../../../shared/sql/sql-lexer';
import { tokensOf, withDepth } from './sql-text';

/**
 * What a statement does, read from its tokens before it is sent (the engine decides for real):
 * - `read`: queries, introspection, EXPLAIN, SUBSCRIBE and BACKUP (which only reads);
 * - `write`: row writes, schema changes and the jobs that write (flush, compact, restore);
 * - `control`: BEGIN, COMMIT, ROLLBACK;
 * - `unknown`: not a statement the console knows; the engine will say why.
 */
export type Effect = 'read' | 'write' | 'control' | 'unknown';

export interface StatementSafety {
  /** The statement's first keyword (of the inner statement of EXECUTE AS), e.g. "DELETE". */
  readonly keyword: string;
  readonly effect: Effect;
  /** The subject's right it needs beyond reading and writing rows (engine.info's rights). */
  readonly right?: keyof SubjectRights;
  /** Why it asks for confirmation before it runs (Safe Mode), or undefined. */
  readonly confirm?: string;
  /** The user named by `EXECUTE AS USER <name> (…)`. */
  readonly executeAs?: string;
}

const READS = new Set(['SELECT', 'VALUES', 'SHOW', 'DESCRIBE', 'DESC', 'EXPLAIN', 'SUBSCRIBE']);
const CONTROL = new Set(['BEGIN', 'START', 'COMMIT', 'END', 'ROLLBACK']);
const ROW_WRITES = new Set(['INSERT', 'UPDATE', 'DELETE']);
const SCHEMA = new Set(['CREATE', 'ALTER']);
/** Jobs that write; STORAGE FLUSH / STORAGE COMPACT are KalamDB's spelling of the first two. */
const WRITING_JOBS = new Set(['FLUSH', 'COMPACT', 'STORAGE']);

/** `EXECUTE AS USER <name> ( … )`: the user and the tokens of the inner statement, else undefined. */
function executeAs(tokens: readonly Token[]): { user: string; inner: Token[] } | undefined {
  const [execute, as, user, name, open] = tokens;
  if (!isKeyword(execute, 'EXECUTE') || !isKeyword(as, 'AS') || !isKeyword(user, 'USER') || !name) return undefined;
  const userName = name.type === 'string' ? name.text.slice(1, -1).replaceAll("''", "'") : identifierName(name);
  if (open?.type !== 'punct' || open.text !== '(') return { user: userName, inner: [] };
  const last = tokens.at(-1);
  const inner = tokens.slice(5, last?.type === 'punct' && last.text === ')' && tokens.length > 5 ? -1 : undefined);
  return { user: userName, inner: inner.at(-1)?.text === ';' ? inner.slice(0, -1) : inner };
}

function classifyTokens(tokens: readonly Token[]): StatementSafety {
  const wrapped = executeAs(tokens);
  if (wrapped) return { ...classifyTokens(wrapped.inner), executeAs: wrapped.user };
  const first = tokens[0];
  const keyword = first?.type === 'word' ? first.text.toUpperCase() : '';
  const topLevel = withDepth(tokens)
    .filter((t) => t.depth === 0)
    .map((t) => t.token);
  const has = (word: string) => topLevel.some((t) => isKeyword(t, word));

  if (keyword === 'WITH') {
    // A CTE ends in the statement that uses it: a write when that is one (PostgreSQL's data-modifying WITH).
    const write = topLevel.slice(1).find((t) => t.type === 'word' && ROW_WRITES.has(t.text.toUpperCase()));
    return write ? classifyTokens(tokens.slice(tokens.indexOf(write))) : { keyword, effect: 'read' };
  }
  if (READS.has(keyword)) return { keyword, effect: 'read' };
  if (keyword === 'BACKUP') return { keyword, effect: 'read', right: 'manageJobs' };
  if (CONTROL.has(keyword)) return { keyword, effect: 'control' };
  if (keyword === 'INSERT') return { keyword, effect: 'write' };
  if (keyword === 'UPDATE' || keyword === 'DELETE') {
    return has('WHERE') ? { keyword, effect: 'write' } : { keyword, effect: 'write', confirm: `${keyword} without WHERE changes every row of the table.` };
  }
  if (keyword === 'DROP') return { keyword, effect: 'write', right: 'changeSchema', confirm: 'DROP deletes the object and everything in it.' };
  if (SCHEMA.has(keyword)) return { keyword, effect: 'write', right: 'changeSchema' };
  if (keyword === 'RESTORE') {
    return { keyword, effect: 'write', right: 'manageJobs', confirm: 'RESTORE replaces every table of the database with the backup.' };
  }
  if (WRITING_JOBS.has(keyword)) return { keyword, effect: 'write', right: 'manageJobs' };
  return { keyword, effect: 'unknown' };
}

/** What one statement does, and whether it needs a confirmation. */
export function classifyStatement(sql: string): StatementSafety {
  return classifyTokens(tokensOf(sql));
}

/** The things a run refuses or asks about, before anything is sent. */
export interface RunCheck {
  /** Why the run is refused (the first statement refused, with the reason), or undefined. */
  readonly refused?: { readonly statement: string; readonly reason: string };
  /** The statements that ask for confirmation, with why. */
  readonly confirm: readonly { readonly statement: string; readonly reason: string }[];
}

/**
 * Checks a run before it is sent: a write in read-only mode, or a statement needing a right the
 * subject lacks, refuses the whole run (nothing is sent); dangerous statements ask first.
 * `refusal` is the app's gate (app/gates.ts) for a need. A statement under EXECUTE AS runs with
 * another subject's rights: only read-only mode is checked for it here.
 */
export function checkRun(statements: readonly string[], refusal: (need: { write?: boolean; right?: keyof SubjectRights }) => string | undefined): RunCheck {
  const confirm: { statement: string; reason: string }[] = [];
  for (const statement of statements) {
    const safety = classifyStatement(statement);
    const write = safety.effect === 'write';
    const right = safety.executeAs === undefined ? safety.right : undefined;
    if (write || right) {
      const reason = refusal({ write, ...(right ? { right } : {}) });
      if (reason !== undefined) return { refused: { statement, reason }, confirm };
    }
    if (safety.confirm) confirm.push({ statement, reason: safety.confirm });
  }
  return { confirm };
}
