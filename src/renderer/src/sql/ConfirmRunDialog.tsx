import { Dialog } from '../components/Dialog';
import { DialogFooter } from '../components/DialogFooter';
import type { PendingConfirmation } from './use-sql-run';

/** Safe Mode: the statements that change or destroy much, shown before they run. */
export function ConfirmRunDialog({ pending, onConfirm, onCancel }: { pending: PendingConfirmation; onConfirm: () => void; onCancel: () => void }) {
  const many = pending.confirm.length > 1;
  return (
    <Dialog
      title={many ? `Run ${pending.confirm.length} dangerous statements?` : 'Run this statement?'}
      role="alertdialog"
      onClose={onCancel}
      description={many ? 'These statements of the script ask for a confirmation first.' : 'This statement asks for a confirmation first.'}
      footer={
        <DialogFooter onCancel={onCancel}>
          <button type="button" className="button button--danger" onClick={onConfirm}>
            Run anyway
          </button>
        </DialogFooter>
      }
    >
      <ul className="sql-confirm">
        {pending.confirm.map((c, i) => (
          <li key={i}>
            <p className="sql-confirm__reason">{c.reason}</p>
            <pre className="ddl-preview__statement">{c.statement}</pre>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
