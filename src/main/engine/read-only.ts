import { EngineError } from './errors';

/** What the header shows: on or off, and whether the launch locked it on (with why). */
export interface ReadOnlyStatus {
  readonly enabled: boolean;
  /** Locked on for the life of the process (started with --read-only): nothing turns it off. */
  readonly locked: boolean;
  /** Why it is locked, e.g. "started with --read-only"; null when not locked. */
  readonly reason: string | null;
}

export class ReadOnlyError extends EngineError {
  override name = 'ReadOnlyError';
  constructor(message = 'The app is in read-only mode; turn read-only off to make changes.') {
    super('READ_ONLY', message);
  }
}

export interface ReadOnlyOptions {
  /** Locks read-only on for the life of the process, with this reason. */
  readonly lockedReason?: string | undefined;
  /** Starts on without a lock (the session switch carried over to another data directory). */
  readonly enabled?: boolean | undefined;
}

/**
 * The one read-only rule of a process: every write path (the services' writer, the job manager,
 * the flush scheduler) asks it. Locked at launch, it can never be turned off; otherwise it is a
 * session switch.
 */
export class ReadOnlyMode {
  private on: boolean;
  private readonly lockedReason: string | null;
  private readonly listeners = new Set<(status: ReadOnlyStatus) => void>();

  constructor(options: ReadOnlyOptions = {}) {
    this.lockedReason = options.lockedReason ?? null;
    this.on = this.lockedReason !== null || options.enabled === true;
  }

  get enabled(): boolean {
    return this.on;
  }

  get status(): ReadOnlyStatus {
    return { enabled: this.on, locked: this.lockedReason !== null, reason: this.lockedReason };
  }

  /** Refuses turning a locked mode off (READ_ONLY, with the reason); anything else may be set. */
  assertMaySet(readOnly: boolean): void {
    if (!readOnly && this.on && this.lockedReason !== null) {
      throw new ReadOnlyError(`Read-only mode is locked for this run (${this.lockedReason}); restart without it to make changes.`);
    }
  }

  /** Turns the session switch; returns whether it changed. Turning a locked mode off is refused. */
  set(readOnly: boolean): boolean {
    if (readOnly === this.on) return false;
    this.assertMaySet(readOnly);
    this.on = readOnly;
    const status = this.status;
    for (const listener of [...this.listeners]) listener(status);
    return true;
  }

  assertWritable(): void {
    if (!this.on) return;
    throw new ReadOnlyError(
      this.lockedReason === null ? undefined : `The app is in read-only mode (${this.lockedReason}); restart without it to make changes.`,
    );
  }

  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: (status: ReadOnlyStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
