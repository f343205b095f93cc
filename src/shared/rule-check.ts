import type { z } from 'zod';

/** A rule a value breaks: where, relative to the checked value (the value itself when absent), and what. */
export interface RuleProblem {
  readonly path?: readonly (string | number)[];
  readonly message: string;
}

/**
 * A zod check made from a plain function that returns what is wrong with a value: one message,
 * a list of problems, or nothing. Use it instead of superRefine on anything validated per write:
 * superRefine allocates an `addIssue` closure on every parse and adds it to the parse payload,
 * which changes the payload's shape for every schema after it; a user record validated in
 * 1.6 µs with two superRefine'd ids, and in 0.5 µs with these checks (bench/engine.ts).
 */
export function ruleCheck<T>(find: (value: T) => string | readonly RuleProblem[] | undefined): z.core.CheckFn<T> {
  return (payload) => {
    const found = find(payload.value);
    if (found === undefined) return;
    // continue: true, as superRefine's issues: the value's other rules still run and report.
    if (typeof found === 'string') {
      payload.issues.push({ code: 'custom', message: found, input: payload.value, continue: true });
      return;
    }
    for (const p of found) {
      payload.issues.push({ code: 'custom', message: p.message, path: p.path ? [...p.path] : [], input: payload.value, continue: true });
    }
  };
}

/** Length in code points, as zod's max counts it (an emoji is one character, not two). */
function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++, n++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
  }
  return n;
}

/**
 * All rules of a string in one zod check: at most `maxLength` characters, then `problem`. Every
 * zod check costs a round through zod's check loop on each parse, and ids are validated on every
 * write; `maxLength` still reaches the schema (forms read it) through zod's check bag.
 */
export function stringRules(maxLength: number, problem: (s: string) => string | undefined): z.core.$ZodCheck<string> {
  const tooLong = `must be at most ${maxLength} characters`;
  return {
    _zod: {
      def: { check: 'custom' },
      check: ruleCheck((s: string) => (s.length > maxLength && codePoints(s) > maxLength ? tooLong : problem(s))),
      onattach: [
        (schema) => {
          const bag = schema._zod.bag as { maximum?: number };
          if (bag.maximum === undefined || maxLength < bag.maximum) bag.maximum = maxLength;
        },
      ],
    },
  };
}
