import { writeSync } from 'node:fs';

/** Where a front end writes and what it knows of its terminal. Tests pass their own. */
export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes every byte, synchronously (so nothing is lost when the process exits right after). When
 * stdout is a pipe Node makes it non-blocking: one writeSync then writes only what the pipe takes
 * (64 KiB) and the next throws EAGAIN, so a plain writeSync cut a piped plan at 65,536 bytes with
 * exit 0. A reader that went away (EPIPE, e.g. `| head`) ends the output quietly.
 */
export function writeAll(fd: number, s: string): void {
  const buf = Buffer.from(s, 'utf8');
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(fd, buf, off, buf.length - off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') return;
      if (code !== 'EAGAIN') throw e;
      Atomics.wait(pause, 0, 0, 2);
    }
  }
}

export const defaultIo = (): Io => ({
  stdout: (s) => writeAll(1, s),
  stderr: (s) => writeAll(2, s),
  env: process.env,
  isTTY: Boolean(process.stdin.isTTY && process.stdout.isTTY),
});
