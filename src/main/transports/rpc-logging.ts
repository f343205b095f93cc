import { ORPCError } from '@orpc/server';
import type { Logger } from '../app/logger';

/**
 * Logs a procedure failure. Expected, typed errors (validation, not found, conflicts, …) are part
 * of the contract and only noted at debug level; anything else is a bug or an I/O failure, which
 * the client sees as an opaque INTERNAL_SERVER_ERROR, so the log is the only place it shows.
 */
export function logRpcError(logger: Logger, transport: string, error: unknown): void {
  if (error instanceof ORPCError && error.status < 500) {
    logger.debug('rpc error', { transport, code: error.code, message: error.message });
    return;
  }
  logger.error('rpc failure', { transport, error });
}
