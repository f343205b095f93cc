import { isEditableSystemTable } from '../../shared/forms';
import type { ServiceDeps } from './deps';
import type { EntityEditor } from './editor';
import { createEditors } from './editable';
import { setUserPassword } from './editable/set-password';
import { contractError } from './errors';
import { impl } from './implementer';

export function entitiesService(deps: ServiceDeps) {
  const editors = createEditors(deps);

  /** The editor of a table; tables the engine manages (jobs, audit log, …) have none. */
  const editorFor = (table: string): EntityEditor => {
    deps.writer.assertWritable();
    const entry = deps.catalog.resolve(table);
    if (!isEditableSystemTable(entry.name)) {
      throw contractError('ACCESS_DENIED', `${entry.ref} is read-only: the engine manages it, so it cannot be edited through forms.`);
    }
    return editors[entry.name];
  };

  return {
    create: impl.entities.create.handler(({ input, context }) => editorFor(input.table).create(context.acting, input.values)),
    update: impl.entities.update.handler(({ input, context }) => editorFor(input.table).update(context.acting, input)),
    delete: impl.entities.delete.handler(({ input, context }) => editorFor(input.table).delete(context.acting, input)),
    setPassword: impl.entities.setPassword.handler(({ input, context }) => setUserPassword(deps, context.acting, input)),
  };
}
