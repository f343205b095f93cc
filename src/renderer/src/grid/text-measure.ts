import type { TextFace, TextMeasure } from './column-widths';

/**
 * Text widths from a canvas, in the fonts grid.css draws the header and cells with (read once from
 * the page's CSS variables, so a theme's fonts are honoured). No element is laid out to measure.
 */
let measure: TextMeasure | undefined;

function fonts(): Record<TextFace, string> {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  const sans = v('--font-sans', 'sans-serif');
  const mono = v('--font-mono', 'monospace');
  const md = v('--text-md', '13px');
  const sm = v('--text-sm', '12px');
  const xs = v('--text-xs', '11px');
  return {
    header: `600 ${sm} ${sans}`,
    tag: `400 ${xs} ${mono}`,
    icon: `400 9px ${sans}`,
    cell: `400 ${md} ${sans}`,
    // Keys are 500 weight: measured at 600 so they never come out short.
    mono: `600 ${sm} ${mono}`,
    null: `italic 400 ${sm} ${sans}`,
  };
}

export function canvasMeasure(): TextMeasure {
  if (measure) return measure;
  const ctx = document.createElement('canvas').getContext('2d');
  if (!ctx) return (text) => text.length * 8;
  const font = fonts();
  const cache = new Map<string, number>();
  measure = (text, face) => {
    const key = `${face}\n${text}`;
    let width = cache.get(key);
    if (width === undefined) {
      if (ctx.font !== font[face]) ctx.font = font[face];
      width = ctx.measureText(text).width;
      if (cache.size > 5000) cache.clear();
      cache.set(key, width);
    }
    return width;
  };
  return measure;
}
