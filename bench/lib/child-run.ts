import { execFileSync } from 'node:child_process';

/** What a measured child process (bench/io-child.ts, bench/jobs-flush-child.ts) prints as its last line. */
export interface ChildRun {
  seconds: number;
  cpuSeconds: number;
  rows: number;
  bytes: number;
  maxRssMb: number;
}

/** Runs a TypeScript bench child in its own process, so that its peak RSS is its own, and reads its result. */
export function runChild(script: string, args: readonly string[], nodeFlags: readonly string[] = []): ChildRun {
  const text = execFileSync(process.execPath, [...nodeFlags, '--import', 'tsx', script, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(text.trim().split('\n').pop()!) as ChildRun;
}
