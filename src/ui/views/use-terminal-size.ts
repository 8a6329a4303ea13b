import { useStdout } from 'ink';
import { useEffect, useState } from 'react';

export interface TermSize {
  columns: number;
  rows: number;
}

/** The terminal size, updated on resize (80×24 when the stream does not say). */
export function useTerminalSize(): TermSize {
  const { stdout } = useStdout();
  const read = (): TermSize => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}

/** Milliseconds since the epoch, refreshed every `ms` (null: not refreshed, so idle screens do not redraw). */
export function useNow(ms: number | null, now: () => number = Date.now): number {
  const [t, setT] = useState(now);
  useEffect(() => {
    if (ms === null) return;
    setT(now());
    const id = setInterval(() => setT(now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return t;
}
