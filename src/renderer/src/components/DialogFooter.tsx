import type { ReactNode } from 'react';
import { useReadOnlyText } from '../app/gates';

/** A dialog's button row: Cancel first, then the dialog's own action(s). */
export function DialogFooter({ onCancel, children }: { onCancel: () => void; children: ReactNode }) {
  return (
    <>
      <button type="button" className="button" onClick={onCancel}>
        Cancel
      </button>
      {children}
    </>
  );
}

interface SaveButtonProps {
  /** The id of the form the button submits. */
  formId: string;
  busy: boolean;
  readOnly: boolean;
  /** Why this form cannot be saved besides read-only mode (e.g. the user was deleted), or undefined. */
  blocked?: string | undefined;
}

/** The Save button of a row or entity form; read-only mode (or another reason) disables it and says why. */
export function SaveButton({ formId, busy, readOnly, blocked }: SaveButtonProps) {
  const why = useReadOnlyText(readOnly) ?? blocked;
  return (
    <button type="submit" form={formId} className="button button--primary" disabled={busy || why !== undefined} title={why}>
      {busy ? 'Saving…' : 'Save'}
    </button>
  );
}

interface PreviewFooterProps {
  onCancel: () => void;
  /** The id of the form whose submit asks for a preview. */
  formId: string;
  /** Whether a preview is shown: the primary button then applies the change. */
  previewed: boolean;
  busy: boolean;
  readOnly: boolean;
  onApply: () => void;
  applyLabel: string;
  applyingLabel: string;
  /** Shown on the Preview button while the preview is computed (default: unchanged). */
  checkingLabel?: string;
}

/**
 * The footer of a DDL dialog that previews its statement first: Preview submits the form; once a
 * preview is shown the primary button applies it (disabled in read-only mode).
 */
export function PreviewFooter({
  onCancel,
  formId,
  previewed,
  busy,
  readOnly,
  onApply,
  applyLabel,
  applyingLabel,
  checkingLabel = 'Preview',
}: PreviewFooterProps) {
  return (
    <DialogFooter onCancel={onCancel}>
      {previewed ? (
        <button type="button" className="button button--primary" disabled={busy || readOnly} onClick={onApply}>
          {busy ? applyingLabel : applyLabel}
        </button>
      ) : (
        <button type="submit" form={formId} className="button button--primary" disabled={busy}>
          {busy ? checkingLabel : 'Preview'}
        </button>
      )}
    </DialogFooter>
  );
}
