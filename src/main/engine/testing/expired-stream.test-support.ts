import { TableIdKey } from '../../../shared/keys/table-id';
import { UserIdSchema } from '../../../shared/keys/user-id';
import { SYSTEM_SUBJECT } from '../access/subject';
import { Engine } from '../engine';

/**
 * Creates `<namespace>.events`, a stream table with a 1 s TTL, in the data directory, and writes
 * users × rowsPerUser rows with a clock an hour back: every row has expired, so an eviction deletes
 * them all (a long job for the bench and the cancel test).
 */
export function seedExpiredStream(dataDir: string, namespace: string, users: number, rowsPerUser: number): void {
  const engine = Engine.openDataDir(dataDir, { now: () => Date.now() - 3_600_000 });
  try {
    engine.ddl.createNamespace(SYSTEM_SUBJECT, { name: namespace });
    engine.ddl.createTable(SYSTEM_SUBJECT, {
      namespace,
      name: 'events',
      type: 'stream',
      ttl_seconds: 1,
      columns: [
        { name: 'id', type: 'integer', primary_key: true },
        { name: 'body', type: 'text', nullable: false },
      ],
    });
    const store = engine.data.stream(TableIdKey.parse(`${namespace}.events`));
    for (let u = 0; u < users; u++) {
      const subject = { userId: UserIdSchema.parse(`u${u}`), role: 'user' as const };
      store.appendRows(
        subject,
        Array.from({ length: rowsPerUser }, (_, i) => ({ id: i, body: `event ${i} of user ${u}` })),
      );
    }
  } finally {
    engine.close();
  }
}
