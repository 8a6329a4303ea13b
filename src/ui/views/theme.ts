/** Symbols and colours in one place. Colours vanish under NO_COLOR (run-wizard sets FORCE_COLOR=0). */
export const SYM = {
  ok: '✓',
  fail: '✗',
  cursor: '›',
  pending: '·',
  running: '●',
  skipped: '=',
  reverted: '↺',
  dot: '·',
} as const;

export const COLOR = {
  accent: 'cyan',
  ok: 'green',
  bad: 'red',
  warn: 'yellow',
  dim: 'gray',
} as const;

/** "4.2s", "1m 05s" */
export function formatElapsed(ms: number): string {
  if (ms < 10000) return `${(Math.max(0, ms) / 1000).toFixed(1)}s`;
  const s = Math.floor(ms / 1000);
  const m = Math.floor(s / 60);
  return m ? `${m}m ${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** Cuts a line to `width` columns with an ellipsis. */
export function fit(s: string, width: number): string {
  return s.length <= width ? s : `${s.slice(0, Math.max(0, width - 1))}…`;
}
