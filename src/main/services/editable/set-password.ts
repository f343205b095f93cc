import { entitiesContract } from '../../../shared/contract/entities-contract';
import type { VersionedRow } from '../../../shared/contract/rows-contract';
import type { UserId } from '../../../shared/keys/user-id';
import { assertCanWrite } from '../../engine/access/subject';
import { EngineError, NotFoundError } from '../../engine/errors';
import { UsersStore } from '../../engine/system/users/users-store';
import type { ServiceDeps } from '../deps';
import type { Acting } from '../view-as';
import { outputOf, type WriteScope } from '../writer';

/**
 * Sets a user's password: hashed here, outside the transaction, then stored with its audit
 * entry. Neither the password nor the hash reaches the log, the audit trail or the reply.
 */
export async function setUserPassword(deps: ServiceDeps, { subject, actor }: Acting, input: { userId: UserId; password: string }): Promise<VersionedRow> {
  const { engine, catalog, writer } = deps;
  const users = engine.system.users;
  const entry = catalog.resolve('system.users');
  writer.assertWritable();
  assertCanWrite(subject, entry.ref, entry.provider.access);
  const live = (): void => {
    const user = users.get(input.userId);
    if (!user) throw new NotFoundError(`user ${input.userId}`);
    if (user.deleted_at !== null) throw new EngineError('NOT_FOUND', `user ${input.userId} is deleted`);
  };
  live(); // before the slow hash
  const hash = await UsersStore.hashNewPassword(input.password);
  const work = (scope: WriteScope): VersionedRow => {
    live();
    const before = users.get(input.userId)!;
    const after = users.storePasswordHash(input.userId, hash, scope.now);
    scope.changed(entry.ref, input.userId, 'update');
    scope.audit({
      action: 'users.setPassword',
      target: `${entry.ref}/${input.userId}`,
      before: catalog.summarize(entry, before),
      after: catalog.summarize(entry, after),
    });
    return catalog.versionedRow(entry, input.userId, subject);
  };
  return writer.commit(actor, work, { output: outputOf(entitiesContract.setPassword) });
}
