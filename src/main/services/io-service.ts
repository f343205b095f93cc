import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Sort } from '../../shared/browse';
import { positionOf } from '../../shared/sql/sql-lexer';
import type { ExportParams, ImportParams, RejectedRow } from '../../shared/jobs/io-params';
import { jobTypeOfId } from '../../shared/keys/job-id';
import { TableIdKey } from '../../shared/keys/table-id';
import type { Job } from '../../shared/system/jobs';
import { AccessDeniedError, type Subject } from '../engine/access/subject';
import { EngineError, NotFoundError, ValidationError } from '../engine/errors';
import { assertHostPath } from '../engine/host-path';
import { checkDestination } from '../engine/io/export-job';
import { checkExportQuery, exportQuery } from '../engine/io/query-rows';
import { previewFile } from '../engine/io/import-source';
import { tableProvider } from '../engine/io/table-rows';
import type { SqlQueries } from '../engine/sql/sql-queries';
import { SqlStatementError } from '../engine/sql/sql-statement-error';
import type { ServiceDeps } from './deps';
import { asInput, contractError, validationError } from './errors';
import { impl } from './implementer';
import { auditJob } from './job-audit';

/** Where import reports go: inside the data directory (the only place an import writes files). */
export const IMPORT_REPORTS = 'import-reports';

/** A report's file name: the time and the table, readable in a folder listing. */
export function reportPath(dataDir: string, table: string, now: number): string {
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
  return join(dataDir, IMPORT_REPORTS, `${stamp}-${table}-${Math.random().toString(36).slice(2, 8)}.csv`);
}

/**
 * Export and import as jobs (EX-, IM-), a file preview, and import reports. The job runs as the
 * subject the call acts as (stored in its parameters), so an export holds only what that subject
 * may read and an import writes only where it may write. Obvious refusals (no such table, no
 * access, a bad destination) come back from the call itself rather than as a failed job.
 */
export function ioService({ engine, jobs, writer, runtime, rights, data }: ServiceDeps, queries: SqlQueries) {
  const { manager } = jobs;

  /** The job's audit entry commits with its row: a start that reports an error recorded nothing. */
  const recordedBy = (actor: Subject) => (job: Job) => auditJob(writer, actor, 'start', job);

  /** Refuses an unknown table, one the subject may not read, or a sort it cannot take, before a job exists. */
  const assertReadable = (table: string, subject: Subject, sort?: Sort) => {
    const provider = asInput('table', () => tableProvider(engine, TableIdKey.display(TableIdKey.parse(table))));
    provider.browse(subject, { limit: 1, ...(sort ? { sort } : {}) });
  };

  /**
   * Refuses, before a job exists, a SQL source that is not one read-only query, does not prepare,
   * or reads a table its subject (the caller, or its EXECUTE AS user) may not read.
   */
  const assertQueryReadable = (sql: string, subject: Subject) => {
    try {
      checkExportQuery(engine, queries, exportQuery(engine, sql, subject));
    } catch (e) {
      if (!(e instanceof SqlStatementError)) throw e;
      if (e.code === 'ACCESS_DENIED' || e.code === 'NOT_FOUND') throw contractError(e.code, e.message);
      const { line, column } = positionOf(sql, e.start, e.end);
      throw validationError([{ field: 'source.sql', message: `${e.message} (line ${line}, column ${column})` }]);
    }
  };

  return {
    export: impl.io.export.handler(({ input, context }) => {
      const { subject, actor } = context.acting;
      const { as: _as, ...options } = input;
      assertHostPath('export', 'file', options.file);
      if (options.source) assertQueryReadable(options.source.sql, subject);
      else if (options.table !== undefined) assertReadable(options.table, subject, options.sort);
      checkDestination(engine, options.file);
      const params: ExportParams = { ...options, subject: { userId: subject.userId, role: subject.role } };
      const job = manager.startJob('export', params, { recorded: recordedBy(actor) });
      return { job };
    }),

    import: impl.io.import.handler(({ input, context }) => {
      const { subject, actor } = context.acting;
      const { as: _as, ...options } = input;
      assertHostPath('import', 'file', options.file);
      if (options.create) rights.assert(subject, 'changeSchema');
      else {
        const entry = data.resolve(options.table);
        if (!data.canWrite(entry, subject)) throw new AccessDeniedError(subject.role, 'write', entry.ref, entry.provider.access);
      }
      const params: ImportParams = {
        ...options,
        subject: { userId: subject.userId, role: subject.role },
        report: reportPath(runtime.dataDir, options.table, engine.now()),
      };
      const job = manager.startJob('import', params, { recorded: recordedBy(actor) });
      return { job };
    }),

    preview: impl.io.preview.handler(async ({ input }) => {
      assertHostPath('import', 'file', input.file);
      return previewFile(input.file, { format: input.format, delimiter: input.delimiter });
    }),

    report: impl.io.report.handler(({ input, context }) => {
      rights.assert(context.acting.subject, 'readJobs');
      if (jobTypeOfId(input.id) !== 'import') throw new ValidationError('import report', [{ field: 'id', message: `${input.id} is not an import job` }]);
      const job = manager.get(input.id);
      const file = (job.parameters as { report?: unknown }).report;
      if (typeof file !== 'string') throw new NotFoundError(`the report of ${input.id}`);
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        throw new EngineError('NOT_FOUND', `the report of ${input.id} (${file}) is gone`);
      }
      const records: string[][] = parse(text, { from_line: 2, relax_column_count: true, to_line: input.limit + 2 });
      const rows: RejectedRow[] = records
        .slice(0, input.limit)
        .map(([line, column, value, reason]) => ({ line: Number(line), column: column ?? '', value: value ?? '', reason: reason ?? '' }));
      return { file, rows, truncated: records.length > input.limit };
    }),
  };
}
