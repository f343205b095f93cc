import type { Job, JobProgress } from '../../../shared/system/jobs';
import { describeProgress, fraction } from './job-text';

/**
 * A progress bar (indeterminate without a total) with its label under it unless `compact`.
 * `stopped`: the job ended before finishing (failed or cancelled): the bar is drawn still, in the
 * danger colour, showing where it stopped, never as work going on or done.
 */
export function ProgressBar({
  progress,
  name,
  label,
  compact = false,
  stopped = false,
}: {
  progress: JobProgress | null;
  name: string;
  label: string;
  compact?: boolean;
  stopped?: boolean;
}) {
  const f = fraction(progress);
  const indeterminate = f === undefined && !stopped;
  return (
    <div className={`job-progress${compact ? ' job-progress--compact' : ''}${stopped ? ' job-progress--stopped' : ''}`}>
      <div
        className={`job-progress__track${indeterminate ? ' job-progress__track--indeterminate' : ''}`}
        role="progressbar"
        aria-label={name}
        aria-valuemin={0}
        aria-valuemax={100}
        {...(f !== undefined ? { 'aria-valuenow': Math.round(f * 100) } : {})}
        aria-valuetext={label || undefined}
      >
        <div className="job-progress__fill" style={f !== undefined ? { width: `${(f * 100).toFixed(1)}%` } : stopped ? { width: 0 } : undefined} />
      </div>
      {!compact && label ? <div className="job-progress__label">{label}</div> : null}
    </div>
  );
}

/** A job's progress: the bar (indeterminate without a total), the phase, done/total and rate; where a failed or cancelled job stopped. */
export function JobProgressBar({ job, compact = false }: { job: Job; compact?: boolean }) {
  const progress = job.progress;
  const stopped = job.status === 'failed' || job.status === 'cancelled';
  const described = progress ? `${progress.phase}${describeProgress(progress) ? `: ${describeProgress(progress)}` : ''}` : '';
  const label = stopped
    ? `${job.status === 'failed' ? 'failed' : 'cancelled'}${described ? ` during ${described}` : ''}`
    : described || (job.status === 'running' ? 'starting' : '');
  return <ProgressBar progress={progress} name={`Progress of ${job.job_id}`} label={label} compact={compact} stopped={stopped} />;
}
