/**
 * The query worker, ended abruptly (exit code 7) by a query whose text holds `crash-the-worker`:
 * what query-worker tests use to see a dead worker replaced.
 */
import { parentPort } from 'node:worker_threads';
import type { QueryRequest } from '../query-worker-protocol';

// Registered before the worker's own listener, so it sees the request first.
parentPort?.on('message', (m: QueryRequest) => {
  if (m.type === 'open' && m.script.includes('crash-the-worker')) process.exit(7);
});
await import('../query-worker');
