import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import type { Job } from '../../../shared/system/jobs';
import { orpc } from '../api/client';
import { useGate } from '../app/gates';
import { routeHref } from '../app/routes';
import { JobProgressBar } from './JobProgressBar';
import { ACTIVE, describeJob, formatTime, STATUS_LABELS } from './job-text';

/** Finished jobs the header keeps. */
const RECENT = 5;
/** Newest jobs read to find them (running ones come first when many run). */
const NEWEST = 25;

function RecentJob({ job, onOpen }: { job: Job; onOpen: () => void }) {
  return (
    <li className="jobs-recent__item">
      <a className="jobs-recent__link" href={routeHref({ view: 'jobs', job: job.job_id })} onClick={onOpen}>
        <span className="jobs-recent__what">{describeJob(job)}</span>
        <span className={`job-status job-status--${job.status}`}>{STATUS_LABELS[job.status]}</span>
      </a>
      <span className="jobs-recent__when">
        {job.job_id} · {formatTime(job.finished_at ?? job.created_at)}
        {job.error ? ` · ${job.error}` : ''}
      </span>
    </li>
  );
}

/**
 * In the header on every page: how many jobs are active and the first running one's progress (opens
 * #/jobs), and a list of the running and the last finished jobs, each a link to the job.
 */
export function JobsIndicator() {
  // Only for a subject that may read system.jobs (a plain user sees no jobs).
  const hidden = useGate({ right: 'readJobs' }) !== undefined;
  return hidden ? null : <ActiveJobs />;
}

function ActiveJobs() {
  const running = useQuery(orpc.jobs.list.queryOptions({ input: { status: 'running', limit: 1 } }));
  const newest = useQuery(orpc.jobs.list.queryOptions({ input: { limit: NEWEST } }));
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);
  const active = running.data?.active ?? 0;
  const first = running.data?.jobs[0];
  const text = active === 0 ? 'No jobs running' : `${active} job${active === 1 ? '' : 's'} active`;
  const jobs = newest.data?.jobs ?? [];
  const current = jobs.filter((j) => ACTIVE.has(j.status));
  const finished = jobs.filter((j) => !ACTIVE.has(j.status)).slice(0, RECENT);

  useEffect(() => {
    if (!open) return;
    const close = (e: Event) => {
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !root.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);

  return (
    <div className="jobs-indicator-group" ref={root}>
      <a
        className={`jobs-indicator${active > 0 ? ' jobs-indicator--busy' : ''}`}
        href="#/jobs"
        title={first ? `${describeJob(first)} (${first.job_id})` : 'Open the jobs page'}
      >
        <span className="jobs-indicator__dot" aria-hidden="true" />
        <span className="jobs-indicator__text">{text}</span>
        {first ? <JobProgressBar job={first} compact /> : null}
      </a>
      <button
        type="button"
        className="icon-button jobs-indicator__more"
        aria-expanded={open}
        aria-controls={panelId}
        aria-label="Recent jobs"
        title="Recent jobs"
        onClick={() => setOpen((o) => !o)}
      >
        <span aria-hidden="true">▾</span>
      </button>
      <div id={panelId} className="jobs-recent" role="region" aria-label="Recent jobs" hidden={!open}>
        {current.length > 0 ? (
          <>
            <h2 className="jobs-recent__heading">Active</h2>
            <ul className="jobs-recent__list" aria-label="Active jobs">
              {current.map((job) => (
                <RecentJob key={job.job_id} job={job} onOpen={() => setOpen(false)} />
              ))}
            </ul>
          </>
        ) : null}
        <h2 className="jobs-recent__heading">Recently finished</h2>
        {finished.length > 0 ? (
          <ul className="jobs-recent__list" aria-label="Recently finished jobs">
            {finished.map((job) => (
              <RecentJob key={job.job_id} job={job} onOpen={() => setOpen(false)} />
            ))}
          </ul>
        ) : (
          <p className="muted jobs-recent__empty">No job has finished yet.</p>
        )}
        <a className="jobs-recent__all" href="#/jobs" onClick={() => setOpen(false)}>
          All jobs
        </a>
      </div>
    </div>
  );
}
