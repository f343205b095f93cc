import { closeCompletion } from '@codemirror/autocomplete';
import { type Diagnostic, setDiagnostics } from '@codemirror/lint';
import type { EditorView } from '@codemirror/view';
import { type FormEvent, useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { errorMessage } from '../api/errors';
import { useEngineInfo } from '../app/engine';
import { readOnlyReason } from '../app/gates';
import { Alert } from '../components/Alert';
import { Dialog } from '../components/Dialog';
import { DialogFooter } from '../components/DialogFooter';
import { describeViewAs, useViewAs } from '../view-as/view-as-store';
import { ConfirmRunDialog } from './ConfirmRunDialog';
import { HistoryPanel, SavedPanel } from './ConsoleSidePanel';
import {
  addTab,
  clearHistory,
  closeTab,
  type ConsoleTab,
  deleteSavedQuery,
  type HistoryEntry,
  recordRuns,
  saveQuery,
  selectTab,
  setTabSql,
  setTimeoutMs,
  useConsoleState,
} from './console-store';
import { forgetEditorState, SqlEditor } from './SqlEditor';
import { SqlResults } from './SqlResults';
import { formatScript } from './sql-format';
import { getRun, setRun, stopLiveRuns, useRun } from './sql-runs';
import { statementAt } from './sql-text';
import { cancelRun, useSqlRun } from './use-sql-run';
import { useSqlSchema } from './use-sql-schema';

/**
 * The data directory last seen: a change of the viewed-as subject refetches the engine info, and
 * the console (whose state is per data directory, which no subject changes) stays up meanwhile.
 */
let lastDataDir: string | undefined;

/** #/sql: KalamDB's SQL over every table, as the subject viewed as. Its state is per data directory. */
export function SqlConsole() {
  const info = useEngineInfo();
  if (info.data) lastDataDir = info.data.dataDir;
  if (lastDataDir !== undefined) return <ConsolePage dataDir={lastDataDir} />;
  if (info.isError) {
    return (
      <div className="view view--padded">
        <h1 className="view__title">SQL console</h1>
        <Alert kind="error" title="The engine did not answer">
          {errorMessage(info.error)}
        </Alert>
      </div>
    );
  }
  return (
    <div className="view view--padded">
      <h1 className="view__title">SQL console</h1>
      <p className="muted" role="status">
        Loading…
      </p>
    </div>
  );
}

type SidePanel = 'history' | 'saved';

/** Runs whose error is already placed in their tab's editor. */
const placedRuns = new Set<string>();

/** The statement time limits offered (the contract allows 100 ms to 1 h); null: the engine's default, 30 s. */
const TIMEOUTS: readonly (readonly [string, number | null])[] = [
  ['30 s (default)', null],
  ['5 s', 5_000],
  ['2 min', 120_000],
  ['10 min', 600_000],
  ['1 h', 3_600_000],
];

function ConsolePage({ dataDir }: { dataDir: string }) {
  const [state, update] = useConsoleState(dataDir);
  const tab = state.tabs.find((t) => t.id === state.activeTab) ?? state.tabs[0]!;
  const viewRef = useRef<EditorView | null>(null);
  const [hasSelection, setHasSelection] = useState(false);
  const [side, setSide] = useState<SidePanel | undefined>(undefined);
  const [saving, setSaving] = useState(false);
  const { schema, columnsFor } = useSqlSchema(tab.sql);
  const record = useCallback((entry: HistoryEntry) => update((s) => recordRuns(s, [entry])), [update]);
  const runner = useSqlRun(record);
  const run = useRun(tab.id);
  const viewAs = useViewAs();
  const info = useEngineInfo().data;
  const readOnly = info ? readOnlyReason(info) : undefined;

  const runText = useCallback(
    (script: string, base: number) => {
      if (viewRef.current) closeCompletion(viewRef.current);
      // One run at a time per tab (Cancel stops it).
      if (getRun(tab.id)?.status === 'running') return;
      if (script.trim() !== '') runner.start({ tabId: tab.id, script, base, ...(state.timeoutMs !== null ? { timeoutMs: state.timeoutMs } : {}) });
    },
    [runner, tab.id, state.timeoutMs],
  );
  const commands = useMemo(
    () => ({
      runCurrent: () => {
        const view = viewRef.current;
        if (!view) return;
        const sel = view.state.selection.main;
        if (!sel.empty) return runText(view.state.sliceDoc(sel.from, sel.to), sel.from);
        const statement = statementAt(view.state.doc.toString(), sel.head);
        if (statement) runText(statement.text, statement.from);
      },
      runSelection: () => {
        const sel = viewRef.current?.state.selection.main;
        if (sel && !sel.empty) runText(viewRef.current!.state.sliceDoc(sel.from, sel.to), sel.from);
      },
      runAll: () => runText(viewRef.current?.state.doc.toString() ?? tab.sql, 0),
      format: () => {
        const view = viewRef.current;
        if (!view) return;
        const sel = view.state.selection.main;
        const [from, to] = sel.empty ? [0, view.state.doc.length] : [sel.from, sel.to];
        const formatted = formatScript(view.state.sliceDoc(from, to));
        view.dispatch({ changes: { from, to, insert: sel.empty ? formatted : formatted.trimEnd() } });
        view.focus();
      },
    }),
    [runText, tab.sql],
  );

  // Squiggles at the error of the tab's last run, placed once per run: the tab's editor state keeps
  // them (moved along by later edits) until its next run.
  useEffect(() => {
    const view = viewRef.current;
    // A live result clears them when it shows, and places its error if it ends with one.
    if (!view || !(run?.status === 'done' || (run?.status === 'live' && run.live))) return;
    const placed = `${run.runId}:${run.status}`;
    if (placedRuns.has(placed)) return;
    placedRuns.add(placed);
    const error = run.status === 'done' ? run.result?.error : undefined;
    const diagnostics: Diagnostic[] = [];
    if (error) {
      const from = Math.min(run.base + error.position.offset, view.state.doc.length);
      const to = Math.min(from + Math.max(1, error.position.length), view.state.doc.length);
      diagnostics.push({ from, to: Math.max(from, to), severity: 'error', message: `${error.code}: ${error.message}`, source: 'engine' });
    }
    view.dispatch(setDiagnostics(view.state, diagnostics));
  }, [run]);

  // Leaving the console ends its live results: nothing would show them.
  useEffect(() => stopLiveRuns, []);

  const openInNewTab = (sql: string, title?: string) => update((s) => addTab(s, sql, title));
  const running = run?.status === 'running';
  const live = run?.status === 'live' && run.stopped === undefined;

  return (
    <div className="view view--browser sql-console">
      <header className="view__header">
        <div className="view__heading">
          <h1 className="view__title">SQL console</h1>
          <p className="view__subtitle">
            KalamDB’s SQL over every table, hot and flushed rows alike, as <strong>{describeViewAs(viewAs)}</strong>
            {readOnly ? ` · ${readOnly}: statements that write are refused before they are sent` : ''}
          </p>
        </div>
      </header>

      <ConsoleTabs
        tabs={state.tabs}
        active={tab.id}
        onSelect={(id) => update((s) => selectTab(s, id))}
        onClose={(id) => {
          forgetEditorState(id);
          setRun(id, undefined);
          update((s) => closeTab(s, id));
        }}
        onNew={() => update((s) => addTab(s))}
      />

      <div className="toolbar sql-toolbar" role="toolbar" aria-label="Console actions">
        <button type="button" className="button button--primary button--small" onClick={commands.runCurrent} disabled={running} title="Ctrl+Enter (⌘+Enter)">
          Run statement
        </button>
        <button type="button" className="button button--small" onClick={commands.runSelection} disabled={running || !hasSelection}>
          Run selection
        </button>
        <button type="button" className="button button--small" onClick={commands.runAll} disabled={running} title="Ctrl+Shift+Enter">
          Run all
        </button>
        {running || live ? (
          <button type="button" className="button button--small button--danger-outline" onClick={() => void cancelRun(tab.id)}>
            Cancel
          </button>
        ) : null}
        <span className="sql-toolbar__spacer" />
        <label className="sql-toolbar__field">
          Timeout
          <select
            className="select select--compact"
            value={state.timeoutMs ?? ''}
            onChange={(e) => update((s) => setTimeoutMs(s, e.target.value === '' ? null : Number(e.target.value)))}
          >
            {TIMEOUTS.map(([label, ms]) => (
              <option key={label} value={ms ?? ''}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="button button--small" onClick={commands.format} title="Shift+Alt+F">
          Format
        </button>
        <button type="button" className="button button--small" onClick={() => setSaving(true)} disabled={tab.sql.trim() === ''}>
          Save query
        </button>
        <button
          type="button"
          className="button button--small"
          aria-pressed={side === 'history'}
          onClick={() => setSide((p) => (p === 'history' ? undefined : 'history'))}
        >
          History
        </button>
        <button
          type="button"
          className="button button--small"
          aria-pressed={side === 'saved'}
          onClick={() => setSide((p) => (p === 'saved' ? undefined : 'saved'))}
        >
          Saved
        </button>
      </div>

      <div className={`sql-body${side ? ' sql-body--side' : ''}`}>
        <div className="sql-main">
          <div className="sql-editor-frame">
            <SqlEditor
              key={tab.id}
              tabId={tab.id}
              sql={tab.sql}
              onChange={(sql) => update((s) => setTabSql(s, tab.id, sql))}
              onSelection={setHasSelection}
              schema={schema}
              columnsFor={columnsFor}
              commands={commands}
              viewRef={viewRef}
              label={`SQL of ${tab.title}`}
            />
          </div>
          <section className="sql-results-frame" aria-label="Results">
            <SqlResults tabId={tab.id} run={run} doc={tab.sql} />
          </section>
        </div>
        {side === 'history' ? (
          <HistoryPanel history={state.history} onOpen={(sql) => openInNewTab(sql)} onClear={() => update(clearHistory)} />
        ) : side === 'saved' ? (
          <SavedPanel saved={state.saved} onOpen={(q) => openInNewTab(q.sql, q.name)} onDelete={(q) => update((s) => deleteSavedQuery(s, q.id))} />
        ) : null}
      </div>

      {runner.pending ? <ConfirmRunDialog pending={runner.pending} onConfirm={runner.confirm} onCancel={runner.dismiss} /> : null}
      {saving ? (
        <SaveQueryDialog
          initialName={tab.title}
          onCancel={() => setSaving(false)}
          onSave={(name) => {
            update((s) => saveQuery(s, name, tab.sql));
            setSaving(false);
            setSide('saved');
          }}
        />
      ) : null}
    </div>
  );
}

/** The console's own tabs (inside the page): each keeps its text across restarts, and its last run for the session. */
function ConsoleTabs({
  tabs,
  active,
  onSelect,
  onClose,
  onNew,
}: {
  tabs: readonly ConsoleTab[];
  active: string;
  onSelect: (id: string) => void;
  onClose: (id: string) => void;
  onNew: () => void;
}) {
  return (
    <div className="console-tabs">
      <ul className="console-tabs__list" aria-label="Console tabs">
        {tabs.map((t) => (
          <li key={t.id} className={`console-tab${t.id === active ? ' console-tab--active' : ''}`}>
            <button type="button" className="console-tab__name" aria-current={t.id === active ? 'true' : undefined} onClick={() => onSelect(t.id)}>
              {t.title}
            </button>
            <button type="button" className="console-tab__close" aria-label={`Close ${t.title}`} onClick={() => onClose(t.id)}>
              <span aria-hidden="true">×</span>
            </button>
          </li>
        ))}
      </ul>
      <button type="button" className="button button--small button--ghost" onClick={onNew}>
        + New tab
      </button>
    </div>
  );
}

function SaveQueryDialog({ initialName, onCancel, onSave }: { initialName: string; onCancel: () => void; onSave: (name: string) => void }) {
  const [name, setName] = useState(initialName);
  const formId = useId();
  const inputId = useId();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim() !== '') onSave(name.trim());
  };
  return (
    <Dialog
      title="Save query"
      size="small"
      onClose={onCancel}
      footer={
        <DialogFooter onCancel={onCancel}>
          <button type="submit" form={formId} className="button button--primary" disabled={name.trim() === ''}>
            Save
          </button>
        </DialogFooter>
      }
    >
      <form id={formId} onSubmit={submit} className="field">
        <label htmlFor={inputId}>Name</label>
        <input id={inputId} className="input" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
        <p className="muted">A saved query of the same name is replaced.</p>
      </form>
    </Dialog>
  );
}
