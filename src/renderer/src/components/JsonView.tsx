import { memo, type ReactNode } from 'react';

const TOKEN = /("(?:\\.|[^"\\])*")(\s*:)?|\b(true|false|null)\b|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;

/** Pretty JSON with keys, strings, numbers and literals coloured. */
export const JsonView = memo(function JsonView({ value, label }: { value: unknown; label: string }) {
  const text = JSON.stringify(value, null, 2) ?? 'undefined';
  const parts: ReactNode[] = [];
  let last = 0;
  let i = 0;
  for (const m of text.matchAll(TOKEN)) {
    const at = m.index;
    if (at > last) parts.push(text.slice(last, at));
    const [whole, str, colon, literal, num] = m;
    if (str !== undefined) {
      parts.push(
        <span key={i++} className={colon ? 'json__key' : 'json__string'}>
          {str}
        </span>,
      );
      if (colon) parts.push(colon);
    } else if (literal !== undefined) {
      parts.push(
        <span key={i++} className={`json__${literal === 'null' ? 'null' : 'bool'}`}>
          {literal}
        </span>,
      );
    } else if (num !== undefined) {
      parts.push(
        <span key={i++} className="json__number">
          {num}
        </span>,
      );
    }
    last = at + whole.length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return (
    <pre className="json" aria-label={label} tabIndex={0}>
      <code>{parts}</code>
    </pre>
  );
});
