import { useState } from 'react';
import { useGate } from '../app/gates';
import type { DataTableDescription } from '../data-rows/DataRowActions';
import { AlterTableDialog } from './AlterTableDialog';
import { DropTableDialog } from './DropTableDialog';

/** Alter table / Drop table for a data table, with their dialogs; off (saying why) when the subject may not change the schema. */
export function TableDdlActions({ description }: { description: DataTableDescription }) {
  const [dialog, setDialog] = useState<'alter' | 'drop' | undefined>();
  const blocked = useGate({ write: true, right: 'changeSchema' });
  const close = () => setDialog(undefined);
  return (
    <>
      <div className="toolbar" role="toolbar" aria-label="Table actions">
        <button type="button" className="button" disabled={blocked !== undefined} title={blocked} onClick={() => setDialog('alter')}>
          Alter table
        </button>
        <button type="button" className="button button--danger-outline" disabled={blocked !== undefined} title={blocked} onClick={() => setDialog('drop')}>
          Drop table
        </button>
      </div>
      {dialog === 'alter' ? <AlterTableDialog description={description} onClose={close} /> : null}
      {dialog === 'drop' ? <DropTableDialog table={description.table} kind={description.kind} onClose={close} /> : null}
    </>
  );
}
