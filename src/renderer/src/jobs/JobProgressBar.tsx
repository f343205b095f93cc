import type { Job, JobProgress } from '../../../shared/system/jobs';
import { describeProgress, fraction } from './job-text';

/** A progress bar (indeterminate without a total) with its label under it unless `compact`. */
export function ProgressBar({ progress, name, label, compact = false }: { progress: JobProgress | null; name: string; label: string; compact?: boolean }) {
  const f = fraction(progress);
  return (
    <div className={`job-progress${compact ? ' job-progress--compact' : ''}`}>
      <div
        className={`job-progress__track${f === undefined ? ' job-progress__track--indeterminate' : ''}`}
        role="progressbar"
        aria-label={name}
        aria-valuemin={0}
        aria-valuemax={100}
        {...(f !== undefined ? { 'aria-valuenow': Math.round(f * 100) } : {})}
        aria-valuetext={label || undefined}
      >
        <div className="job-progress__fill" style={f !== undefined ? { width: `${(f * 100).toFixed(1)}%` } : undefined} />
      </div>
      {!compact && label ? <div className="job-progress__label">{label}</div> : null}
    </div>
  );
}

/** A job's progress: the bar (indeterminate without a total), the phase, done/total and rate. */
export function JobProgressBar({ job, compact = false }: { job: Job; compact?: boolean }) {
  const progress = job.progress;
  const label = progress
    ? `${progress.phase}${describeProgress(progress) ? `: ${describeProgress(progress)}` : ''}`
    : job.status === 'running'
      ? 'starting'
      : '';
  return <ProgressBar progress={progress} name={`Progress of ${job.job_id}`} label={label} compact={compact} />;
}
