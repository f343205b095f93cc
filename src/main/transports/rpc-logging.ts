import { ORPCError } from '@orpc/server';
import type { Logger } from '../../shared/logger';

/** Kinds of malformed request already logged, per log. */
const seenMalformed = new WeakMap<Logger, Set<string>>();

/** Longest part of a malformed request's error message that reaches the log (it may quote the request). */
const MAX_DETAIL = 200;

/**
 * Logs a procedure failure. Typed contract errors are noted at debug level when they are the
 * caller's (validation, not found, conflicts, …), at error level when they are the app's (stored
 * data that cannot be read, a full disk), without a stack either way. A malformed request says
 * nothing about the app: one the transport could not decode (oRPC answers it 400 "Malformed
 * request"; every error a procedure throws leaves it as a contract error or INTERNAL_SERVER_ERROR,
 * so a plain error here is the decoder's), or one oRPC refuses by method or size. It is logged once
 * per kind and log, as a warning without a stack, so a client sending thousands cannot fill the
 * log. Anything else is a bug or an I/O failure, which the client sees as an opaque
 * INTERNAL_SERVER_ERROR, so the log is the only place it shows, with its stack.
 */
export function logRpcError(logger: Logger, transport: string, error: unknown): void {
  if (error instanceof ORPCError && error.defined) {
    const fields = { transport, code: String(error.code), message: error.message };
    if (error.status < 500) logger.debug('rpc error', fields);
    else logger.error('rpc error', fields);
    return;
  }
  if (error instanceof ORPCError && error.status >= 500) {
    logger.error('rpc failure', { transport, error });
    return;
  }
  const malformed = error instanceof ORPCError ? String(error.code) : error instanceof Error ? error.name : typeof error;
  const kind = `${transport} ${malformed}`;
  let seen = seenMalformed.get(logger);
  if (!seen) seenMalformed.set(logger, (seen = new Set()));
  if (seen.has(kind)) return;
  seen.add(kind);
  const detail = (error instanceof Error ? error.message : String(error)).slice(0, MAX_DETAIL);
  logger.warn('malformed request (later ones of this kind are not logged)', { transport, kind: malformed, detail });
}
