/**
 * A second process writing beside a backup (backup-while-writing.test.ts):
 *
 *   node --import tsx writer-child.ts <database> <every ms>
 *
 * Every <every ms>, one transaction adds row n to the `test.writes` partition and sets the
 * `test.counter` row to n (n = 1, 2, 3, …), so any consistent copy holds exactly rows 1..N with the
 * counter at N. Prints "ready" after its first write; when stdin closes, stops and prints "last <n>".
 */
import { SqliteBackend } from '../../storage/sqlite/sqlite-backend';
import { WRITER_COUNTER, WRITER_COUNTER_KEY, WRITER_ROWS, writerKey } from './writer-layout';

const [path, every] = process.argv.slice(2);
if (!path || !Number(every)) {
  console.error('usage: writer-child.ts <database> <every ms>');
  process.exit(2);
}
const backend = new SqliteBackend(path);
let n = 0;
const write = (): void => {
  const next = n + 1;
  backend.batch([
    { type: 'put', partition: WRITER_ROWS, key: writerKey(next), value: Buffer.from(`row ${next}`) },
    { type: 'put', partition: WRITER_COUNTER, key: WRITER_COUNTER_KEY, value: writerKey(next) },
  ]);
  n = next;
};
write();
process.stdout.write('ready\n');
const timer = setInterval(write, Number(every));
process.stdin.on('end', () => {
  clearInterval(timer);
  backend.close();
  process.stdout.write(`last ${n}\n`);
});
process.stdin.resume();
