import { formatDialect, postgresql } from 'sql-formatter';
import { splitStatements } from './sql-text';

/**
 * Formats a script statement by statement (sql-formatter, PostgreSQL rules, upper-case keywords):
 * a statement the formatter cannot read (KalamDB's own syntax it does not know) is kept as written,
 * so formatting never loses text. Statements are joined by ";" and a blank line.
 */
export function formatScript(script: string): string {
  const statements = splitStatements(script);
  if (statements.length === 0) return script;
  const formatted = statements.map((s) => {
    try {
      return formatDialect(s.text, { dialect: postgresql, keywordCase: 'upper', tabWidth: 2 }).trim();
    } catch {
      return s.text;
    }
  });
  const trailing = /;\s*$/.test(script) || statements.length > 1 ? ';' : '';
  return `${formatted.join(';\n\n')}${trailing}\n`;
}
