import { z } from 'zod';
import { ruleCheck } from './rule-check';

/**
 * Rows and forms are plain objects keyed by column or field name, so a name that every object
 * answers to (constructor, toString, __proto__, …) must be read as the object's own property
 * only: `row[name]` on a row that lacks the column reads the inherited property (a function).
 */
export function ownValue(values: object, name: string): unknown {
  return Object.hasOwn(values, name) ? (values as Record<string, unknown>)[name] : undefined;
}

/**
 * The first reason `value` is not an object of values keyed by name, or undefined: a plain object,
 * whose keys do not include "__proto__" (JSON.parse makes it an own key, but any copy by
 * assignment, zod's included, turns it into the copy's prototype: the value would vanish, or
 * worse, be inherited by every name).
 */
export function namedValuesProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'must be an object of values by name';
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return 'must be a plain object of values by name';
  if (Object.hasOwn(value, '__proto__')) return '"__proto__" is not a name: JavaScript reserves it';
  return undefined;
}

/** Values by column or field name, kept as given (their own rules are checked in the main process). */
export const NamedValuesSchema = z.unknown().check(ruleCheck(namedValuesProblem)) as z.ZodType<Record<string, unknown>, Record<string, unknown>>;
