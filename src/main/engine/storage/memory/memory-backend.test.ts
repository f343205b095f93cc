import { describe, expect, it } from 'vitest';
import { describeBackendConformance } from '../testing/backend-conformance';
import { MemoryBackend } from './memory-backend';

describeBackendConformance('in memory (B+ tree)', { create: () => new MemoryBackend() });

describe('MemoryBackend specifics', () => {
  it('keeps nothing: it declares no persistence and no snapshot', () => {
    expect(new MemoryBackend().supports).toEqual({ rangeDelete: true, snapshot: false, persistence: false });
  });

  it('hands out copies: changing a value read or written changes nothing stored', () => {
    const b = new MemoryBackend();
    b.createPartition('p');
    const key = Uint8Array.of(1);
    const value = Uint8Array.of(7);
    b.put('p', key, value);
    value[0] = 8;
    key[0] = 9;
    const read = b.get('p', Uint8Array.of(1))!;
    expect([...read]).toEqual([7]);
    read[0] = 6;
    for (const [k, v] of b.scan('p')) {
      k[0] = 5;
      v[0] = 5;
    }
    expect([...b.get('p', Uint8Array.of(1))!]).toEqual([7]);
  });

  it('refuses every operation once closed', () => {
    const b = new MemoryBackend();
    b.createPartition('p');
    b.close();
    expect(() => b.get('p', Uint8Array.of(1))).toThrow(/closed/);
    expect(() => b.createPartition('q')).toThrow(/closed/);
    expect(() => b.transaction(() => 1)).toThrow(/closed/);
  });
});
