import type { EditableSystemTable } from '../../../shared/forms';
import type { ServiceDeps } from '../deps';
import { createEditor, type EntityEditor } from '../editor';
import { namespacesEditor } from './namespaces-editor';
import { schedulesEditor } from './schedules-editor';
import { storagesEditor } from './storages-editor';
import { usersEditor } from './users-editor';

/** One editor per editable system table. */
export function createEditors(deps: ServiceDeps): Record<EditableSystemTable, EntityEditor> {
  return {
    users: createEditor(usersEditor(deps.engine), deps),
    namespaces: createEditor(namespacesEditor(deps.engine, deps.catalog), deps),
    storages: createEditor(storagesEditor(deps.engine), deps),
    schedules: createEditor(schedulesEditor(deps.engine), deps),
  };
}
