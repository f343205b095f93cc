import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { JobList } from '../../../shared/contract';
import { isRetryable, type Job, type JobStatus, JobStatusSchema } from '../../../shared/system/jobs';
import { orpc } from '../api/client';
import { errorMessage } from '../api/errors';
import { useGate } from '../app/gates';
import { routeHref } from '../app/routes';
import { Alert } from '../components/Alert';
import { CaptionedTable } from '../components/CaptionedTable';
import { BackupDialog, RestoreDialog, TableJobDialog } from './JobDialogs';
import { type JobDialogName, onJobDialogRequest, takeJobDialogRequest } from './job-dialog-request';
import { JobProgressBar } from './JobProgressBar';
import { ACTIVE, describeJob, duration, formatTime, STATUS_LABELS } from './job-text';
import { useCancelJob, useNow, useRetryJob, useStartJob } from './use-jobs';

const PAGE = 50;
const JOB_HEADERS = ['Job', 'Status', 'Progress', 'Message', 'Created', <span className="visually-hidden">Actions</span>];

type DialogName = JobDialogName;

/** Why each job action is off for the subject, or undefined. */
interface JobGates {
  /** Cancel: stops work, allowed in read-only mode. */
  readonly manage: string | undefined;
  /** Start or retry a job that writes. */
  readonly write: string | undefined;
}

function JobRow({ job, now, gates, focused = false }: { job: Job; now: number; gates: JobGates; focused?: boolean }) {
  const { cancel, isPending: cancelling } = useCancelJob();
  const { retry, isPending: retrying } = useRetryJob();
  const active = ACTIVE.has(job.status);
  const label = describeJob(job);
  return (
    <tr className={`job-row job-row--${job.status}${focused ? ' job-row--focused' : ''}`} data-job-id={job.job_id}>
      <td>
        <div className="job-row__what">{label}</div>
        <code className="job-row__id">{job.job_id}</code>
        {job.owner?.process === 'cli' ? <div className="job-row__sub">run by the CLI (pid {job.owner.pid})</div> : null}
      </td>
      <td>
        <span className={`job-status job-status--${job.status}`}>{STATUS_LABELS[job.status]}</span>
        {job.retries > 0 ? (
          <div className="job-row__sub">
            retried {job.retries} of {job.max_retries}
          </div>
        ) : null}
      </td>
      <td className="job-row__progress">
        {job.status === 'running' || (job.progress && job.status !== 'completed') ? <JobProgressBar job={job} /> : null}
        {job.status === 'completed' && job.progress ? <div className="job-row__sub">{job.progress.phase}</div> : null}
      </td>
      <td className="job-row__message">
        {job.error ? <div className="job-row__error">{job.error}</div> : null}
        {job.message ? <div>{job.message}</div> : null}
      </td>
      <td>
        <div>{formatTime(job.created_at)}</div>
        {job.started_at !== null ? (
          <div className="job-row__sub">
            {active ? 'running for' : 'took'} {duration(job, now)}
          </div>
        ) : null}
      </td>
      <td className="job-row__actions">
        {active ? (
          <button
            type="button"
            className="button button--small button--danger-outline"
            disabled={cancelling || gates.manage !== undefined}
            title={gates.manage}
            aria-label={`Cancel ${label} (${job.job_id})`}
            onClick={() => cancel(job)}
          >
            Cancel
          </button>
        ) : null}
        {job.status === 'failed' && !isRetryable(job) ? (
          <span className="job-row__sub" title="The engine refused this job's input: running it again as it is would fail the same way.">
            Not retryable: it would fail the same way
          </span>
        ) : null}
        {isRetryable(job) ? (
          <button
            type="button"
            className="button button--small"
            disabled={retrying || gates.write !== undefined}
            title={gates.write}
            aria-label={`Retry ${label} (${job.job_id})`}
            onClick={() => retry(job)}
          >
            Retry
          </button>
        ) : null}
      </td>
    </tr>
  );
}

/** #/jobs/<id>: the job a toast or the header linked to, above the list. */
function FocusedJob({ id, gates }: { id: string; gates: JobGates }) {
  const job = useQuery(orpc.jobs.get.queryOptions({ input: { id } }));
  const now = useNow(job.data?.status === 'running');
  return (
    <section className="job-focus" aria-label={`Job ${id}`}>
      {job.isError ? (
        <Alert kind="error" title={`Job ${id} could not be shown`}>
          {errorMessage(job.error)}
        </Alert>
      ) : job.data ? (
        <CaptionedTable className="data-table jobs-table" caption={`Job ${id}`} headers={JOB_HEADERS}>
          <JobRow job={job.data} now={now} gates={gates} focused />
        </CaptionedTable>
      ) : (
        <p className="muted" role="status">
          Loading job {id}…
        </p>
      )}
      <a className="job-focus__all" href={routeHref({ view: 'jobs' })}>
        Show all jobs
      </a>
    </section>
  );
}

/** #/jobs: start flushes, backups, restores and evictions; watch, cancel and retry every job. `focus`: a job shown first. */
export function JobsPage({ focus }: { focus?: string }) {
  // A subject that may not read system.jobs sees why, and no jobs.
  const hidden = useGate({ right: 'readJobs' });
  if (hidden !== undefined) {
    return (
      <div className="view view--padded view--jobs">
        <h1 className="view__title">Jobs</h1>
        <Alert kind="warning" title="No access to jobs">
          {hidden}
        </Alert>
      </div>
    );
  }
  return <JobsList {...(focus !== undefined ? { focus } : {})} />;
}

function JobsList({ focus }: { focus?: string }) {
  const [status, setStatus] = useState<JobStatus | ''>('');
  // A dialog the command palette asked for opens with the page, or at once when it shows already.
  const [dialog, setDialog] = useState<DialogName | undefined>(takeJobDialogRequest);
  useEffect(() => onJobDialogRequest(() => setDialog(takeJobDialogRequest())), []);
  const gates: JobGates = { manage: useGate({ right: 'manageJobs' }), write: useGate({ write: true, right: 'manageJobs' }) };
  const { start, isPending } = useStartJob();
  const list = useInfiniteQuery(
    orpc.jobs.list.infiniteOptions({
      input: (cursor: string | undefined) => ({ limit: PAGE, ...(status ? { status } : {}), ...(cursor !== undefined ? { cursor } : {}) }),
      initialPageParam: undefined as string | undefined,
      getNextPageParam: (last: JobList) => last.next,
    }),
  );
  const jobs = list.data?.pages.flatMap((p) => p.jobs) ?? [];
  const active = list.data?.pages[0]?.active ?? 0;
  const now = useNow(jobs.some((j) => j.status === 'running'));

  return (
    <div className="view view--padded view--jobs">
      <header className="view__header">
        <div className="view__heading">
          <h1 className="view__title">Jobs</h1>
          <p className="view__subtitle">Flushes, backups, restores, evictions and index rebuilds: they run in the background, one row each in system.jobs.</p>
        </div>
        <div className="toolbar" role="group" aria-label="Start a job">
          <button type="button" className="button button--small" disabled={gates.write !== undefined} title={gates.write} onClick={() => setDialog('flush')}>
            Flush table…
          </button>
          <button type="button" className="button button--small" disabled={gates.write !== undefined} title={gates.write} onClick={() => setDialog('compact')}>
            Compact table…
          </button>
          <button
            type="button"
            className="button button--small"
            disabled={gates.write !== undefined || isPending}
            title={gates.write}
            onClick={() => start({ type: 'flush_all' })}
          >
            Flush all
          </button>
          <button
            type="button"
            className="button button--small"
            disabled={gates.write !== undefined || isPending}
            title={gates.write}
            onClick={() => start({ type: 'evict' })}
          >
            Evict expired rows
          </button>
          {/* A backup only reads the data: allowed in read-only mode. */}
          <button type="button" className="button button--small" disabled={gates.manage !== undefined} title={gates.manage} onClick={() => setDialog('backup')}>
            Back up…
          </button>
          <button type="button" className="button button--small" disabled={gates.write !== undefined} title={gates.write} onClick={() => setDialog('restore')}>
            Restore…
          </button>
        </div>
      </header>

      <div className="browser-bar jobs-bar">
        <label className="jobs-bar__filter">
          Show{' '}
          <select className="select select--compact" aria-label="Filter by status" value={status} onChange={(e) => setStatus(e.target.value as JobStatus | '')}>
            <option value="">All jobs</option>
            {JobStatusSchema.options.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
        <span className="muted" role="status">
          {active === 0 ? 'Nothing running' : `${active} active`}
        </span>
        <div className="browser-bar__spacer" />
        <button type="button" className="button button--small" onClick={() => void list.refetch()} disabled={list.isFetching}>
          Refresh
        </button>
      </div>

      {focus !== undefined ? <FocusedJob id={focus} gates={gates} /> : null}

      {list.isError ? (
        <Alert kind="error" title="Jobs could not be listed">
          {errorMessage(list.error)}
        </Alert>
      ) : null}
      {list.isPending ? (
        <p className="muted" role="status">
          Loading jobs…
        </p>
      ) : null}
      {list.data && jobs.length === 0 ? <p className="muted">{status ? `No ${STATUS_LABELS[status].toLowerCase()} jobs.` : 'No jobs yet.'}</p> : null}
      {jobs.length > 0 ? (
        <CaptionedTable className="data-table jobs-table" caption="Jobs, newest first" headers={JOB_HEADERS}>
          {jobs.map((job) => (
            <JobRow key={job.job_id} job={job} now={now} gates={gates} focused={job.job_id === focus} />
          ))}
        </CaptionedTable>
      ) : null}
      {list.hasNextPage ? (
        <button type="button" className="button button--small jobs-more" disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
          {list.isFetchingNextPage ? 'Loading…' : 'Show older jobs'}
        </button>
      ) : null}

      {dialog === 'flush' || dialog === 'compact' ? <TableJobDialog job={dialog} onClose={() => setDialog(undefined)} /> : null}
      {dialog === 'backup' ? <BackupDialog onClose={() => setDialog(undefined)} /> : null}
      {dialog === 'restore' ? <RestoreDialog onClose={() => setDialog(undefined)} /> : null}
    </div>
  );
}
