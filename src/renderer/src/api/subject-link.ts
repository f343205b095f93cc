import type { ClientContext, ClientLink, ClientOptions } from '@orpc/client';
import type { ViewAs } from '../../../shared/contract';

/**
 * Every call carries the subject the window views as: the link adds `as` to every input (each
 * procedure takes it: src/shared/contract/common.ts), so no screen can forget it. A call that names
 * its own `as` (staged edits keep the subject they were made as) is left alone.
 */
export class SubjectLink<T extends ClientContext> implements ClientLink<T> {
  constructor(
    private readonly inner: ClientLink<T>,
    private readonly subject: () => ViewAs | undefined,
  ) {}

  call(path: readonly string[], input: unknown, options: ClientOptions<T>): Promise<unknown> {
    return this.inner.call(path, withSubject(input, this.subject()), options);
  }
}

/** The input with `as` added (an absent input becomes `{ as }`); the admin (undefined) adds nothing. */
export function withSubject(input: unknown, as: ViewAs | undefined): unknown {
  if (as === undefined) return input;
  if (input === undefined) return { as };
  if (typeof input !== 'object' || input === null || Array.isArray(input) || 'as' in input) return input;
  return { ...input, as };
}
