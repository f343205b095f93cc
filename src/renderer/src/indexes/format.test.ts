import { describe, expect, it } from 'vitest';
import { formatBytes, keyShape } from './format';

describe('formatBytes', () => {
  it('uses binary units with a sensible precision', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024)).toBe('1 KiB');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(10 * 1024 * 1024 + 300_000)).toBe('10.3 MiB');
    expect(formatBytes(250 * 1024 ** 3)).toBe('250 GiB');
    expect(formatBytes(-1)).toBe('—');
  });
});

describe('keyShape', () => {
  it('lists the fields, then the primary key', () => {
    expect(keyShape({ fields: ['role', 'created_at'] })).toBe('(role, created_at) → key');
  });
});
