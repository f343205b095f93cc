import { autocompletion, closeBrackets, closeBracketsKeymap, type Completion, type CompletionContext, completionKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { type SQLNamespace, sql } from '@codemirror/lang-sql';
import { bracketMatching, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { lintKeymap } from '@codemirror/lint';
import { highlightSelectionMatches, searchKeymap } from '@codemirror/search';
import { Compartment, EditorState, Prec } from '@codemirror/state';
import { drawSelection, EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers, placeholder } from '@codemirror/view';
import { type RefObject, useEffect, useRef } from 'react';
import { editorTheme, sqlHighlight } from './editor-theme';
import { kalamDialect } from './sql-dialect';
import { statementAt } from './sql-text';

/** What the console asks of the editor it holds. */
export interface SqlEditorCommands {
  /** Ctrl/Cmd+Enter: the selection, else the statement at the cursor. */
  runCurrent: () => void;
  /** Ctrl/Cmd+Shift+Enter. */
  runAll: () => void;
  /** Shift+Alt+F. */
  format: () => void;
}

interface SqlEditorProps {
  /** The console tab the editor shows: each tab keeps its own editor state (undo history, selection) for the session. */
  tabId: string;
  sql: string;
  onChange: (sql: string) => void;
  /** Whether text is selected (Run selection needs some). */
  onSelection: (selected: boolean) => void;
  schema: SQLNamespace;
  /** Columns to offer for a bare name in the statement at the cursor (those of the tables it names). */
  columnsFor: (statement: string) => Completion[];
  commands: SqlEditorCommands;
  viewRef: RefObject<EditorView | null>;
  label: string;
}

/** Editor states of the console's tabs, kept while the window lives (switching tabs keeps undo). */
const states = new Map<string, EditorState>();

export function forgetEditorState(tabId: string): void {
  states.delete(tabId);
}

const language = new Compartment();
/** The console's keys, change listener and column completion: made per mount (they call this mount's callbacks). */
const handlers = new Compartment();

interface Latest {
  onChange: (sql: string) => void;
  onSelection: (selected: boolean) => void;
  columnsFor: (statement: string) => Completion[];
  commands: SqlEditorCommands;
}

function handlerExtensions(latest: RefObject<Latest>) {
  const columnSource = (context: CompletionContext) => {
    const word = context.matchBefore(/[A-Za-z_][\w$]*/);
    const before = context.state.sliceDoc(Math.max(0, (word?.from ?? context.pos) - 1), word?.from ?? context.pos);
    if (before === '.' || (!word && !context.explicit)) return null;
    const statement = statementAt(context.state.doc.toString(), context.pos);
    const options = statement ? latest.current.columnsFor(statement.text) : [];
    return options.length > 0 ? { from: word?.from ?? context.pos, options, validFor: /^[\w$]*$/ } : null;
  };
  const run = (f: () => void) => () => {
    f();
    return true;
  };
  return [
    kalamDialect.language.data.of({ autocomplete: columnSource }),
    Prec.highest(
      keymap.of([
        { key: 'Mod-Enter', run: run(() => latest.current.commands.runCurrent()) },
        { key: 'Mod-Shift-Enter', run: run(() => latest.current.commands.runAll()) },
        { key: 'Shift-Alt-f', run: run(() => latest.current.commands.format()) },
      ]),
    ),
    EditorView.updateListener.of((update) => {
      if (update.docChanged) latest.current.onChange(update.state.doc.toString());
      if (update.selectionSet || update.docChanged) latest.current.onSelection(!update.state.selection.main.empty);
    }),
  ];
}

function languageFor(schema: SQLNamespace) {
  return sql({ dialect: kalamDialect, schema, upperCaseKeywords: true });
}

/** The SQL editor: CodeMirror 6 with KalamDB's dialect, schema completion, and the console's keys. */
export function SqlEditor({ tabId, sql: text, onChange, onSelection, schema, columnsFor, commands, viewRef, label }: SqlEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  // The latest callbacks, read by the extensions made once per editor.
  const latest = useRef<Latest>({ onChange, onSelection, columnsFor, commands });
  useEffect(() => {
    latest.current = { onChange, onSelection, columnsFor, commands };
  });

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    // CodeMirror styles itself at run time. In a document it adds a <style> element, which the app's
    // Content-Security-Policy (style-src 'self') blocks; in a shadow root it uses a constructed
    // stylesheet (CSSOM), which the policy allows. The design tokens (CSS variables) inherit into it.
    const shadow = element.shadowRoot ?? element.attachShadow({ mode: 'open' });
    const parent = document.createElement('div');
    parent.style.height = '100%';
    shadow.replaceChildren(parent);
    const cached = states.get(tabId);
    const state =
      cached && cached.doc.toString() === text
        ? cached
        : EditorState.create({
            doc: text,
            extensions: [
              lineNumbers(),
              highlightActiveLineGutter(),
              highlightActiveLine(),
              history(),
              drawSelection(),
              indentOnInput(),
              bracketMatching(),
              closeBrackets(),
              highlightSelectionMatches(),
              autocompletion({ icons: false }),
              language.of(languageFor(schema)),
              handlers.of([]),
              syntaxHighlighting(sqlHighlight),
              editorTheme,
              placeholder('SELECT * FROM demo.products  (Ctrl+Enter runs the statement at the cursor)'),
              EditorView.contentAttributes.of({ 'aria-label': label }),
              keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap, ...historyKeymap, ...completionKeymap, ...lintKeymap]),
            ],
          });
    const view = new EditorView({ state, parent, root: shadow });
    // A kept state's handlers were made by an earlier mount: this mount's replace them.
    view.dispatch({ effects: handlers.reconfigure(handlerExtensions(latest)) });
    viewRef.current = view;
    latest.current.onSelection(!state.selection.main.empty);
    return () => {
      states.set(tabId, view.state);
      if (viewRef.current === view) viewRef.current = null;
      view.destroy();
    };
    // One editor per tab: text and schema are read at mount only (later edits come from the editor
    // itself, schema changes through the compartment below).
  }, [tabId]);

  // A new catalog (tables created or dropped, columns described) reaches the completion at once.
  useEffect(() => {
    viewRef.current?.dispatch({ effects: language.reconfigure(languageFor(schema)) });
  }, [schema, viewRef, tabId]);

  // Text replaced from outside (history, saved queries, formatting) while the editor shows the tab.
  useEffect(() => {
    const view = viewRef.current;
    if (view && view.state.doc.toString() !== text) view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
  }, [text, viewRef]);

  return <div ref={host} className="sql-editor" />;
}
