import { Alert } from './Alert';

/** Says, in read-only mode, what the dialog cannot do; nothing otherwise. */
export function ReadOnlyNotice({ readOnly, consequence }: { readOnly: boolean; consequence: string }) {
  if (!readOnly) return null;
  return (
    <Alert kind="warning" live={false}>
      {`Read-only mode is on: ${consequence}`}
    </Alert>
  );
}
