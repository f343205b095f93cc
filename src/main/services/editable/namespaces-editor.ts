import { EDITABLE_SYSTEM_TABLES, type NamespaceCreateForm, type NamespaceForm } from '../../../shared/forms';
import type { NamespaceId } from '../../../shared/keys/namespace-id';
import { TableIdKey } from '../../../shared/keys/table-id';
import type { Namespace } from '../../../shared/system/namespaces';
import { SYSTEM_SUBJECT } from '../../engine/access/subject';
import type { Engine } from '../../engine/engine';
import type { SystemCatalog } from '../catalog';
import type { EditorSpec } from '../editor';

/** Namespaces: dropping one with tables needs cascade, and then each dropped table is audited. */
export function namespacesEditor(engine: Engine, catalog: SystemCatalog): EditorSpec<NamespaceId, Namespace, NamespaceCreateForm, NamespaceForm> {
  const { namespaces, tables } = engine.system;
  const tablesEntry = catalog.resolve('system.tables');

  return {
    name: 'namespaces',
    store: namespaces,
    forms: EDITABLE_SYSTEM_TABLES.namespaces,

    draft: (form, now) => ({ namespace_id: form.namespace_id, options: form.options, comment: form.comment, created_at: now, updated_at: now }),

    merge: (current, form, now) => ({ ...current, comment: form.comment, options: form.options, updated_at: now }),

    remove(id, _current, scope, { cascade }) {
      const inside = [...tables.inNamespace(id)];
      // Through the DDL, so a cascade drops the tables' rows and open stores too, not only their
      // definitions. The editor has checked the subject's right to write system.namespaces already.
      engine.ddl.dropNamespace(SYSTEM_SUBJECT, id, { cascade });
      for (const table of inside) {
        const key = TableIdKey.display(tables.keyOf(table));
        scope.audit({ action: 'tables.delete', target: `${tablesEntry.ref}/${key}`, before: catalog.summarize(tablesEntry, table), after: null });
        scope.changed(key, null, 'bulk');
      }
      if (inside.length > 0) scope.changed(tablesEntry.ref, null, 'bulk');
    },
  };
}
