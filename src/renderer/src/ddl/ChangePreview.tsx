import { useEffect, useRef } from 'react';
import type { TableMetadata } from '../../../shared/system/tables';
import { DefinitionTable } from './DefinitionTable';

interface ChangePreviewProps {
  /** The change as DDL text, from the engine's dry run. */
  statement: string;
  /** The table's definition after the change (create and alter). */
  definition?: TableMetadata;
  /** The definition before it (alter): differences are marked. */
  before?: TableMetadata;
}

/** What applying will do, as the engine computed it in a dry run that wrote nothing. */
export function ChangePreview({ statement, definition, before }: ChangePreviewProps) {
  // The preview sits below the form: bring it into view when it arrives.
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    // A statement, not the arrow's value: Chromium's scrollIntoView returns a promise, which React
    // would take for a cleanup function.
    ref.current?.scrollIntoView({ block: 'nearest' });
  }, []);
  return (
    <section ref={ref} className="ddl-preview" aria-label="Preview of the change">
      <h3 className="ddl-preview__title">Preview</h3>
      <p className="muted">Checked by the engine in a dry run; nothing has been written yet.</p>
      <pre className="ddl-preview__statement">
        <code>{statement}</code>
      </pre>
      {definition ? <DefinitionTable definition={definition} {...(before ? { before } : {})} /> : null}
    </section>
  );
}
