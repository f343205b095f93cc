import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { orpc } from '../api/client';
import { navigate } from '../app/use-route';
import { useReadOnly } from '../app/engine';
import { Dialog } from '../components/Dialog';
import { PreviewFooter } from '../components/DialogFooter';
import { FormErrors } from '../components/FormErrors';
import { useToast } from '../components/toast-context';
import type { NamespaceChangeResult } from '../../../shared/contract';
import { NewNamespaceNameSchema } from '../../../shared/keys/namespace-id';
import { ChangePreview } from '../ddl/ChangePreview';
import { mapDdlError } from '../ddl/ddl-errors';
import { TextField } from '../ddl/TextField';

const FIELDS = new Set(['name', 'comment']);

/** New namespace: name and comment, a dry-run preview, then create. */
export function CreateNamespaceDialog({ onClose }: { onClose: () => void }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const readOnly = useReadOnly();
  const formId = useId();
  const [name, setName] = useState('');
  const [comment, setComment] = useState('');
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [formErrors, setFormErrors] = useState<string[]>([]);
  const [preview, setPreview] = useState<NamespaceChangeResult | undefined>();
  const create = useMutation(orpc.ddl.createNamespace.mutationOptions());

  const edit = (set: (v: string) => void) => (v: string) => {
    set(v);
    setPreview(undefined);
    setFieldErrors({});
  };

  async function submit(dryRun: boolean): Promise<void> {
    setFormErrors([]);
    const checked = NewNamespaceNameSchema.safeParse(name);
    if (!checked.success) {
      setFieldErrors({ name: checked.error.issues[0]?.message ?? 'is not a valid name' });
      return;
    }
    try {
      const result = await create.mutateAsync({ name, ...(comment.trim() ? { comment: comment.trim() } : {}), dryRun });
      if (dryRun) {
        setPreview(result);
        return;
      }
      await queryClient.invalidateQueries({ queryKey: orpc.tables.key() });
      toast.show({ kind: 'success', message: `Created namespace ${result.namespace.namespace_id}.` });
      onClose();
      navigate({ view: 'namespace', namespace: result.namespace.namespace_id });
    } catch (e) {
      const mapped = mapDdlError(e, FIELDS);
      setFieldErrors(mapped.fields);
      setFormErrors(mapped.form);
      setPreview(undefined);
    }
  }

  return (
    <Dialog
      title="New namespace"
      size="medium"
      onClose={onClose}
      footer={
        <PreviewFooter
          onCancel={onClose}
          formId={formId}
          previewed={preview !== undefined}
          busy={create.isPending}
          readOnly={readOnly}
          onApply={() => void submit(false)}
          applyLabel="Create namespace"
          applyingLabel="Creating…"
        />
      }
    >
      <FormErrors title="Not created" messages={formErrors} />
      <form
        id={formId}
        className="entity-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit(true);
        }}
      >
        <TextField label="Name" value={name} onChange={edit(setName)} error={fieldErrors.name} required hint="Lower-case letters, digits and _; not a reserved name such as system." />
        <TextField label="Comment" value={comment} onChange={edit(setComment)} error={fieldErrors.comment} multiline />
      </form>
      {preview ? <ChangePreview statement={preview.statement} /> : null}
    </Dialog>
  );
}
