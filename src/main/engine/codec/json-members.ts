/**
 * Reads named members of a stored row's JSON text as their own JSON text, without parsing the row:
 * for bulk readers that write the values out as text again (exports), where JSON.parse of the row
 * and turning its numbers back into text cost more than the rest of the work together.
 *
 * The text is what JSON.stringify wrote (a stored value's envelope holds nothing else): an object,
 * no whitespace, so a member's JSON text is exactly JSON.stringify of its value, and a number,
 * true, false or null ends at the next comma (or the object's last brace). Strings are skipped by
 * their closing quote, nested objects and arrays by depth. Anything else (another shape, a text cut
 * short) is refused, and the caller parses that row instead.
 */
export class JsonMemberReader {
  /** `"name":` of each member, in the order members usually come: tried before reading a key. */
  private readonly keyTexts: readonly string[];
  private readonly index: ReadonlyMap<string, number>;
  /** Per slot, the first slot of its name (a name asked for again is read into its first slot, then copied). */
  private readonly firsts: readonly number[];
  /** [slot, first slot] of each name asked for again. */
  private readonly repeats: readonly (readonly [number, number])[];

  /** `names`: the members to read, in their output order (a name may come more than once). */
  constructor(readonly names: readonly string[]) {
    this.keyTexts = names.map((n) => `${JSON.stringify(n)}:`);
    const index = new Map<string, number>();
    const repeats: [number, number][] = [];
    names.forEach((n, i) => {
      const first = index.get(n);
      if (first === undefined) index.set(n, i);
      else repeats.push([i, first]);
    });
    this.index = index;
    this.firsts = names.map((n) => index.get(n)!);
    this.repeats = repeats;
  }

  /**
   * Sets out[base + i] to the JSON text of member names[i] of the object text at `start` (to the
   * end of `text`), or to undefined when it has no such member. False when the text is not an
   * object as JSON.stringify writes it (then `out` holds nothing meaningful).
   */
  read(text: string, start: number, out: (string | undefined)[], base: number): boolean {
    const names = this.names.length;
    for (let i = 0; i < names; i++) out[base + i] = undefined;
    const last = text.length - 1;
    if (text.charCodeAt(start) !== OPEN_BRACE || text.charCodeAt(last) !== CLOSE_BRACE) return false;
    let i = start + 1;
    if (i === last) return true;
    // Members usually come in the order asked for: try the next one's key text first.
    let next = 0;
    for (;;) {
      let slot: number;
      // The place in `names` the member was found at (the next one expected after it).
      let found: number;
      let valueStart: number;
      const expected = next < names ? this.keyTexts[next]! : undefined;
      if (expected !== undefined && text.startsWith(expected, i)) {
        found = next;
        slot = this.firsts[next]!;
        valueStart = i + expected.length;
      } else {
        if (text.charCodeAt(i) !== QUOTE) return false;
        const keyEnd = skipString(text, i);
        if (keyEnd < 0 || text.charCodeAt(keyEnd) !== COLON) return false;
        const key = unquote(text.slice(i, keyEnd));
        slot = this.index.get(key) ?? -1;
        found = slot;
        valueStart = keyEnd + 1;
      }
      const valueEnd = skipValue(text, valueStart, last);
      if (valueEnd <= valueStart) return false;
      if (slot >= 0) {
        out[base + slot] = text.slice(valueStart, valueEnd);
        next = found + 1;
      }
      if (valueEnd === last) {
        for (const [slot, first] of this.repeats) out[base + slot] = out[base + first];
        return true;
      }
      if (text.charCodeAt(valueEnd) !== COMMA) return false;
      i = valueEnd + 1;
    }
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** A JSON string's value: its text without quotes when it holds no escape. */
export function unquote(json: string): string {
  return json.includes('\\') ? (JSON.parse(json) as string) : json.slice(1, -1);
}

/** The index after the string whose opening quote is at `i`, or -1 when it does not close. */
function skipString(text: string, i: number): number {
  for (;;) {
    const quote = text.indexOf('"', i + 1);
    if (quote < 0) return -1;
    // Escaped when an odd number of backslashes precede it.
    let b = quote - 1;
    while (text.charCodeAt(b) === BACKSLASH) b--;
    if ((quote - 1 - b) % 2 === 0) return quote + 1;
    i = quote;
  }
}

/** The index after the value at `i` (at most `last`, the object's closing brace), or -1. */
function skipValue(text: string, i: number, last: number): number {
  const c = text.charCodeAt(i);
  if (c === QUOTE) return skipString(text, i);
  if (c === OPEN_BRACE || c === OPEN_BRACKET) {
    let depth = 0;
    while (i < last) {
      const d = text.charCodeAt(i);
      if (d === QUOTE) {
        i = skipString(text, i);
        if (i < 0) return -1;
        continue;
      }
      if (d === OPEN_BRACE || d === OPEN_BRACKET) depth++;
      else if ((d === CLOSE_BRACE || d === CLOSE_BRACKET) && --depth === 0) return i + 1;
      i++;
    }
    return -1;
  }
  // A number, true, false or null holds no comma: it ends at the next one, or at the last brace.
  const comma = text.indexOf(',', i);
  return comma < 0 || comma > last ? last : comma;
}
