const PATHS = {
  overview: 'M3 3h6v6H3zM11 3h6v4h-6zM11 9h6v8h-6zM3 11h6v6H3z',
  index: 'M4 4h12M4 8h8M4 12h10M4 16h6M15 11l2 2-2 2',
  console: 'M3 4h14v12H3zM6 8l2.5 2L6 12M10 12h4',
  jobs: 'M10 3a7 7 0 1 0 0 14a7 7 0 1 0 0-14zM10 6v4l3 2',
  table: 'M3 4h14v12H3zM3 8h14M3 12h14M8 4v12',
  schedules: 'M3 5h14v12H3zM3 9h14M7 3v4M13 3v4M7 13h2',
  folder: 'M2 5h6l2 2h8v9H2z',
  lockedTable: 'M3 4h14v12H3zM3 8h14M8 8v8M11.5 12.5h4v3h-4zM12.5 12.5v-1a1 1 0 0 1 2 0v1',
} as const;

export type IconName = keyof typeof PATHS;

/** A small line icon; decorative (hidden from assistive technology). */
export function Icon({ name, className }: { name: IconName; className?: string }) {
  return (
    <svg className={className ?? 'icon'} viewBox="0 0 20 20" width="16" height="16" aria-hidden="true" focusable="false">
      <path d={PATHS[name]} fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
