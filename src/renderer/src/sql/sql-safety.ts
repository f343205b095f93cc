import type { SubjectRights } from '../../../shared/contract';
import { tokenize, type Token } from './sql-text';

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
  /** The user named by `EXECUTE AS USER '<name>' (…)`. */
  readonly executeAs?: string;
}

const READS = new Set(['SELECT', 'SHOW', 'DESCRIBE', 'DESC', 'EXPLAIN', 'SUBSCRIBE', 'VALUES', 'TABLE']);
const CONTROL = new Set(['BEGIN', 'COMMIT', 'ROLLBACK', 'START', 'END']);
const ROW_WRITES = new Set(['INSERT', 'UPDATE', 'DELETE']);
const SCHEMA = new Set(['CREATE', 'ALTER', 'DROP']);
const WRITING_JOBS = new Set(['FLUSH', 'COMPACT', 'RESTORE']);

const isWord = (t: Token | undefined, value: string) => t?.kind === 'word' && t.value === value;

/** `EXECUTE AS USER '<name>' ( … )`: the name and the tokens of the inner statement, else undefined. */
function executeAs(tokens: readonly Token[]): { name: string; inner: Token[] } | undefined {
  const [execute, as, user, name, open] = tokens;
  if (!isWord(execute, 'EXECUTE') || !isWord(as, 'AS') || !isWord(user, 'USER') || name?.kind !== 'string') return undefined;
  if (open?.kind !== 'symbol' || open.value !== '(') return { name: name.value, inner: [] };
  const inner = tokens.slice(5).filter((t) => t.depth >= 1);
  // The inner statement's own top level is depth 1; drop the closing parenthesis of the wrapper.
  const last = inner.at(-1);
  const body = last?.kind === 'symbol' && last.value === ')' && last.depth === 0 ? inner.slice(0, -1) : inner;
  return { name: name.value, inner: body.map((t) => ({ ...t, depth: t.depth - 1 })) };
}

function classifyTokens(tokens: readonly Token[]): StatementSafety {
  const wrapped = executeAs(tokens);
  if (wrapped) return { ...classifyTokens(wrapped.inner), executeAs: wrapped.name };
  const first = tokens[0];
  const keyword = first?.kind === 'word' ? first.value : '';
  const topLevel = tokens.filter((t) => t.depth === 0);
  const has = (word: string) => topLevel.some((t) => isWord(t, word));

  if (keyword === 'WITH') {
    // A CTE ends in the statement that uses it: a write when that is one (PostgreSQL's data-modifying WITH).
    const write = topLevel.slice(1).find((t) => t.kind === 'word' && ROW_WRITES.has(t.value));
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
  return classifyTokens(tokenize(sql));
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
    const reason = refusal({ write, ...(safety.right && safety.executeAs === undefined ? { right: safety.right } : {}) });
    if (reason !== undefined && (write || safety.right)) return { refused: { statement, reason }, confirm };
    if (safety.confirm) confirm.push({ statement, reason: safety.confirm });
  }
  return { confirm };
}
