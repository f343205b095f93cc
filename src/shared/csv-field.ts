/**
 * How one CSV field is written, wherever the app writes CSV (exports, the import's rejected-row
 * report, the CLI's `--format csv`, the grid's Copy as CSV): RFC 4180 as csv-stringify writes it (a
 * property test holds the two equal): null as an empty unquoted field, the empty string as "", and
 * a field holding the delimiter, a quote, CR or LF quoted, its quotes doubled. The delimiter is one
 * character that is neither a quote nor a line break (DelimiterSchema).
 */
export function csvFieldWriter(delimiter: string): (field: string | null) => string {
  const special = new RegExp(`["\\r\\n${delimiter.replace(/[\\^\]-]/g, '\\$&')}]`);
  return (field) => {
    if (field === null) return '';
    if (field === '') return '""';
    return special.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
  };
}

/**
 * Whether csvFieldWriter(delimiter) writes every non-empty field made only of `alphabet`'s
 * characters as it is (quoting turns on single characters, so checking each one is enough):
 * writers of many such fields (numbers) may then skip the writer for them.
 */
export function csvWritesAsIs(delimiter: string, alphabet: string): boolean {
  const write = csvFieldWriter(delimiter);
  return [...alphabet].every((c) => write(c) === c);
}
