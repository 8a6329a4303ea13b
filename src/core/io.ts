import { writeSync } from 'node:fs';

/** Where a front end writes and what it knows of its terminal. Tests pass their own. */
export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
}

export const defaultIo = (): Io => ({
  stdout: (s) => writeSync(1, s),
  stderr: (s) => writeSync(2, s),
  env: process.env,
  isTTY: Boolean(process.stdin.isTTY && process.stdout.isTTY),
});
