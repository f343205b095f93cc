import { z } from 'zod';
import { type RuleProblem, ruleCheck } from './rule-check';

/**
 * How deeply arrays and objects may nest in a stored JSON value (a json column, a column default,
 * namespace options). Deeper values break what reads them later: SQLite's JSON functions stop at
 * 1000 levels ("malformed JSON" in every flush), and the recursive serializers and validators of
 * the transports and zod run out of stack at a couple of thousand.
 */
export const MAX_JSON_DEPTH = 64;

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

const describe = (v: unknown): string => (v === undefined ? 'undefined' : typeof v === 'number' ? String(v) : `a ${typeof v}`);

/**
 * The first reason `value` is not a plain JSON value of at most `maxDepth` nested arrays and
 * objects, or undefined. Iterative, so a value nested far too deep is refused without running out
 * of stack. `__proto__` is refused as a key: JSON.parse makes it an own key, but every copy by
 * assignment (zod's among them) turns it into the copy's prototype and the data is lost.
 */
export function jsonValueProblem(value: unknown, maxDepth = MAX_JSON_DEPTH): string | undefined {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v === 'string' || typeof v === 'boolean') continue;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return `must be a JSON value (${v} is not a finite number)`;
      continue;
    }
    if (typeof v !== 'object') return `must be a JSON value, got ${describe(v)}`;
    if (depth >= maxDepth) return `nests arrays and objects more than ${maxDepth} levels deep (the limit of a JSON value)`;
    if (Array.isArray(v)) {
      for (const item of v as unknown[]) stack.push([item, depth + 1]);
      continue;
    }
    const proto: unknown = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return 'must be a JSON value (plain objects and arrays only)';
    for (const key of Object.keys(v)) {
      if (key === '__proto__') return 'must not use "__proto__" as an object key (JavaScript reserves it)';
      stack.push([(v as Record<string, unknown>)[key], depth + 1]);
    }
  }
  return undefined;
}

/** Any JSON value within MAX_JSON_DEPTH (null included); the value is kept as given, not copied. */
export const JsonValueSchema = z.unknown().check(ruleCheck(jsonValueProblem)) as z.ZodType<JsonValue, JsonValue>;

/** An object of JSON values (e.g. namespace options), each within MAX_JSON_DEPTH; problems are named by key. */
export const JsonObjectSchema = z.unknown().check(
  ruleCheck((v): string | RuleProblem[] | undefined => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'must be an object of JSON values';
    const proto: unknown = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return 'must be an object of JSON values';
    const problems: RuleProblem[] = [];
    for (const [key, value] of Object.entries(v)) {
      const message = key === '__proto__' ? 'must not be used as a key (JavaScript reserves it)' : jsonValueProblem(value);
      if (message !== undefined) problems.push({ path: [key], message });
    }
    return problems;
  }),
) as z.ZodType<Record<string, JsonValue>, Record<string, JsonValue>>;

/** Whether arrays and objects in `value` nest more than `maxDepth` levels (any leaves; iterative). */
export function deeperThan(value: unknown, maxDepth: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= maxDepth) return true;
    for (const item of Array.isArray(v) ? (v as unknown[]) : Object.values(v)) stack.push([item, depth + 1]);
  }
  return false;
}
