import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { orpc } from '../api/client';
import { navigate } from '../app/use-route';
import type { NamespaceChangeResult } from '../../../shared/contract';
import { NewNamespaceNameSchema } from '../../../shared/keys/namespace-id';
import { ChangePreview } from '../ddl/ChangePreview';
import { PreviewDialog } from '../ddl/PreviewDialog';
import { TextField } from '../ddl/TextField';
import { usePreviewedChange } from '../ddl/use-previewed-change';

const FIELDS = new Set(['name', 'comment']);

/** New namespace: name and comment, a dry-run preview, then create. */
export function CreateNamespaceDialog({ onClose }: { onClose: () => void }) {
  const [name, setName] = useState('');
  const [comment, setComment] = useState('');
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const create = useMutation(orpc.ddl.createNamespace.mutationOptions());
  const change = usePreviewedChange<NamespaceChangeResult>({
    showFieldErrors: setFieldErrors,
    refresh: [orpc.tables.key()],
    appliedMessage: (result) => `Created namespace ${result.namespace.namespace_id}.`,
    onClose,
    afterClose: (result) => navigate({ view: 'namespace', namespace: result.namespace.namespace_id }),
  });

  const edit = (set: (v: string) => void) => (v: string) => {
    set(v);
    change.clearPreview();
    setFieldErrors({});
  };

  function submit(dryRun: boolean): Promise<void> {
    const checked = NewNamespaceNameSchema.safeParse(name);
    const local = checked.success ? {} : { name: checked.error.issues[0]?.message ?? 'is not a valid name' };
    return change.run({
      dryRun,
      local,
      call: () => create.mutateAsync({ name, ...(comment.trim() ? { comment: comment.trim() } : {}), dryRun }),
      known: FIELDS,
    });
  }

  return (
    <PreviewDialog
      title="New namespace"
      size="medium"
      onClose={onClose}
      onPreview={() => void submit(true)}
      onApply={() => void submit(false)}
      busy={create.isPending}
      applyLabel="Create namespace"
      applyingLabel="Creating…"
      errorsTitle="Not created"
      formErrors={change.formErrors}
      formClassName="entity-form"
      preview={change.preview ? <ChangePreview statement={change.preview.statement} /> : null}
    >
      <TextField
        label="Name"
        value={name}
        onChange={edit(setName)}
        error={fieldErrors.name}
        required
        hint="Lower-case letters, digits and _; not a reserved name such as system."
      />
      <TextField label="Comment" value={comment} onChange={edit(setComment)} error={fieldErrors.comment} multiline />
    </PreviewDialog>
  );
}
