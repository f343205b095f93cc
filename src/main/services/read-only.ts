import type { ReadOnlyMode } from '../engine/read-only';
import type { ChangeBus } from './change-bus';

/** Announces every change of the engine's read-only mode on the bus (open pages follow it). Returns the unsubscribe function. */
export function publishReadOnly(mode: ReadOnlyMode, bus: ChangeBus): () => void {
  return mode.subscribe((status) => bus.publish({ type: 'engine', readOnly: status.enabled }));
}
