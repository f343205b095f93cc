import type { ChangeBus } from './change-bus';
import { contractError } from './errors';

/**
 * The read-only switch, held in the main process: while it is on, every write procedure refuses,
 * whatever the renderer shows.
 */
export class ReadOnlySwitch {
  constructor(
    private on: boolean,
    private readonly bus: ChangeBus,
  ) {}

  get enabled(): boolean {
    return this.on;
  }

  set(readOnly: boolean): void {
    if (readOnly === this.on) return;
    this.on = readOnly;
    this.bus.publish({ type: 'engine', readOnly });
  }

  assertWritable(): void {
    if (this.on) throw contractError('READ_ONLY', 'The app is in read-only mode; turn read-only off to make changes.');
  }
}
