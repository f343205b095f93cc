import { describe, expect, it } from 'vitest';
import { ReadOnlyError, ReadOnlyMode, type ReadOnlyStatus } from './read-only';

describe('ReadOnlyMode', () => {
  it('is a session switch by default: off, on, off, each change heard once', () => {
    const mode = new ReadOnlyMode();
    const heard: ReadOnlyStatus[] = [];
    mode.subscribe((s) => heard.push(s));
    expect(mode.enabled).toBe(false);
    expect(() => mode.assertWritable()).not.toThrow();
    expect(mode.set(true)).toBe(true);
    expect(mode.set(true)).toBe(false);
    expect(() => mode.assertWritable()).toThrow(ReadOnlyError);
    expect(mode.set(false)).toBe(true);
    expect(heard).toEqual([
      { enabled: true, locked: false, reason: null },
      { enabled: false, locked: false, reason: null },
    ]);
  });

  it('locked at launch: on from the start, and turning it off is refused with the reason', () => {
    const mode = new ReadOnlyMode({ lockedReason: 'started with --read-only' });
    const heard: ReadOnlyStatus[] = [];
    mode.subscribe((s) => heard.push(s));
    expect(mode.status).toEqual({ enabled: true, locked: true, reason: 'started with --read-only' });
    expect(() => mode.set(false)).toThrow(/locked for this run \(started with --read-only\)/);
    expect(mode.enabled).toBe(true);
    expect(() => mode.assertWritable()).toThrow(expect.objectContaining({ code: 'READ_ONLY' }) as Error);
    expect(heard).toEqual([]);
  });
});
