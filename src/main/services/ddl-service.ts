import { ddlContract } from '../../shared/contract/ddl-contract';
import { alterTableStatement, createNamespaceStatement, createTableStatement, dropNamespaceStatement, dropTableStatement } from '../../shared/ddl-statement';
import { NamespaceIdSchema } from '../../shared/keys/namespace-id';
import { lowerCased } from '../../shared/keys/rules';
import { TableIdKey } from '../../shared/keys/table-id';
import type { TableMetadata } from '../../shared/system/tables';
import type { Engine } from '../engine/engine';
import { ValidationError } from '../engine/errors';
import type { ServiceDeps } from './deps';
import { impl } from './implementer';
import { outputOf, type WriteScope } from './writer';

/** Carries a dry run's result out of the transaction it rolls back. */
class RolledBack<T> extends Error {
  constructor(readonly result: T) {
    super('dry run rolled back');
  }
}

/** Runs `work` in a transaction that is always rolled back: every rule runs, nothing stays. */
function dryRun<T>(engine: Engine, work: () => T): T {
  try {
    engine.backend.transaction(() => {
      throw new RolledBack(work());
    });
  } catch (e) {
    if (e instanceof RolledBack) return e.result as T;
    throw e;
  }
  throw new Error('a dry run must roll back');
}

/** Runs an alter, naming its fields as paths of the procedure input ("change.column.default"). */
function inChange<T>(work: () => T): T {
  try {
    return work();
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    const field = (f: string) => (f === 'table' ? f : f === '' ? 'change' : `change.${f}`);
    throw new ValidationError(
      e.entity,
      e.issues.map((i) => ({ field: field(i.field), message: i.message })),
    );
  }
}

/** Namespaces and data tables: create, alter, drop, audited and announced like every other write. */
export function ddlService(deps: ServiceDeps) {
  const { engine, catalog, writer } = deps;
  const namespacesTable = catalog.resolve('system.namespaces');
  const tablesTable = catalog.resolve('system.tables');

  const tableKey = (meta: TableMetadata) => `${meta.namespace_id}.${meta.table_name}`;

  /** The audit entry and change events of a system.tables row changing. */
  function recordTable(scope: WriteScope, action: 'create' | 'alter' | 'drop', before: TableMetadata | null, after: TableMetadata | null): void {
    const meta = (after ?? before)!;
    const key = tableKey(meta);
    scope.audit({
      // The audit log's verbs for every table: create, update, delete.
      action: `tables.${action === 'alter' ? 'update' : action === 'drop' ? 'delete' : 'create'}`,
      target: `${tablesTable.ref}/${key}`,
      before: before && catalog.summarize(tablesTable, before),
      after: after && catalog.summarize(tablesTable, after),
    });
    scope.changed(tablesTable.ref, key, action === 'create' ? 'insert' : action === 'alter' ? 'update' : 'delete');
    // Open views of the table refetch: its columns changed, or it is gone.
    if (action !== 'create') scope.changed(key, null, 'bulk');
  }

  return {
    createNamespace: impl.ddl.createNamespace.handler(({ input, context }) => {
      writer.assertWritable();
      const { dryRun: dry, as: _as, ...request } = input;
      const create = () => engine.ddl.createNamespace(context.acting.subject, request);
      if (dry) {
        const namespace = dryRun(engine, create);
        return { applied: false, namespace, statement: createNamespaceStatement({ name: namespace.namespace_id, comment: namespace.comment }) };
      }
      const work = (scope: WriteScope) => {
        const ns = create();
        scope.audit({
          action: 'namespaces.create',
          target: `${namespacesTable.ref}/${ns.namespace_id}`,
          before: null,
          after: catalog.summarize(namespacesTable, ns),
        });
        scope.changed(namespacesTable.ref, ns.namespace_id, 'insert');
        return { applied: true, namespace: ns, statement: createNamespaceStatement({ name: ns.namespace_id, comment: ns.comment }) };
      };
      return writer.commit(context.acting.actor, work, { output: outputOf(ddlContract.createNamespace) });
    }),

    dropNamespace: impl.ddl.dropNamespace.handler(({ input, context }) => {
      writer.assertWritable();
      const cascade = input.cascade ?? false;
      const work = (scope: WriteScope) => {
        const id = NamespaceIdSchema.safeParse(lowerCased(input.name));
        const before = id.success ? engine.system.namespaces.get(id.data) : undefined;
        const tables = before ? [...engine.system.tables.inNamespace(before.namespace_id)] : [];
        const dropped = engine.ddl.dropNamespace(context.acting.subject, input.name, { cascade });
        for (const meta of tables) recordTable(scope, 'drop', meta, null);
        if (before) {
          scope.audit({
            action: 'namespaces.delete',
            target: `${namespacesTable.ref}/${before.namespace_id}`,
            before: catalog.summarize(namespacesTable, before),
            after: null,
          });
          scope.changed(namespacesTable.ref, before.namespace_id, 'delete');
        }
        return { dropped, statement: dropNamespaceStatement(lowerCased(input.name), cascade) };
      };
      return writer.commit(context.acting.actor, work, { output: outputOf(ddlContract.dropNamespace) });
    }),

    createTable: impl.ddl.createTable.handler(({ input, context }) => {
      writer.assertWritable();
      const { dryRun: dry, as: _as, ...request } = input;
      const create = () => engine.ddl.createTable(context.acting.subject, request);
      if (dry) {
        const definition = dryRun(engine, create);
        return { applied: false, definition, statement: createTableStatement(definition) };
      }
      const work = (scope: WriteScope) => {
        const meta = create();
        recordTable(scope, 'create', null, meta);
        return { applied: true, definition: meta, statement: createTableStatement(meta) };
      };
      return writer.commit(context.acting.actor, work, { output: outputOf(ddlContract.createTable) });
    }),

    alterTable: impl.ddl.alterTable.handler(({ input, context }) => {
      writer.assertWritable();
      const ref = deps.data.parseRef(input.table);
      const statement = alterTableStatement(TableIdKey.display(ref), input.change);
      const alter = (preview = false) => inChange(() => engine.ddl.alterTable(context.acting.subject, ref, input.change, { preview }));
      if (input.dryRun) return { applied: false, definition: dryRun(engine, () => alter(true)), statement };
      const work = (scope: WriteScope) => {
        const before = engine.data.metadata(ref);
        const meta = alter();
        recordTable(scope, 'alter', before, meta);
        return { applied: true, definition: meta, statement };
      };
      return writer.commit(context.acting.actor, work, { output: outputOf(ddlContract.alterTable) });
    }),

    dropTable: impl.ddl.dropTable.handler(({ input, context }) => {
      writer.assertWritable();
      const ref = deps.data.parseRef(input.table);
      const work = (scope: WriteScope) => {
        const before = engine.data.metadata(ref);
        engine.ddl.dropTable(context.acting.subject, ref);
        recordTable(scope, 'drop', before, null);
        return { dropped: true as const, statement: dropTableStatement(TableIdKey.display(ref)) };
      };
      return writer.commit(context.acting.actor, work, { output: outputOf(ddlContract.dropTable) });
    }),
  };
}
