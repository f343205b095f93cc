import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { positionOf } from '../../../shared/sql/sql-lexer';
import type { SqlError, SqlOutcome } from '../../../shared/sql/sql-results';
import { orpc } from '../api/client';
import { errorMessage } from '../api/errors';
import { routeHref } from '../app/routes';
import { Alert } from '../components/Alert';
import { formatCount } from '../grid/cell-format';
import { JobProgressBar } from '../jobs/JobProgressBar';
import { describeJob, duration, formatElapsed, STATUS_LABELS } from '../jobs/job-text';
import { useNow } from '../jobs/use-jobs';
import { LiveResultGrid } from './LiveResultGrid';
import { ResultGrid } from './ResultGrid';
import type { ConsoleRun } from './sql-runs';

type FinishedRun = Extract<ConsoleRun, { status: 'running' | 'done' }>;

/** A one-line summary of a statement's outcome, for its entry in the list of results. */
export function outcomeSummary(o: SqlOutcome): string {
  switch (o.kind) {
    case 'rows':
      return `${formatCount(o.page.rows.length)}${o.page.next !== undefined ? '+' : ''} ${o.page.rows.length === 1 && o.page.next === undefined ? 'row' : 'rows'}`;
    case 'changed':
      return `${formatCount(o.affected)} ${o.affected === 1 ? 'row' : 'rows'} affected`;
    case 'ddl':
      return o.message;
    case 'job':
      return o.jobIds.length === 1 ? `job ${o.jobIds[0]!}` : `${o.jobIds.length} jobs`;
    case 'message':
      return o.message;
  }
}

function JobOutcome({ id }: { id: string }) {
  const job = useQuery(orpc.jobs.get.queryOptions({ input: { id } }));
  const now = useNow(job.data?.status === 'running');
  if (job.isError)
    return (
      <p className="sql-job">
        Job {id}: {errorMessage(job.error)}
      </p>
    );
  if (!job.data) return <p className="sql-job muted">Job {id}…</p>;
  const j = job.data;
  return (
    <div className="sql-job">
      <div className="sql-job__head">
        <a href={routeHref({ view: 'jobs', job: j.job_id })}>{describeJob(j)}</a>
        <code>{j.job_id}</code>
        <span className={`job-status job-status--${j.status}`}>{STATUS_LABELS[j.status]}</span>
        {j.started_at !== null ? <span className="muted">{duration(j, now)}</span> : null}
      </div>
      {j.status !== 'completed' || j.progress ? <JobProgressBar job={j} /> : null}
      {j.error ? <p className="job-row__error">{j.error}</p> : j.message ? <p>{j.message}</p> : null}
    </div>
  );
}

function OutcomePanel({ run, outcome, index }: { run: FinishedRun; outcome: SqlOutcome; index: number }) {
  switch (outcome.kind) {
    case 'rows':
      return (
        <ResultGrid
          outcome={outcome}
          as={run.as}
          label={`Result ${index + 1}: ${outcome.verb}`}
          sql={run.script.slice(outcome.position.offset, outcome.position.offset + outcome.position.length)}
        />
      );
    case 'changed':
      return (
        <p className="sql-message">
          {outcome.verb}: {formatCount(outcome.affected)} {outcome.affected === 1 ? 'row' : 'rows'} affected.
        </p>
      );
    case 'ddl':
      return (
        <div className="sql-message">
          <p>{outcome.message}</p>
          <pre className="ddl-preview__statement">{outcome.applied}</pre>
        </div>
      );
    case 'job':
      return (
        <div className="sql-message">
          {outcome.jobIds.map((id) => (
            <JobOutcome key={id} id={id} />
          ))}
        </div>
      );
    case 'message':
      return <p className="sql-message">{outcome.message}</p>;
  }
}

/** Where an error is, in the editor's lines: the answer's position is relative to the text sent. */
function errorWhere(run: FinishedRun, error: SqlError, doc: string | undefined): string {
  if (doc === undefined) return `line ${error.position.line}, column ${error.position.column}`;
  const { line, column } = positionOf(doc, Math.min(doc.length, run.base + error.position.offset));
  return `line ${line}, column ${column}`;
}

function ErrorPanel({ run, error, doc }: { run: FinishedRun; error: SqlError; doc: string | undefined }) {
  const rolledBack = run.result?.rolledBack ?? [];
  return (
    <Alert kind="error" title={`Statement ${error.statement + 1} failed: ${error.code}`}>
      <p>
        {error.message} <span className="muted">({errorWhere(run, error, doc)})</span>
      </p>
      {error.issues && error.issues.length > 0 ? (
        <ul>
          {error.issues.map((i) => (
            <li key={i.field}>
              <code>{i.field}</code>: {i.message}
            </li>
          ))}
        </ul>
      ) : null}
      {rolledBack.length > 0 ? <p>Rolled back with it: statement {rolledBack.map((s) => s + 1).join(', ')}.</p> : null}
    </Alert>
  );
}

/**
 * The results of a tab's last run: one entry per statement that ran (rows, affected count, schema
 * change, jobs with live progress, message) and the error that stopped the script, each in its own
 * panel; a SUBSCRIBE TO's live result. `doc` is the editor's text, to place errors in its lines.
 */
export function SqlResults({ tabId, run, doc }: { tabId: string; run: ConsoleRun | undefined; doc: string | undefined }) {
  const outcomes = run?.status === 'done' ? (run.result?.outcomes ?? []) : [];
  const error = run?.status === 'done' ? run.result?.error : undefined;
  // The error first when there is one; else the last result with rows; else the last outcome.
  const lastRows = outcomes.findLastIndex((o) => o.kind === 'rows');
  const preferred = error ? outcomes.length : lastRows >= 0 ? lastRows : Math.max(0, outcomes.length - 1);
  const [selected, setSelected] = useState(preferred);
  const runId = run?.status === 'done' ? run.runId : undefined;
  useEffect(() => setSelected(preferred), [runId, preferred]);

  if (!run) return <p className="sql-results__empty muted">Run a statement to see its results here.</p>;
  if (run.status === 'refused') {
    return (
      <Alert kind="warning" title="Not run">
        <p>{run.reason}.</p>
        <p>
          Refused before sending: <code>{run.statement}</code>
        </p>
      </Alert>
    );
  }
  if (run.status === 'running') return <RunningNote run={run} />;
  if (run.status === 'live') return <LiveResultGrid key={run.runId} tabId={tabId} run={run} />;
  if (run.failure !== undefined) {
    return (
      <Alert kind="error" title="The script could not be run">
        {run.failure}
      </Alert>
    );
  }

  const entries = [
    ...outcomes.map((o, i) => ({ label: `${o.statement + 1}. ${o.verb}`, detail: outcomeSummary(o), error: false, i })),
    ...(error ? [{ label: `${error.statement + 1}. Error`, detail: error.code, error: true, i: outcomes.length }] : []),
  ];
  return (
    <div className="sql-results">
      <div className="sql-results__head">
        <ul className="sql-results__list" aria-label="Statements run">
          {entries.map((e) => (
            <li key={e.i}>
              <button
                type="button"
                className={`sql-results__entry${e.error ? ' sql-results__entry--error' : ''}`}
                aria-current={selected === e.i ? 'true' : undefined}
                onClick={() => setSelected(e.i)}
              >
                <span className="sql-results__verb">{e.label}</span>
                <span className="sql-results__detail">{e.detail}</span>
              </button>
            </li>
          ))}
        </ul>
        <p className="sql-results__meta muted">
          {run.durationMs !== undefined ? `${formatElapsed(run.durationMs)} · ` : ''}as {run.subject}
        </p>
      </div>
      {outcomes.map((o, i) => (
        // Every panel stays mounted (a result keeps the pages it read); only the selected one shows.
        <div key={`${run.runId}-${i}`} className="sql-results__panel" hidden={selected !== i}>
          <OutcomePanel run={run} outcome={o} index={i} />
        </div>
      ))}
      {error ? (
        <div className="sql-results__panel" hidden={selected !== outcomes.length}>
          <ErrorPanel run={run} error={error} doc={doc} />
        </div>
      ) : null}
      {outcomes.length === 0 && !error ? <p className="sql-message">The script had no statements to run.</p> : null}
    </div>
  );
}

function RunningNote({ run }: { run: Extract<ConsoleRun, { status: 'running' | 'done' }> }) {
  const now = useNow(true, 250);
  return (
    <p className="sql-results__running" role="status">
      Running… {formatElapsed(Math.max(0, now - run.startedAt))} as {run.subject}
    </p>
  );
}
