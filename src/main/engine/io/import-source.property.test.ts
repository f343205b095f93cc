import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { csvFieldWriter } from '../../../shared/csv-field';
import { eachRecord, openSource, utf8Chunks } from './import-source';

const dir = mkdtempSync(join(tmpdir(), 'kalam-import-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = (bytes: Buffer | string) => {
  const path = join(dir, `f${n++}.csv`);
  writeFileSync(path, bytes);
  return path;
};

async function collect(path: string, chunkBytes: number): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const chunk of utf8Chunks(path, chunkBytes)) out.push(chunk);
  return out;
}

describe('utf8Chunks', () => {
  it('hands over the file in chunks of whole characters, or refuses a byte sequence that is not UTF-8 (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 9 }),
        fc.option(fc.tuple(fc.nat(), fc.constantFrom(0x80, 0xbf, 0xc3, 0xe9, 0xf0, 0xff)), { nil: undefined }),
        async (text, chunkBytes, broken) => {
          let bytes = Buffer.from(text, 'utf8');
          if (broken) {
            const at = broken[0] % (bytes.length + 1);
            bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from([broken[1]]), bytes.subarray(at)]);
          }
          const path = file(bytes);
          if (isUtf8(bytes)) {
            const chunks = await collect(path, chunkBytes);
            expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
            for (const c of chunks) {
              expect(c.length).toBeGreaterThan(0);
              expect(isUtf8(c)).toBe(true);
            }
          } else {
            await expect(collect(path, chunkBytes)).rejects.toThrow(/is not UTF-8 text/);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('CSV source', () => {
  // Fields as our exports write them: NULL an empty unquoted field, '' a quoted one.
  const field = fc.oneof(
    fc.constant(null),
    fc.constant(''),
    fc.string({ unit: fc.constantFrom('"', ',', '\n', ' ', 'a', 'é', '€', '𝄞'), maxLength: 6 }),
    fc.string({ unit: 'grapheme', maxLength: 8 }).filter((s) => !s.includes('\0') && !s.includes('\r')),
  );

  it('reads each record with NULL and "" apart and the line it starts on, across chunks of the file (property)', async () => {
    const write = csvFieldWriter(',');
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(field, field, field), { minLength: 1, maxLength: 30 }),
        fc.boolean(),
        // Sometimes a long field, so that the records span several chunks of the file.
        fc.option(fc.nat({ max: 29 }), { nil: undefined }),
        async (records, crlf, long) => {
          const eol = crlf ? '\r\n' : '\n';
          const rows = records.map((r, i) => (i === long ? ([r[0], 'é'.repeat(70_000), r[2]] as const) : r));
          const lines: number[] = [];
          let line = 2;
          const body = rows.map((r) => {
            lines.push(line);
            const text = r.map(write).join(',');
            line += 1 + (text.match(/\n/g)?.length ?? 0);
            return text;
          });
          const source = await openSource(file(['a,b,c', ...body].join(eol) + eol));
          const read = [];
          for await (const r of eachRecord(source)) read.push(r);
          expect(read.map((r) => [r.line, r.values])).toEqual(rows.map((r, i) => [lines[i], { a: r[0], b: r[1], c: r[2] }]));
        },
      ),
      { numRuns: 120 },
    );
  });
});
