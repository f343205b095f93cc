import { type ReactElement, type ReactNode, useId } from 'react';
import { useReadOnly } from '../app/engine';
import { Dialog } from '../components/Dialog';
import { PreviewFooter } from '../components/DialogFooter';
import { FormErrors } from '../components/FormErrors';

interface PreviewDialogProps {
  title: string;
  size: 'medium' | 'large';
  onClose: () => void;
  /** The form's submit: asks for a preview. */
  onPreview: () => void;
  /** Applies the previewed change. */
  onApply: () => void;
  busy: boolean;
  applyLabel: string;
  applyingLabel: string;
  /** Shown on the Preview button while the preview is computed (default: unchanged). */
  checkingLabel?: string;
  /** The title of the alert listing errors that belong to no field ("Not created"). */
  errorsTitle: string;
  formErrors: readonly string[];
  formClassName: string;
  /** The engine's preview, below the form; null until there is one. */
  preview: ReactElement | null;
  /** The form's fields. */
  children: ReactNode;
}

/**
 * The frame of a DDL dialog that previews its change before applying it: the form's errors, the
 * form, the preview, and a footer whose primary button is Preview until a preview is shown.
 */
export function PreviewDialog({
  title,
  size,
  onClose,
  onPreview,
  onApply,
  busy,
  applyLabel,
  applyingLabel,
  checkingLabel,
  errorsTitle,
  formErrors,
  formClassName,
  preview,
  children,
}: PreviewDialogProps) {
  const readOnly = useReadOnly();
  const formId = useId();
  return (
    <Dialog
      title={title}
      size={size}
      onClose={onClose}
      footer={
        <PreviewFooter
          onCancel={onClose}
          formId={formId}
          previewed={preview !== null}
          busy={busy}
          readOnly={readOnly}
          onApply={onApply}
          applyLabel={applyLabel}
          applyingLabel={applyingLabel}
          {...(checkingLabel !== undefined ? { checkingLabel } : {})}
        />
      }
    >
      <FormErrors title={errorsTitle} messages={formErrors} />
      <form
        id={formId}
        className={formClassName}
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          onPreview();
        }}
      >
        {children}
      </form>
      {preview}
    </Dialog>
  );
}
