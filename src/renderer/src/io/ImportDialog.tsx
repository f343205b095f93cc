import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import type { ColumnInfo, ColumnType } from '../../../shared/browse';
import type { ColumnMapping, ImportPreview, ImportResult, RejectedRow } from '../../../shared/jobs/io-params';
import type { Job } from '../../../shared/system/jobs';
import { orpc } from '../api/client';
import { errorMessage } from '../api/errors';
import { Alert } from '../components/Alert';
import { Dialog } from '../components/Dialog';
import { DialogFooter } from '../components/DialogFooter';
import { PathField } from '../components/PathField';
import { pathProblem } from '../jobs/folder-path';
import { invalidateJobs } from '../jobs/job-cache';
import { onJobEnd } from '../jobs/job-outcome';

const TYPES: ColumnType[] = ['text', 'integer', 'double', 'boolean', 'timestamp', 'json', 'bytes'];
/** File columns an export writes that the engine sets itself. */
const SYSTEM = new Set(['_seq', '_ts', '_deleted']);

interface MappingRow {
  readonly source: string;
  include: boolean;
  target: string;
  type: ColumnType;
}

/** The first mapping of a sample: each file column to the table column of its name (or skipped), with its inferred type. */
function initialMapping(preview: ImportPreview, columns: readonly ColumnInfo[] | undefined): MappingRow[] {
  const names = new Set(columns?.map((c) => c.name));
  return preview.columns.map((c) => ({
    source: c.name,
    include: !SYSTEM.has(c.name) && (columns === undefined || names.has(c.name)),
    target: c.name,
    type: c.type,
  }));
}

function RejectedTable({ rows, caption }: { rows: readonly RejectedRow[]; caption: string }) {
  return (
    <div className="table-wrap table-wrap--scroll">
      <table className="data-table data-table--compact">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col">Column</th>
            <th scope="col">Value</th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              <td>{r.line}</td>
              <td>{r.column}</td>
              <td className="cell--code">{r.value}</td>
              <td>{r.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** What the import job ended with: its counts and first rejected rows, or its error and its report's first rows. */
function ImportOutcome({ job }: { job: Job }) {
  const failed = job.status !== 'completed';
  const report = useQuery({ ...orpc.io.report.queryOptions({ input: { id: job.job_id, limit: 50 } }), enabled: failed && job.job_type === 'import' });
  if (!failed) {
    const r = job.result as unknown as ImportResult;
    return (
      <div role="status">
        <Alert kind={r.rejected > 0 ? 'warning' : 'success'} title="Import completed">
          {r.inserted.toLocaleString('en-US')} rows imported into {r.table}
          {r.replaced ? `, ${r.replaced.toLocaleString('en-US')} replaced` : ''}
          {r.skipped ? `, ${r.skipped.toLocaleString('en-US')} skipped (key exists)` : ''}; {r.rejected.toLocaleString('en-US')} rejected. Report: {r.report}
        </Alert>
        {r.first_rejected.length > 0 ? <RejectedTable rows={r.first_rejected} caption="Rejected rows" /> : null}
      </div>
    );
  }
  return (
    <div role="status">
      <Alert kind="error" title={job.status === 'cancelled' ? 'Import cancelled: nothing was imported' : 'Import failed'}>
        {job.error ?? job.status}
      </Alert>
      {report.data && report.data.rows.length > 0 ? <RejectedTable rows={report.data.rows} caption="Rejected rows" /> : null}
    </div>
  );
}

/**
 * Imports a CSV/TSV, JSON Lines or Parquet file into this table or a new one: reads a sample first
 * (format, delimiter, columns with inferred types, first rows), lets the user map each file column
 * (skip, rename, type), then runs the import as a job and shows its outcome and rejected rows.
 */
export function ImportDialog({
  table,
  kind,
  columns,
  onClose,
}: {
  table: string;
  kind: 'shared' | 'user';
  columns: readonly ColumnInfo[];
  onClose: () => void;
}) {
  const id = useId();
  const queryClient = useQueryClient();
  const [file, setFile] = useState('');
  const [preview, setPreview] = useState<ImportPreview | undefined>();
  const [mapping, setMapping] = useState<MappingRow[]>([]);
  const [createNew, setCreateNew] = useState(false);
  const [newName, setNewName] = useState(`${table}_import`);
  const [newType, setNewType] = useState<'shared' | 'user'>('shared');
  const [primaryKey, setPrimaryKey] = useState('');
  const [onError, setOnError] = useState<'abort' | 'skip'>('abort');
  const [onConflict, setOnConflict] = useState<'fail' | 'skip' | 'replace'>('fail');
  const [owner, setOwner] = useState('');
  const [job, setJob] = useState<Job | undefined>();
  const [ended, setEnded] = useState<Job | undefined>();
  const previewCall = useMutation(orpc.io.preview.mutationOptions());
  const importCall = useMutation(orpc.io.import.mutationOptions());
  const tableColumns = columns.filter((c) => !c.name.startsWith('_'));

  useEffect(() => (job ? onJobEnd(job.job_id, setEnded) : undefined), [job]);

  const readSample = () => {
    if (pathProblem(file)) return;
    previewCall.mutate(
      { file: file.trim() },
      {
        onSuccess: (p) => {
          setPreview(p);
          setMapping(initialMapping(p, createNew ? undefined : tableColumns));
          setPrimaryKey(p.columns.find((c) => c.name === 'id')?.name ?? p.columns.find((c) => !SYSTEM.has(c.name) && c.name !== '_user')?.name ?? '');
          if (p.columns.some((c) => c.name === '_user')) setNewType('user');
        },
      },
    );
  };

  const targetTable = createNew ? newName.trim() : table;
  const ownerMapped = mapping.some((m) => m.include && m.target === '_user');
  const needsOwner = (createNew ? newType : kind) === 'user' && !ownerMapped;

  const start = () => {
    if (!preview) return;
    const map: ColumnMapping[] = mapping.map((m) => ({
      source: m.source,
      target: m.include ? m.target.trim() : null,
      ...(createNew && m.include ? { type: m.type } : {}),
    }));
    importCall.mutate(
      {
        table: targetTable,
        file: file.trim(),
        format: preview.format,
        ...(preview.delimiter ? { delimiter: preview.delimiter } : {}),
        mapping: map,
        on_error: onError,
        on_conflict: onConflict,
        ...(createNew ? { create: { type: newType, ...(primaryKey ? { primary_key: primaryKey } : {}) } } : {}),
        ...(needsOwner && owner.trim() ? { owner: owner.trim() } : {}),
      },
      {
        onSuccess: ({ job: started }) => {
          setJob(started);
          void invalidateJobs(queryClient);
        },
      },
    );
  };

  const update = (i: number, change: Partial<MappingRow>) => setMapping((rows) => rows.map((r, j) => (j === i ? { ...r, ...change } : r)));
  const running = job !== undefined && ended === undefined;

  return (
    <Dialog
      title={`Import into ${table}`}
      onClose={onClose}
      size="large"
      footer={
        <DialogFooter onCancel={onClose}>
          <button
            type="button"
            className="button button--primary"
            disabled={!preview || importCall.isPending || running || ended !== undefined}
            onClick={start}
          >
            {running ? 'Importing…' : 'Import'}
          </button>
        </DialogFooter>
      }
    >
      <PathField label="File to import (absolute path: CSV, TSV, JSON Lines or Parquet)" value={file} onChange={setFile}>
        <button type="button" className="button" disabled={previewCall.isPending || pathProblem(file) !== undefined} onClick={readSample}>
          Read sample
        </button>
      </PathField>
      {previewCall.isError ? <Alert kind="error">{errorMessage(previewCall.error)}</Alert> : null}
      {preview ? (
        <>
          <p className="dialog__note" role="status">
            Detected {preview.format.toUpperCase()}
            {preview.delimiter ? ` with delimiter ${preview.delimiter === '\t' ? 'tab' : `“${preview.delimiter}”`}` : ''}; {preview.columns.length} columns,{' '}
            {preview.sampled} rows sampled.
          </p>
          <div className="table-wrap table-wrap--scroll">
            <table className="data-table data-table--compact">
              <caption className="visually-hidden">First rows of the file</caption>
              <thead>
                <tr>
                  {preview.columns.map((c) => (
                    <th key={c.name} scope="col">
                      {c.name}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {preview.rows.slice(0, 5).map((r, i) => (
                  <tr key={i}>
                    {r.map((v, j) => (
                      <td key={j}>{v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v)}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <fieldset className="fieldset">
            <legend className="field__label">Into</legend>
            <label className="checkbox">
              <input
                type="radio"
                name={`${id}-into`}
                checked={!createNew}
                onChange={() => {
                  setCreateNew(false);
                  setMapping(initialMapping(preview, tableColumns));
                }}
              />{' '}
              this table ({table})
            </label>
            <label className="checkbox">
              <input
                type="radio"
                name={`${id}-into`}
                checked={createNew}
                onChange={() => {
                  setCreateNew(true);
                  setMapping(initialMapping(preview, undefined));
                }}
              />{' '}
              a new table
            </label>
            {createNew ? (
              <div className="form-row">
                <label className="field" htmlFor={`${id}-name`}>
                  <span className="field__label">New table (namespace.table)</span>
                  <input id={`${id}-name`} className="input input--code" value={newName} onChange={(e) => setNewName(e.target.value)} />
                </label>
                <label className="field" htmlFor={`${id}-type`}>
                  <span className="field__label">Table type</span>
                  <select id={`${id}-type`} className="select" value={newType} onChange={(e) => setNewType(e.target.value as 'shared' | 'user')}>
                    <option value="shared">shared</option>
                    <option value="user">user</option>
                  </select>
                </label>
                <label className="field" htmlFor={`${id}-pk`}>
                  <span className="field__label">Primary key</span>
                  <select id={`${id}-pk`} className="select" value={primaryKey} onChange={(e) => setPrimaryKey(e.target.value)}>
                    {mapping
                      .filter((m) => m.include && m.target !== '_user')
                      .map((m) => (
                        <option key={m.source} value={m.target}>
                          {m.target}
                        </option>
                      ))}
                  </select>
                </label>
              </div>
            ) : null}
          </fieldset>
          <div className="table-wrap table-wrap--scroll">
            <table className="data-table data-table--compact">
              <caption className="visually-hidden">Column mapping</caption>
              <thead>
                <tr>
                  <th scope="col">File column</th>
                  <th scope="col">Import</th>
                  <th scope="col">Table column</th>
                  {createNew ? <th scope="col">Type</th> : null}
                </tr>
              </thead>
              <tbody>
                {mapping.map((m, i) => (
                  <tr key={m.source}>
                    <td>{m.source}</td>
                    <td>
                      <input type="checkbox" aria-label={`Import ${m.source}`} checked={m.include} onChange={(e) => update(i, { include: e.target.checked })} />
                    </td>
                    <td>
                      {createNew ? (
                        <input
                          className="input input--code"
                          aria-label={`Table column for ${m.source}`}
                          value={m.target}
                          disabled={!m.include}
                          onChange={(e) => update(i, { target: e.target.value })}
                        />
                      ) : (
                        <select
                          className="select"
                          aria-label={`Table column for ${m.source}`}
                          value={m.target}
                          disabled={!m.include}
                          onChange={(e) => update(i, { target: e.target.value })}
                        >
                          {[...(kind === 'user' ? ['_user'] : []), ...tableColumns.map((c) => c.name)].map((name) => (
                            <option key={name} value={name}>
                              {name === '_user' ? '_user (owner)' : name}
                            </option>
                          ))}
                          {!tableColumns.some((c) => c.name === m.target) && m.target !== '_user' ? (
                            <option value={m.target}>{m.target} (no such column)</option>
                          ) : null}
                        </select>
                      )}
                    </td>
                    {createNew ? (
                      <td>
                        <select
                          className="select"
                          aria-label={`Type of ${m.source}`}
                          value={m.type}
                          disabled={!m.include || m.target === '_user'}
                          onChange={(e) => update(i, { type: e.target.value as ColumnType })}
                        >
                          {TYPES.map((t) => (
                            <option key={t} value={t}>
                              {t}
                            </option>
                          ))}
                        </select>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="form-row">
            <label className="field" htmlFor={`${id}-errors`}>
              <span className="field__label">Bad rows</span>
              <select id={`${id}-errors`} className="select" value={onError} onChange={(e) => setOnError(e.target.value as 'abort' | 'skip')}>
                <option value="abort">Import nothing (all or nothing)</option>
                <option value="skip">Skip them, import the rest</option>
              </select>
            </label>
            <label className="field" htmlFor={`${id}-conflicts`}>
              <span className="field__label">Existing keys</span>
              <select
                id={`${id}-conflicts`}
                className="select"
                value={onConflict}
                onChange={(e) => setOnConflict(e.target.value as 'fail' | 'skip' | 'replace')}
              >
                <option value="fail">Reject the row</option>
                <option value="skip">Keep the stored row</option>
                <option value="replace">Replace the stored row</option>
              </select>
            </label>
            {needsOwner ? (
              <label className="field" htmlFor={`${id}-owner`}>
                <span className="field__label">Owner of the rows (user id)</span>
                <input id={`${id}-owner`} className="input input--code" value={owner} onChange={(e) => setOwner(e.target.value)} />
              </label>
            ) : null}
          </div>
        </>
      ) : null}
      {importCall.isError ? <Alert kind="error">{errorMessage(importCall.error)}</Alert> : null}
      {running ? (
        <p className="dialog__note" role="status">
          Importing… ({job.job_id})
        </p>
      ) : null}
      {ended ? <ImportOutcome job={ended} /> : null}
    </Dialog>
  );
}
