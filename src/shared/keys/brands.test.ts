/**
 * Type-level tests: the key brands keep one kind of id from being passed where another is expected.
 *
 * The checks are `// @ts-expect-error` lines inside `brandMixUps`, which is type-checked by
 * `npm run typecheck` (tsconfig.node.json includes src/shared/**) but never called. If a brand
 * stopped rejecting a mix-up, its @ts-expect-error would be unused and typecheck would fail.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type JobId,
  JobIdKey,
  type LiveQueryId,
  LiveQueryIdKey,
  type NamespaceId,
  NamespaceIdKey,
  type RowId,
  rowId,
  type StorageId,
  StorageIdKey,
  type TableId,
  TableIdKey,
  type TableName,
  type UserId,
  UserIdKey,
  type UserName,
  UserNameKey,
  userRowId,
  type UserRowId,
  userRowsPrefix,
} from './index';

declare function takesUserId(id: UserId): void;
declare function takesNamespaceId(id: NamespaceId): void;
declare function takesStorageId(id: StorageId): void;
declare function takesJobId(id: JobId): void;
declare function takesUserName(name: UserName): void;
declare function takesTableId(id: TableId): void;
declare function takesLiveQueryId(id: LiveQueryId): void;
declare function takesRowId(id: RowId): void;
declare function takesBytes(bytes: Uint8Array): void;
declare function takesString(text: string): void;

/** Never called: only its types matter. Each @ts-expect-error must be needed, or typecheck fails. */
function brandMixUps(
  user: UserId,
  namespace: NamespaceId,
  storage: StorageId,
  job: JobId,
  name: UserName,
  table: TableId,
  liveQuery: LiveQueryId,
  tableName: TableName,
  row: RowId,
  // The same buffer type as RowId's, so that only the brand can make the difference.
  plainBytes: Uint8Array<ArrayBuffer>,
  plainText: string,
): void {
  // @ts-expect-error -- a UserId is not a NamespaceId
  takesNamespaceId(user);
  // @ts-expect-error -- a UserId is not a StorageId
  takesStorageId(user);
  // @ts-expect-error -- a UserId is not a JobId
  takesJobId(user);
  // @ts-expect-error -- a UserId is not a UserName (login names and ids are different things)
  takesUserName(user);
  // @ts-expect-error -- nor the other way round
  takesUserId(name);
  // @ts-expect-error -- a NamespaceId is not a UserId
  takesUserId(namespace);
  // @ts-expect-error -- a StorageId is not a UserId
  takesUserId(storage);
  // @ts-expect-error -- a JobId is not a UserId
  takesUserId(job);

  // @ts-expect-error -- a TableId is not a LiveQueryId
  takesLiveQueryId(table);
  // @ts-expect-error -- a LiveQueryId is not a TableId
  takesTableId(liveQuery);
  // @ts-expect-error -- a structurally fitting object literal is still not a TableId
  takesTableId({ namespace, table: tableName });

  // @ts-expect-error -- a plain Uint8Array is not a RowId
  takesRowId(plainBytes);
  // @ts-expect-error -- a plain Uint8Array is not a RowId, even inside a UserRowId
  userRowId(user, plainBytes);

  // @ts-expect-error -- a plain string is not a UserId
  takesUserId(plainText);
  // @ts-expect-error -- a string literal is not a UserId
  takesUserId('alice');
  // @ts-expect-error -- a plain string is not a UserId (userRowsPrefix wants one)
  userRowsPrefix(plainText);

  // Positive controls: the right brand is accepted, and a brand widens to its base type.
  takesUserId(user);
  takesNamespaceId(namespace);
  takesStorageId(storage);
  takesJobId(job);
  takesUserName(name);
  takesTableId(table);
  takesLiveQueryId(liveQuery);
  takesRowId(row);
  takesBytes(row);
  takesString(user);
  takesString(namespace);
  takesString(job);
}

describe('key brands', () => {
  it('mix-ups are compile errors (see brandMixUps, checked by tsc, never run)', () => {
    expect(typeof brandMixUps).toBe('function');
  });

  it('brands are compile-time only: at run time a branded key is the plain value', () => {
    const user = UserIdKey.parse('alice');
    const storage = StorageIdKey.parse('alice');
    const namespace = NamespaceIdKey.parse('alice');
    const name = UserNameKey.parse('alice');
    expect(typeof user).toBe('string');
    expect([storage, namespace, name]).toEqual([user, user, user]);
    expect(UserIdKey.encode(user)).toEqual(NamespaceIdKey.encode(namespace));

    const row = rowId(1);
    expect(row).toBeInstanceOf(Uint8Array);
    const key: UserRowId = userRowId(user, row);
    expect(key).toEqual({ user: 'alice', row });

    expect(JobIdKey.parse('FL-x')).toBe('FL-x');
    expect(TableIdKey.parse('app.t')).toEqual({ namespace: 'app', table: 't' });
    expect(LiveQueryIdKey.parse('a/b/c')).toEqual({ user: 'a', connection: 'b', subscription: 'c' });
  });

  it('codec types carry their brands', () => {
    expectTypeOf(UserIdKey.parse('alice')).toEqualTypeOf<UserId>();
    expectTypeOf(NamespaceIdKey.parse('app')).toEqualTypeOf<NamespaceId>();
    expectTypeOf(TableIdKey.decode(TableIdKey.encode(TableIdKey.parse('app.t')))).toEqualTypeOf<TableId>();
    expectTypeOf<UserId>().not.toEqualTypeOf<NamespaceId>();
    expectTypeOf<UserId>().toExtend<string>();
    expectTypeOf<string>().not.toExtend<UserId>();
    expectTypeOf<RowId>().toExtend<Uint8Array>();
    expectTypeOf<Uint8Array>().not.toExtend<RowId>();
    expectTypeOf<TableId>().not.toExtend<LiveQueryId>();
  });
});
