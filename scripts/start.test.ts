import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

interface Supervised {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly status: number;
}

interface StartModule {
  supervise(name: string, command: string, args: readonly string[], env: NodeJS.ProcessEnv, report: (line: string) => void): Promise<Supervised>;
}

// Imported by URL: start.mjs is plain JavaScript without types; its main() only runs as a script.
const start = (await import(pathToFileURL(join(import.meta.dirname, 'start.mjs')).href)) as StartModule;

/** Runs `script` in a child Node as `npm start` runs the web-mode server; collects what is reported. */
async function supervise(script: string): Promise<{ result: Supervised; lines: string[] }> {
  const lines: string[] = [];
  const result = await start.supervise('the web-mode server', process.execPath, ['-e', script], process.env, (line) => lines.push(line));
  return { result, lines };
}

describe('npm start (scripts/start.mjs) reports how the server ended', () => {
  it('a server that dies from a crash signal: one line naming it, exit status 128 + its number', async () => {
    const { result, lines } = await supervise("process.kill(process.pid, 'SIGSEGV')");
    expect(result.signal).toBe('SIGSEGV');
    expect(lines).toEqual(['the web-mode server was stopped by signal SIGSEGV (it crashed); its log is logs/main.log in the data directory.']);
    expect(result.status).toBe(139);
  });

  it('a server killed with SIGKILL is reported too', async () => {
    const { result, lines } = await supervise("process.kill(process.pid, 'SIGKILL')");
    expect(lines).toEqual(['the web-mode server was stopped by signal SIGKILL; its log is logs/main.log in the data directory.']);
    expect(result.status).toBe(137);
  });

  it('a server that exits with an error code', async () => {
    const { result, lines } = await supervise('process.exit(3)');
    expect(lines).toEqual(['the web-mode server exited with code 3.']);
    expect(result.status).toBe(3);
  });

  it('a clean exit says nothing', async () => {
    const { result, lines } = await supervise('process.exit(0)');
    expect(lines).toEqual([]);
    expect(result.status).toBe(0);
  });

  it('a server that cannot be started at all', async () => {
    const lines: string[] = [];
    const result = await start.supervise('the web-mode server', '/nonexistent/node', [], process.env, (line) => lines.push(line));
    expect(lines).toEqual([expect.stringMatching(/^the web-mode server could not start: .*ENOENT/)]);
    expect(result.status).toBe(1);
  });
});
