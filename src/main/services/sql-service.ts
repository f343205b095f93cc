import { decodeCursor } from '../engine/store/cursor';
import type { ServiceDeps } from './deps';
import { contractError } from './errors';
import { impl } from './implementer';

/** The SQL console's procedures (the engine lands in the next commits; the contract comes first for the console UI). */
export function sqlService(_deps: ServiceDeps) {
  return {
    run: impl.sql.run.handler(({ input }) => ({
      outcomes: [],
      error: {
        code: 'NOT_SUPPORTED' as const,
        message: 'the SQL engine is not built yet',
        statement: 0,
        position: { line: 1, column: 1, offset: 0, length: input.script.length },
      },
    })),
    page: impl.sql.page.handler(({ input }) => {
      decodeCursor('sql', input.cursor);
      throw contractError('NOT_FOUND', 'this result is closed: run the statement again');
    }),
    close: impl.sql.close.handler(() => ({ closed: false })),
    cancel: impl.sql.cancel.handler(() => ({ cancelled: false })),
  };
}
