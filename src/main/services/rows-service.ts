import type { BrowseRequest } from '../../shared/browse';
import { ValidationError } from '../engine/errors';
import { decodeCursor } from '../engine/store/cursor';
import type { SystemCatalog, SystemTableEntry } from './catalog';
import type { ServiceDeps } from './deps';
import { asInput, validationError } from './errors';
import { impl } from './implementer';

const LONE_SURROGATE = /\p{Cs}/u;

/** Checks what the engine would only find mid-scan; fields are paths into the procedure input. */
function checkRequest(catalog: SystemCatalog, entry: SystemTableEntry, request: BrowseRequest): void {
  if (request.seek !== undefined) catalog.encodeKey(entry, request.seek, 'request.seek');
  if (request.cursor !== undefined) {
    const cursor = request.cursor;
    asInput('request.cursor', () => decodeCursor(cursor));
  }
  request.filters?.forEach((f, i) => {
    if (typeof f.value === 'string' && LONE_SURROGATE.test(f.value)) {
      throw validationError([{ field: `request.filters.${i}.value`, message: 'must be well-formed Unicode (no lone surrogates)' }]);
    }
  });
}

export function rowsService({ catalog }: ServiceDeps) {
  return {
    page: impl.rows.page.handler(({ input, context }) => {
      const entry = catalog.readable(input.table, context.subject);
      checkRequest(catalog, entry, input.request);
      try {
        return entry.provider.browse(context.subject, input.request);
      } catch (e) {
        if (e instanceof ValidationError) throw validationError(e.issues.map((i) => ({ ...i, field: i.field ? `request.${i.field}` : 'request' })));
        throw e;
      }
    }),
    count: impl.rows.count.handler(({ input, context }) => {
      const entry = catalog.readable(input.table, context.subject);
      const count = entry.provider.count(context.subject, input.cap);
      return { count, capped: input.cap !== undefined && count >= input.cap };
    }),
    get: impl.rows.get.handler(({ input, context }) => catalog.versionedRow(catalog.readable(input.table, context.subject), input.key, context.subject)),
  };
}
