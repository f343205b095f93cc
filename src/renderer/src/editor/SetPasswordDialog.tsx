import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { orpc } from '../api/client';
import { errorMessage, validationIssues } from '../api/errors';
import { invalidateTable } from '../api/invalidate';
import { Alert } from '../components/Alert';
import { Dialog } from '../components/Dialog';
import { ReadOnlyNotice } from '../components/ReadOnlyNotice';
import { DialogFooter } from '../components/DialogFooter';
import { useToast } from '../components/toast-context';
import { NewPasswordSchema } from '../../../shared/forms';

const PasswordFormSchema = z
  .object({ password: NewPasswordSchema, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'does not match the password' });
type PasswordForm = z.infer<typeof PasswordFormSchema>;

interface SetPasswordDialogProps {
  userId: string;
  readOnly: boolean;
  onClose: () => void;
}

/** Sets a user's password. The password is only ever in this form; it is never shown or kept. */
export function SetPasswordDialog({ userId, readOnly, onClose }: SetPasswordDialogProps) {
  const formId = useId();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string>();
  const form = useForm<PasswordForm>({ resolver: zodResolver(PasswordFormSchema), defaultValues: { password: '', confirm: '' }, mode: 'onTouched' });
  const setPassword = useMutation(orpc.entities.setPassword.mutationOptions());
  const { errors } = form.formState;

  async function submit(values: PasswordForm): Promise<void> {
    setError(undefined);
    try {
      await setPassword.mutateAsync({ userId, password: values.password });
      form.reset();
      void invalidateTable(queryClient, 'system.users');
      toast.show({ kind: 'success', message: `Password of ${userId} changed.` });
      onClose();
    } catch (e) {
      const issue = validationIssues(e).find((i) => i.field === 'password');
      if (issue) form.setError('password', { type: 'server', message: issue.message });
      else setError(errorMessage(e));
    }
  }

  return (
    <Dialog
      title={`Set password of ${userId}`}
      size="small"
      onClose={onClose}
      footer={
        <DialogFooter onCancel={onClose}>
          <button type="submit" form={formId} className="button button--primary" disabled={setPassword.isPending || readOnly}>
            {setPassword.isPending ? 'Saving…' : 'Set password'}
          </button>
        </DialogFooter>
      }
    >
      {error ? <Alert kind="error">{error}</Alert> : null}
      <ReadOnlyNotice readOnly={readOnly} consequence="the password cannot be changed." />
      <form id={formId} className="entity-form" noValidate onSubmit={(e) => void form.handleSubmit(submit)(e)}>
        {/* A hidden user name lets password managers file the new password under the right account. */}
        <input type="text" name="username" autoComplete="username" value={userId} readOnly hidden />
        <PasswordInput label="New password" error={errors.password?.message} hint="At least 8 characters." {...form.register('password')} />
        <PasswordInput label="Confirm password" error={errors.confirm?.message} {...form.register('confirm')} />
      </form>
    </Dialog>
  );
}

type PasswordInputProps = ReturnType<ReturnType<typeof useForm<PasswordForm>>['register']> & { label: string; error: string | undefined; hint?: string };

function PasswordInput({ label, error, hint, ...reg }: PasswordInputProps) {
  const id = useId();
  const describedBy = [error ? `${id}-e` : null, hint ? `${id}-h` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field--invalid' : ''}`}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        className="input"
        type="password"
        autoComplete="new-password"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        {...reg}
      />
      {error ? (
        <p id={`${id}-e`} className="field__error">
          {error}
        </p>
      ) : null}
      {hint ? (
        <p id={`${id}-h`} className="field__hint">
          {hint}
        </p>
      ) : null}
    </div>
  );
}
