import { describe, expect, it } from 'vitest';
import { formatScript } from './sql-format';
import { splitStatements, tokensOf } from './sql-text';

/** The tokens of a script other than separators: words (any case), strings, names and symbols. */
const meaning = (script: string) =>
  splitStatements(script).map((s) =>
    tokensOf(s.text)
      .map((t) => `${t.type}:${t.type === 'word' ? t.text.toUpperCase() : t.text}`)
      .join(' '),
  );

const SCRIPTS = [
  "select p.id, count(*) as n from demo.products p join demo.notes n on n.id = p.id where p.name like 'a;b%' group by p.id having count(*) > 1 order by n desc limit 10",
  "EXECUTE AS USER 'alice' (select * from demo.notes where body <> 'it''s')",
  'FLUSH ALL TABLES IN demo; COMPACT TABLE demo.products',
  "create shared table demo.t (id integer primary key, body text) with (flush_policy = 'rows:100')",
  'with x as (select 1 as a) select a from x; delete from demo.notes',
  'SUBSCRIBE TO SELECT * FROM demo.notes WHERE "Weird Name" = 1; BACKUP DATABASE TO \'/tmp/b\'',
  'show tables in demo; describe table demo.notes; show stats for table demo.notes; explain select * from demo.notes',
];

describe('formatScript', () => {
  it.each(SCRIPTS)('keeps the meaning of %s', (script) => {
    const formatted = formatScript(script);
    expect(meaning(formatted)).toEqual(meaning(script));
    // Formatting twice changes nothing more.
    expect(formatScript(formatted)).toBe(formatted);
  });

  it('upper-cases keywords and breaks clauses onto lines', () => {
    expect(formatScript('select id from demo.notes where id = 1')).toBe('SELECT\n  id\nFROM\n  demo.notes\nWHERE\n  id = 1\n');
  });

  it('leaves a script without statements alone', () => {
    expect(formatScript('  -- nothing here')).toBe('  -- nothing here');
  });
});
