import type { z } from 'zod';
import { entitiesContract } from '../../shared/contract/entities-contract';
import type { VersionedRow } from '../../shared/contract/rows-contract';
import type { EditableSystemTable } from '../../shared/forms';
import { assertCanWrite, type Subject } from '../engine/access/subject';
import { issuesOf, NotFoundError } from '../engine/errors';
import type { SystemTableStore } from '../engine/store/system-table-store';
import { storedVersion } from '../engine/store/version';
import type { SystemTableEntry } from './catalog';
import type { ServiceDeps } from './deps';
import { asInput, contractError, validationError } from './errors';
import type { Acting } from './view-as';
import { outputOf, type WriteScope } from './writer';

/** The rules of one editable system table; the create/update/delete flow around them is shared. */
export interface EditorSpec<K, V extends object, C, U> {
  readonly name: EditableSystemTable;
  readonly store: SystemTableStore<K, V>;
  readonly forms: { readonly create: z.ZodType<C>; readonly update: z.ZodType<U> };
  /** The new entity from the create form (fast parts only). */
  draft(form: C, now: number): V;
  /** Slow parts of a new entity (hashing a first password); runs before the transaction. */
  prepare?(form: C): Promise<Partial<V>>;
  /** The entity after an edit. */
  merge(current: V, form: U, now: number): V;
  /** Rules across tables; runs before any slow work and again inside the transaction. */
  check?(entity: V): void;
  /** Deletes (or soft-deletes) inside the write's transaction; may audit cascaded changes. */
  remove(key: K, current: V, scope: WriteScope, options: { cascade: boolean }): void;
}

export interface UpdateRequest {
  readonly key: string;
  readonly values: Record<string, unknown>;
  readonly version: string;
  readonly overwrite?: boolean | undefined;
}

export interface DeleteRequest {
  readonly key: string;
  readonly version?: string | undefined;
  readonly cascade?: boolean | undefined;
}

/** Form writes on one editable table: validated, version-checked, audited, published. */
export interface EntityEditor {
  create(acting: Acting, values: Record<string, unknown>): Promise<VersionedRow>;
  update(acting: Acting, request: UpdateRequest): VersionedRow;
  delete(acting: Acting, request: DeleteRequest): { deleted: true };
}

function parseForm<T>(schema: z.ZodType<T>, values: Record<string, unknown>): T {
  const result = schema.safeParse(values);
  if (!result.success) throw validationError(issuesOf(result.error));
  return result.data;
}

export function createEditor<K, V extends object, C, U>(spec: EditorSpec<K, V, C, U>, deps: ServiceDeps): EntityEditor {
  const { catalog, writer } = deps;
  const { store } = spec;
  const entry: SystemTableEntry = catalog.resolve(`system.${spec.name}`);
  const target = (key: string) => `${entry.ref}/${key}`;
  const display = (key: K) => store.keyCodec.display(key);

  function begin(subject: Subject): void {
    writer.assertWritable();
    assertCanWrite(subject, entry.ref, entry.provider.access);
  }

  /** The stored entity under `key`, its version checked when `version` is given. */
  function current(key: K, version: string | undefined): V {
    const stored = store.getStored(store.keyCodec.encode(key));
    if (stored === undefined) throw new NotFoundError(`${entry.ref} row "${display(key)}"`);
    const now = storedVersion(stored.bytes);
    if (version !== undefined && version !== now) {
      throw contractError('CONFLICT', `${target(display(key))} was changed since it was opened; reload it or save over it.`, { version: now });
    }
    return stored.value;
  }

  return {
    async create({ subject, actor }, values) {
      begin(subject);
      const form = parseForm(spec.forms.create, values);
      const now = deps.engine.now();
      const draft = store.valueCodec.validate(spec.draft(form, now));
      spec.check?.(draft);
      const extra = spec.prepare ? await spec.prepare(form) : {};
      return writer.commit(
        actor,
        (scope) => {
          const stored = store.insert({ ...draft, ...extra });
          spec.check?.(stored);
          const key = display(store.keyOf(stored));
          scope.changed(entry.ref, key, 'insert');
          scope.audit({ action: `${spec.name}.create`, target: target(key), before: null, after: catalog.summarize(entry, stored) });
          return catalog.versionedRow(entry, key, subject);
        },
        { output: outputOf(entitiesContract.create), now },
      );
    },

    update({ subject, actor }, request) {
      begin(subject);
      const key = asInput('key', () => store.keyCodec.parse(request.key));
      const form = parseForm(spec.forms.update, request.values);
      const work = (scope: WriteScope): VersionedRow => {
        const before = current(key, request.overwrite ? undefined : request.version);
        const stored = store.update(key, (value) => spec.merge(value, form, scope.now));
        spec.check?.(stored);
        scope.changed(entry.ref, display(key), 'update');
        scope.audit({
          action: `${spec.name}.update`,
          target: target(display(key)),
          before: catalog.summarize(entry, before),
          after: catalog.summarize(entry, stored),
        });
        return catalog.versionedRow(entry, display(key), subject);
      };
      return writer.commit(actor, work, { output: outputOf(entitiesContract.update) });
    },

    delete({ subject, actor }, request) {
      begin(subject);
      const key = asInput('key', () => store.keyCodec.parse(request.key));
      const work = (scope: WriteScope) => {
        const before = current(key, request.version);
        spec.remove(key, before, scope, { cascade: request.cascade ?? false });
        scope.changed(entry.ref, display(key), 'delete');
        scope.audit({ action: `${spec.name}.delete`, target: target(display(key)), before: catalog.summarize(entry, before), after: null });
        return { deleted: true as const };
      };
      return writer.commit(actor, work, { output: outputOf(entitiesContract.delete) });
    },
  };
}
