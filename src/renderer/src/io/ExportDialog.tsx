import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { ColumnInfo, Filter, QuickSearch, Sort } from '../../../shared/browse';
import type { ViewAs } from '../../../shared/contract';
import type { ExportFormat } from '../../../shared/jobs/io-params';
import { orpc } from '../api/client';
import { errorMessage } from '../api/errors';
import { useEngineInfo } from '../app/engine';
import { Alert } from '../components/Alert';
import { Dialog } from '../components/Dialog';
import { DialogFooter } from '../components/DialogFooter';
import { FieldMessages } from '../components/FieldFrame';
import { PathField } from '../components/PathField';
import { useToast } from '../components/toast-context';
import { pathProblem } from '../jobs/folder-path';
import { invalidateJobs } from '../jobs/job-cache';
import { rememberStarted } from '../jobs/job-outcomes';
import { describeJob } from '../jobs/job-text';
import { useSaveFilePicker } from './use-save-file-picker';

const FORMATS: { value: ExportFormat; label: string }[] = [
  { value: 'csv', label: 'CSV (spreadsheets)' },
  { value: 'jsonl', label: 'JSON Lines' },
  { value: 'parquet', label: 'Parquet (typed, zstd)' },
];

const DELIMITERS = [
  { value: ',', label: 'Comma (,)' },
  { value: ';', label: 'Semicolon (;)' },
  { value: '\t', label: 'Tab' },
  { value: '|', label: 'Pipe (|)' },
];

/** A destination next to the data directory (never inside it: the engine refuses that). */
function defaultFile(dataDir: string | undefined, table: string, format: ExportFormat): string {
  if (!dataDir) return '';
  const parent = dataDir.replace(/[\\/]+$/, '').replace(/[\\/][^\\/]*$/, '');
  return `${parent}/${table}.${format}`;
}

/** A table with the grid's view (its filters, quick search and sort), or a console query run as the subject that ran it. */
type ExportWhat =
  | { table: string; filters: readonly Filter[]; search?: QuickSearch | undefined; sort?: Sort | undefined; query?: undefined }
  | { query: { sql: string; as: { as: ViewAs | undefined } }; table?: undefined; filters?: undefined; search?: undefined; sort?: undefined };

/** What the grid's view narrows to, in words: its filters and its quick search. */
function viewText(filters: readonly Filter[], search: QuickSearch | undefined): string {
  const parts = [...(filters.length > 0 ? [`filters (${filters.length})`] : []), ...(search ? [`quick search “${search.text}”`] : [])];
  return parts.join(' and ');
}

/**
 * Exports a table (hot and flushed rows, as the current “view as” subject may read them), or a SQL
 * query's whole result, as a job: format, columns, delimiter, destination path, and whether the
 * grid's view (its filters, its quick search, its sort) applies.
 */
export function ExportDialog({ columns, onClose, ...what }: ExportWhat & { columns: readonly ColumnInfo[]; onClose: () => void }) {
  const { table, query } = what;
  const filters = what.filters ?? [];
  const search = what.search;
  const sort = what.sort;
  const info = useEngineInfo();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [format, setFormat] = useState<ExportFormat>('csv');
  const [delimiter, setDelimiter] = useState(',');
  const [bom, setBom] = useState(false);
  const [file, setFile] = useState<string | undefined>();
  const [chosen, setChosen] = useState<ReadonlySet<string>>(() => new Set(columns.map((c) => c.name)));
  const [filtered, setFiltered] = useState(filters.length > 0 || search !== undefined);
  const [sorted, setSorted] = useState(sort !== undefined);
  const [touched, setTouched] = useState(false);
  const mutation = useMutation(orpc.io.export.mutationOptions());
  const saveDialog = useSaveFilePicker(format);
  const id = useId();
  const value = file ?? defaultFile(info.data?.dataDir, table ?? 'query', format);
  const pathError = pathProblem(value);
  const columnsError = chosen.size === 0 ? 'Choose at least one column' : undefined;
  const problem = pathError ?? columnsError;

  const submit = () => {
    setTouched(true);
    if (problem) return;
    const picked = columns.filter((c) => chosen.has(c.name)).map((c) => c.name);
    const shape = {
      file: value.trim(),
      format,
      ...(picked.length < columns.length ? { columns: picked } : {}),
      ...(format === 'csv' ? { delimiter, bom } : {}),
    };
    mutation.mutate(
      query
        ? // The query runs again, whole, as the subject that ran it (its explicit `as`).
          { ...shape, source: { kind: 'sql', sql: query.sql }, ...query.as }
        : {
            ...shape,
            table,
            ...(filtered && filters.length > 0 ? { filters: [...filters] } : {}),
            ...(filtered && search ? { search } : {}),
            ...(sorted && sort ? { sort } : {}),
          },
      {
        onSuccess: ({ job }) => {
          for (const t of rememberStarted([job])) toast.show(t);
          void invalidateJobs(queryClient);
          toast.show({ kind: 'info', message: `${describeJob(job)}: queued (${job.job_id})` });
          onClose();
        },
      },
    );
  };

  return (
    <Dialog
      title={table !== undefined ? `Export ${table}` : 'Export the query result'}
      onClose={onClose}
      footer={
        <DialogFooter onCancel={onClose}>
          <button type="button" className="button button--primary" disabled={mutation.isPending} onClick={submit}>
            Export
          </button>
        </DialogFooter>
      }
    >
      <p className="dialog__note">
        {query
          ? 'The whole result (not only the rows loaded here): the query runs again, as the subject that ran it, page by page. Runs as a job.'
          : 'Hot and flushed rows, as the current subject may read them; secret columns are never exported. Runs as a job.'}
      </p>
      {query ? <pre className="ddl-preview__statement">{query.sql}</pre> : null}
      {mutation.isError ? <Alert kind="error">{errorMessage(mutation.error)}</Alert> : null}
      <label className="field" htmlFor={`${id}-format`}>
        <span className="field__label">Format</span>
        <select
          id={`${id}-format`}
          className="select"
          value={format}
          onChange={(e) => {
            const next = e.target.value as ExportFormat;
            setFormat(next);
            if (file !== undefined) setFile(file.replace(/\.(csv|jsonl|parquet)$/, `.${next}`));
          }}
        >
          {FORMATS.map((f) => (
            <option key={f.value} value={f.value}>
              {f.label}
            </option>
          ))}
        </select>
      </label>
      {format === 'csv' ? (
        <div className="form-row">
          <label className="field" htmlFor={`${id}-delimiter`}>
            <span className="field__label">Delimiter</span>
            <select id={`${id}-delimiter`} className="select" value={delimiter} onChange={(e) => setDelimiter(e.target.value)}>
              {DELIMITERS.map((d) => (
                <option key={d.label} value={d.value}>
                  {d.label}
                </option>
              ))}
            </select>
          </label>
          <label className="checkbox">
            <input type="checkbox" checked={bom} onChange={(e) => setBom(e.target.checked)} /> Byte order mark (for spreadsheets)
          </label>
        </div>
      ) : null}
      {filters.length > 0 || search ? (
        <label className="checkbox">
          <input type="checkbox" checked={filtered} onChange={(e) => setFiltered(e.target.checked)} /> Only the rows the grid shows: its{' '}
          {viewText(filters, search)}
        </label>
      ) : null}
      {sort ? (
        <label className="checkbox">
          <input type="checkbox" checked={sorted} onChange={(e) => setSorted(e.target.checked)} /> In the grid’s order (sorted by {sort.column}{' '}
          {sort.order === 'asc' ? 'ascending' : 'descending'})
        </label>
      ) : null}
      <fieldset className="fieldset" aria-describedby={touched && columnsError ? `${id}-columns-error` : undefined}>
        <legend className="field__label">Columns</legend>
        <div className="column-checks">
          {columns.map((c) => (
            <label key={c.name} className="checkbox">
              <input
                type="checkbox"
                checked={chosen.has(c.name)}
                onChange={(e) => {
                  const next = new Set(chosen);
                  if (e.target.checked) next.add(c.name);
                  else next.delete(c.name);
                  setChosen(next);
                }}
              />{' '}
              {c.name}
            </label>
          ))}
        </div>
        <FieldMessages id={`${id}-columns`} error={touched ? columnsError : undefined} />
      </fieldset>
      <PathField
        label="Destination file (absolute path, outside the data directory)"
        value={value}
        onChange={setFile}
        error={touched ? pathError : undefined}
        chooser={saveDialog}
      />
    </Dialog>
  );
}
