import { describe, expect, it } from 'vitest';
import { FilterTextError, parseFilterText } from './filter-text';

describe('parseFilterText', () => {
  it('reads conditions joined by and, typed bare values, quoted text', () => {
    expect(parseFilterText(`age >= 30 and name contains 'O''Brien' and done = true and note is not null and x is null and t starts_with "a b"`)).toEqual([
      { column: 'age', op: 'gte', value: 30 },
      { column: 'name', op: 'contains', value: "O'Brien" },
      { column: 'done', op: 'eq', value: true },
      { column: 'note', op: 'not_null' },
      { column: 'x', op: 'is_null' },
      { column: 't', op: 'starts_with', value: 'a b' },
    ]);
    expect(parseFilterText('at<2024-01-01T00:00:00Z')).toEqual([{ column: 'at', op: 'lt', value: '2024-01-01T00:00:00Z' }]);
    expect(parseFilterText("id != '42'")).toEqual([{ column: 'id', op: 'ne', value: '42' }]);
  });

  it('says what is wrong', () => {
    for (const [text, message] of [
      ['', /empty/],
      ['age', /operator was expected/],
      ['age ~ 3', /not an operator|cannot read/],
      ['a = 1 or b = 2', /expected "and"/],
      ['a is maybe', /expected "null"/],
      ["a = 'open", /cannot read/],
    ] as const) {
      expect(() => parseFilterText(text)).toThrow(FilterTextError);
      expect(() => parseFilterText(text)).toThrow(message);
    }
  });
});
