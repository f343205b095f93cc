import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { holdPoint } from './hold-point';

function context(signal = new AbortController().signal) {
  return { signal, report: () => undefined };
}

describe('holdPoint', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kalam-hold-'));
  afterEach(() => vi.unstubAllEnvs());

  it('returns at once without a hold folder, and with one that lacks the file', async () => {
    writeFileSync(join(dir, 'p'), '');
    await holdPoint('p', context());
    vi.stubEnv('KALAM_HOLD_DIR', dir);
    await holdPoint('other', context());
    rmSync(join(dir, 'p'));
  });

  it('holds while the file exists and goes on once it is removed', async () => {
    vi.stubEnv('KALAM_HOLD_DIR', dir);
    writeFileSync(join(dir, 'p'), '');
    let released = false;
    const held = holdPoint('p', context()).then(() => (released = true));
    await new Promise((r) => setImmediate(r));
    expect(released).toBe(false);
    rmSync(join(dir, 'p'));
    await held;
    expect(released).toBe(true);
  });

  it('lets a cancelled job go (it then stops at its next check)', async () => {
    vi.stubEnv('KALAM_HOLD_DIR', dir);
    writeFileSync(join(dir, 'p'), '');
    const controller = new AbortController();
    const held = holdPoint('p', context(controller.signal));
    controller.abort();
    await held;
    rmSync(join(dir, 'p'));
  });
});
