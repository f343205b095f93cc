import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { AppSession } from '../../app/app-session';
import { ArgsError, parseAppArgs, USAGE } from '../../app/args';
import { AppAlreadyRunningError } from '../../app/bootstrap';
import { appSettingsDir } from '../../app/paths';
import { LAUNCH_LINE_PREFIX } from '../../../shared/web-session';
import { startWebServer, type WebServer } from './web-server';

export interface WebModeIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export interface WebModeOptions {
  /** Arguments after the script path. */
  readonly argv: readonly string[];
  /** The built renderer (out/renderer). */
  readonly rendererDir: string;
  readonly appVersion: string;
  readonly io?: WebModeIo;
  /** The bundled job worker (out/main/job-worker.js); without it jobs run on the main thread. */
  readonly jobWorkerPath?: string;
  /** The bundled SQL query worker (out/main/query-worker.js); without it queries run on the main thread. */
  readonly queryWorkerPath?: string;
}

export type WebModeResult =
  | { readonly ok: true; readonly server: WebServer; readonly session: AppSession; readonly shutdown: Shutdown }
  | { readonly ok: false; readonly exitCode: number };

/** Stops the server, then the services and the engine. Idempotent: later calls wait for the first. */
export type Shutdown = (reason: string) => Promise<void>;

const defaultIo: WebModeIo = {
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
  env: process.env,
};

/**
 * Starts web mode: parses the arguments (strictly), opens the data directory, starts the server
 * and prints the one line with the URL to open. Returns what to shut down; installing signal
 * handlers is up to the caller (see installSignalHandlers).
 */
export async function startWebMode(options: WebModeOptions): Promise<WebModeResult> {
  const io = options.io ?? defaultIo;
  let args;
  try {
    args = parseAppArgs(options.argv, { env: io.env });
  } catch (e) {
    if (!(e instanceof ArgsError)) throw e;
    io.stderr(`kalam-studio: ${e.message}\n\n${USAGE}\n`);
    return { ok: false, exitCode: 2 };
  }
  if (args.help) {
    io.stdout(USAGE + '\n');
    return { ok: false, exitCode: 0 };
  }
  if (!existsSync(join(options.rendererDir, 'index.html'))) {
    io.stderr(`kalam-studio: warning: no built renderer in ${options.rendererDir} (run \`npm run build\`); only the API is served.\n`);
  }

  let session: AppSession;
  try {
    session = AppSession.start({
      settingsDir: appSettingsDir({ platform: process.platform, env: io.env, homeDir: homedir() }),
      dataDir: args.dataDir,
      mode: 'web',
      appVersion: options.appVersion,
      demo: args.demo,
      readOnly: args.readOnly,
      ...(options.jobWorkerPath && existsSync(options.jobWorkerPath) ? { jobs: { workerPath: options.jobWorkerPath } } : {}),
      ...(options.queryWorkerPath && existsSync(options.queryWorkerPath) ? { sql: { workerPath: options.queryWorkerPath } } : {}),
    });
  } catch (e) {
    io.stderr(
      e instanceof AppAlreadyRunningError
        ? `kalam-studio: ${e.message}\n`
        : `kalam-studio: cannot open the data directory ${args.dataDir}: ${errorMessage(e)}\n`,
    );
    return { ok: false, exitCode: 1 };
  }

  let server: WebServer;
  try {
    server = await startWebServer({
      // Every request reaches the open directory's services, also after a switch.
      services: () => session.current().services,
      rendererDir: options.rendererDir,
      port: args.port,
      logger: session.logger,
    });
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    const why =
      code === 'EADDRINUSE'
        ? `port ${args.port} is already in use (try --port 0 for a free one)`
        : code === 'EACCES'
          ? `not allowed to listen on port ${args.port}`
          : errorMessage(e);
    io.stderr(`kalam-studio: cannot start the web server: ${why}\n`);
    session.close();
    return { ok: false, exitCode: 1 };
  }
  // Event streams of the directory switched away from end with its services: their sockets go too.
  session.onSwitch(() => server.dropStaleSockets());

  io.stdout(`${LAUNCH_LINE_PREFIX}${server.url}\n`);
  return { ok: true, server, session, shutdown: createShutdown(server, session) };
}

export function createShutdown(server: WebServer, session: Pick<AppSession, 'current' | 'close'>): Shutdown {
  let done: Promise<void> | null = null;
  return (reason) => {
    done ??= (async () => {
      session.current().logger.info('shutting down', { reason });
      try {
        await server.close();
      } finally {
        session.close();
      }
    })();
    return done;
  };
}

export interface SignalTarget {
  once(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
}

/**
 * SIGINT / SIGTERM: shut down cleanly, then exit 0 (1 if closing failed). A second signal while
 * closing exits at once.
 */
export function installSignalHandlers(shutdown: Shutdown, target: SignalTarget = process, exit: (code: number) => void = (code) => process.exit(code)): void {
  let stopping = false;
  const onSignal = (signal: 'SIGINT' | 'SIGTERM'): void => {
    if (stopping) return exit(1);
    stopping = true;
    // Listen again so a second Ctrl-C forces the exit.
    target.once(signal === 'SIGINT' ? 'SIGINT' : 'SIGTERM', () => exit(1));
    shutdown(signal).then(
      () => exit(0),
      () => exit(1),
    );
  };
  target.once('SIGINT', () => onSignal('SIGINT'));
  target.once('SIGTERM', () => onSignal('SIGTERM'));
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
