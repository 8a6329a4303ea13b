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

/**
 * How many terminal rows `s` takes when Ink wraps it at `width` (word by word, a word longer than
 * the width cut hard). Screens count rows with it so a wrapped line never pushes the frame off
 * the top of a small terminal.
 */
export function wrappedRows(s: string, width: number): number {
  if (!Number.isFinite(width)) return 1;
  const w = Math.max(1, Math.floor(width));
  let rows = 1;
  let col = 0;
  for (const word of s.split(' ')) {
    const need = col === 0 ? word.length : col + 1 + word.length;
    if (need <= w) col = need;
    else {
      rows += col === 0 ? 0 : 1;
      rows += Math.max(0, Math.ceil(word.length / w) - 1);
      col = word.length % w || (word.length ? w : 0);
    }
  }
  return rows;
}
