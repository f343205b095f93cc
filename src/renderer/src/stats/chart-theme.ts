import { useEffect, useState } from 'react';

/** The colours a chart draws with, read from the app's CSS custom properties (light or dark). */
export interface ChartColors {
  readonly text: string;
  readonly muted: string;
  readonly border: string;
  readonly surface: string;
  readonly hot: string;
  readonly cold: string;
  readonly danger: string;
  readonly warning: string;
  readonly success: string;
  readonly neutral: string;
}

const VARS: Record<keyof ChartColors, string> = {
  text: '--text',
  muted: '--text-muted',
  border: '--border',
  surface: '--surface',
  hot: '--warning',
  cold: '--accent',
  danger: '--danger',
  warning: '--warning',
  success: '--success',
  neutral: '--text-faint',
};

/**
 * Resolves each variable to a colour: the variables use light-dark(), which only a computed
 * property turns into one colour, so a probe element takes each as its `color`.
 */
function readColors(): ChartColors {
  const probe = document.createElement('span');
  probe.style.display = 'none';
  document.body.append(probe);
  const out = {} as Record<keyof ChartColors, string>;
  for (const [name, variable] of Object.entries(VARS) as [keyof ChartColors, string][]) {
    probe.style.color = `var(${variable})`;
    out[name] = getComputedStyle(probe).color;
  }
  probe.remove();
  return out;
}

/** The chart colours, read again when the theme changes (the app's switch or the OS setting). */
export function useChartColors(): ChartColors {
  const [colors, setColors] = useState(readColors);
  useEffect(() => {
    const update = () => setColors(readColors());
    const observer = new MutationObserver(update);
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    media.addEventListener('change', update);
    return () => {
      observer.disconnect();
      media.removeEventListener('change', update);
    };
  }, []);
  return colors;
}
