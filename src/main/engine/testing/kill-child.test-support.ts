import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root: children run from it so that `--import tsx` resolves. */
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

export interface ChildRun {
  /** Everything the child wrote to stdout, read to the end. */
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Whether this harness sent the SIGKILL. */
  readonly killed: boolean;
}

interface KillChildOptions {
  /** Once the child's stdout so far passes this test, it is SIGKILLed killAfterMs later. */
  armWhen: (stdout: string) => boolean;
  /** Undefined: never kill, let the child finish. */
  killAfterMs: number | undefined;
  /** A child still running after this long is killed and the run fails. */
  timeoutMs: number;
}

/**
 * Runs a TypeScript script in a child Node process (for crash tests), SIGKILLs it a set time after
 * it reports a point reached on stdout, and resolves once all its output is read.
 */
export function runKillableChild(script: string, args: readonly string[], { armWhen, killAfterMs, timeoutMs }: KillChildOptions): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let armed = false;
    let killed = false;
    const timeout = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`child still running after ${timeoutMs} ms (output so far: ${JSON.stringify(stdout.slice(-200))}); stderr: ${stderr}`));
    }, timeoutMs);
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (!armed && killAfterMs !== undefined && armWhen(stdout)) {
        armed = true;
        setTimeout(() => {
          killed = child.kill('SIGKILL');
        }, killAfterMs);
      }
    });
    // 'close', not 'exit': only then has all of the child's output been read.
    child.on('close', (code, signal) => {
      clearTimeout(timeout);
      resolve({ stdout, stderr, code, signal, killed });
    });
  });
}

/** The run as a failure message, for a child that was expected to be killed or to finish. */
export function describeExit(run: ChildRun, what = 'child exited on its own'): string {
  return `${what} (code ${run.code}, signal ${run.signal}); stderr: ${run.stderr}`;
}
