import { useQuery } from '@tanstack/react-query';
import { orpc } from '../api/client';
import { useGate } from '../app/gates';
import { JobProgressBar } from './JobProgressBar';
import { describeJob } from './job-text';

/** In the header on every page: how many jobs are active, the first running one's progress; opens #/jobs. */
export function JobsIndicator() {
  // Only for a subject that may read system.jobs (a plain user sees no jobs).
  const hidden = useGate({ right: 'readJobs' }) !== undefined;
  return hidden ? null : <ActiveJobs />;
}

function ActiveJobs() {
  const running = useQuery(orpc.jobs.list.queryOptions({ input: { status: 'running', limit: 1 } }));
  const active = running.data?.active ?? 0;
  const first = running.data?.jobs[0];
  const text = active === 0 ? 'No jobs running' : `${active} job${active === 1 ? '' : 's'} active`;
  return (
    <a
      className={`jobs-indicator${active > 0 ? ' jobs-indicator--busy' : ''}`}
      href="#/jobs"
      title={first ? `${describeJob(first)} (${first.job_id})` : 'Open the jobs page'}
    >
      <span className="jobs-indicator__dot" aria-hidden="true" />
      <span className="jobs-indicator__text">{text}</span>
      {first ? <JobProgressBar job={first} compact /> : null}
    </a>
  );
}
