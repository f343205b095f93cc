import { ExportParamsSchema, exportSourceProblems, ImportParamsSchema } from '../../../../shared/jobs/io-params';
import { ruleCheck } from '../../../../shared/rule-check';
import { HostPathSchema } from '../../host-path';
import { EXPORT_WORKER_HEAP_MB, runExport } from '../../io/export-job';
import { runImport } from '../../io/import-job';
import { jobKind } from '../job-kind';

const HostExportParamsSchema = ExportParamsSchema.extend({ file: HostPathSchema }).check(ruleCheck(exportSourceProblems));
const HostImportParamsSchema = ImportParamsSchema.extend({ file: HostPathSchema, report: HostPathSchema });

/** A table or a query's result to a file: reads only (allowed in read-only mode); one export per destination at a time. */
export const exportKind = jobKind({
  type: 'export',
  params: HostExportParamsSchema,
  idempotencyKey: (p) => `export:${p.file}`,
  conflictMessage: (p, active) => `an export into ${p.file} is already ${active.status} (${active.job_id})`,
  maxRetries: 0,
  writes: false,
  thread: 'worker',
  workerHeapMb: EXPORT_WORKER_HEAP_MB,
  describe: (p) => `export ${p.table ?? 'a query result'} to ${p.file}`,
  run: runExport,
});

/**
 * A file into a table: one import per table at a time. It writes through the worker's connection,
 * so views learn of it from changedTables.
 */
export const importKind = jobKind({
  type: 'import',
  params: HostImportParamsSchema,
  idempotencyKey: (p) => `import:${p.table}`,
  conflictMessage: (p, active) => `an import into ${p.table} is already ${active.status} (${active.job_id})`,
  maxRetries: 0,
  writes: true,
  thread: 'worker',
  describe: (p) => `import ${p.file} into ${p.table}`,
  run: runImport,
  // A failed or cancelled import changed nothing (a table it created was dropped again).
  changedTables: (p, r) => (r ? [p.table, 'system.audit_log', ...(r.created ? ['system.tables'] : [])] : []),
});
