import type { Job } from '../../../shared/system/jobs';
import { processAlive } from '../process-lock';

/** How the CLI marks the jobs it runs itself (src/main/cli/cli-job.ts writes this message). */
const CLI_MARK = /^run by the CLI \(pid (\d+)\)/;

/** The pid of the live CLI process running this job, if another process runs it. */
export function runningInCli(job: Job): number | undefined {
  const pid = Number(CLI_MARK.exec(job.message ?? '')?.[1]);
  return pid && pid !== process.pid && processAlive(pid) ? pid : undefined;
}
