import type { BrowseRequest } from '../../shared/browse';
import type { Subject } from '../engine/access/subject';
import { NotFoundError, ValidationError } from '../engine/errors';
import type { TableProvider } from '../engine/provider/table-provider';
import type { DataTableEntry } from './data-catalog';
import { dataRowWriter } from './data-rows';
import type { ServiceDeps } from './deps';
import { asInput, validationError } from './errors';
import { impl } from './implementer';

const LONE_SURROGATE = /\p{Cs}/u;

/** Checks what the engine would only find mid-scan; fields are paths into the procedure input (a bad cursor is refused before any scan). */
function checkRequest(encodeKey: (text: string) => unknown, request: BrowseRequest): void {
  if (request.seek !== undefined) {
    const seek = request.seek;
    asInput('request.seek', () => encodeKey(seek));
  }
  if (request.search && LONE_SURROGATE.test(request.search.text)) {
    throw validationError([{ field: 'request.search.text', message: 'must be well-formed Unicode (no lone surrogates)' }]);
  }
  request.filters?.forEach((f, i) => {
    const texts: [string, unknown][] = [['value', f.value], ['to', f.to], ...(f.values ?? []).map((v, j): [string, unknown] => [`values.${j}`, v])];
    for (const [field, v] of texts) {
      if (typeof v === 'string' && LONE_SURROGATE.test(v)) {
        throw validationError([{ field: `request.filters.${i}.${field}`, message: 'must be well-formed Unicode (no lone surrogates)' }]);
      }
    }
  });
}

/** Runs `work` on the browse request, its ValidationError fields made paths of the procedure input ("request.cursor"). */
function inRequest<T>(work: () => T): T {
  try {
    return work();
  } catch (e) {
    if (e instanceof ValidationError) throw validationError(e.issues.map((i) => ({ ...i, field: i.field ? `request.${i.field}` : 'request' })));
    throw e;
  }
}

function browse(provider: TableProvider, subject: Subject, request: BrowseRequest) {
  return inRequest(() => provider.browse(subject, request));
}

/** Reads of system and data tables alike, for the subject `as` names; writes of data tables. */
export function rowsService(deps: ServiceDeps) {
  const { catalog, data } = deps;
  const writes = dataRowWriter(deps);

  /** The data table a request names, or undefined for a system table. */
  const dataTable = (table: string): DataTableEntry | undefined => (data.isSystem(data.parseRef(table)) ? undefined : data.resolve(table));

  /** A data table to write; system tables are edited through `entities` (their forms and rules). */
  const writable = (table: string): DataTableEntry => {
    deps.writer.assertWritable();
    const entry = dataTable(table);
    if (!entry) throw validationError([{ field: 'table', message: `${table} is a system table: edit its rows through their form (entities), not rows.*` }]);
    return entry;
  };

  return {
    page: impl.rows.page.handler(({ input, context }) => {
      const { subject } = context.acting;
      const entry = dataTable(input.table);
      if (entry) {
        entry.store.readScope(subject);
        checkRequest((text) => entry.store.parseDisplayKey(text), input.request);
        return browse(entry.provider, subject, input.request);
      }
      const system = catalog.readable(input.table, subject);
      checkRequest((text) => catalog.encodeKey(system, text, 'request.seek'), input.request);
      return browse(system.provider, subject, input.request);
    }),

    count: impl.rows.count.handler(({ input, context }) => {
      const { subject } = context.acting;
      const entry = dataTable(input.table);
      const provider = entry ? entry.provider : catalog.readable(input.table, subject).provider;
      const count = provider.count(subject, input.cap);
      return { count, capped: input.cap !== undefined && count >= input.cap };
    }),

    get: impl.rows.get.handler(({ input, context }) => {
      const { subject } = context.acting;
      const entry = dataTable(input.table);
      if (!entry) return catalog.versionedRow(catalog.readable(input.table, subject), input.key, subject);
      entry.store.readScope(subject);
      const row = asInput('key', () => entry.provider.get(subject, input.key));
      if (!row) throw new NotFoundError(`${entry.ref} row "${input.key}"`);
      return { row, version: row.version };
    }),

    create: impl.rows.create.handler(({ input, context }) => {
      return writes.create(writable(input.table), context.acting, input);
    }),

    update: impl.rows.update.handler(({ input, context }) => {
      return writes.update(writable(input.table), context.acting, input);
    }),

    delete: impl.rows.delete.handler(({ input, context }) => {
      return writes.delete(writable(input.table), context.acting, input);
    }),
  };
}
