import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { constants } from 'node:os';
import { createWriteStream } from 'node:fs';
import { execa, execaSync, type ResultPromise } from 'execa';
import type { Argv } from '../plan/action.js';
import { shJoin } from '../plan/shell.js';
import { ExecError } from './ssh-errors.js';

/**
 * The one place claw-setup starts a local process (ssh, ssh-keygen,
 * ssh-keyscan), in the four shapes it needs: run to the end, start a process
 * that leaves a daemon behind (the ControlMaster), hold a session open (the run
 * lock), and a last synchronous call while node exits. One module so there is
 * one answer to "what reaches argv, what is done with the output, how does a
 * child end"; test/exec/process.test.ts checks nothing else in src/exec spawns.
 * Argv never holds a secret (secrets travel in `input`), so every message here
 * may name the argv; execa's own messages are never passed on, they can quote options.
 */

export interface SpawnResult {
  /** Exit code; timeout → 124, cancel → 130, could not start → 127. */
  code: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  canceled: boolean;
  /** The program could not be started at all (not installed, not executable). */
  notStarted: boolean;
}

export interface SpawnOptions {
  /** Written to stdin, then stdin is closed (revealed secret text goes here and only here). */
  input?: string;
  /** Kill the process after this long (default 120 s). */
  timeoutSec?: number;
  /** Kill the process when this aborts (result: code 130, `canceled`). */
  signal?: AbortSignal;
}

/**
 * Runs one process to its end. Never rejects for a failing or missing program
 * (that is a result); rejects with our own ExecError only when execa itself
 * cannot set the process up.
 */
export async function spawnProcess(argv: Argv, o: SpawnOptions = {}): Promise<SpawnResult> {
  let r;
  try {
    r = await execa(argv[0], argv.slice(1), {
      reject: false,
      input: o.input ?? '',
      timeout: (o.timeoutSec ?? 120) * 1000,
      ...(o.signal ? { cancelSignal: o.signal } : {}),
      stripFinalNewline: false,
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch {
    throw new ExecError(`could not run: ${shJoin(argv)}`);
  }
  const canceled = Boolean(r.isCanceled);
  const timedOut = Boolean(r.timedOut);
  const notStarted = r.exitCode === undefined && !timedOut && !canceled;
  const code = timedOut ? 124 : canceled ? 130 : notStarted ? 127 : (r.exitCode ?? 1);
  const stderr = notStarted ? `cannot start ${argv[0]}: is OpenSSH installed?` : String(r.stderr ?? '');
  return { code, stdout: String(r.stdout ?? ''), stderr, timedOut, canceled, notStarted };
}

/**
 * Runs a program that backgrounds itself (`ssh -f`) and waits for the
 * foreground part to end. stdin and stdout are closed and stderr is the log
 * file's own descriptor, not a pipe: the daemon it leaves behind keeps what it
 * inherited, and a pipe of ours held open by it would make this wait for the
 * daemon to end (test/exec/process.test.ts shows it does not).
 */
export async function spawnDetaching(argv: Argv, o: { logFile: string; timeoutSec: number }): Promise<{ code: number; timedOut: boolean }> {
  const log = createWriteStream(o.logFile, { flags: 'w', mode: 0o600 });
  try {
    // Open first: a stream with a descriptor is handed to the child as that descriptor, not piped.
    await once(log, 'open');
    const r = await execa(argv[0], argv.slice(1), { reject: false, stdin: 'ignore', stdout: 'ignore', stderr: log, timeout: o.timeoutSec * 1000 });
    return { code: r.timedOut ? 124 : (r.exitCode ?? 127), timedOut: Boolean(r.timedOut) };
  } catch {
    throw new ExecError(`could not run: ${shJoin(argv)}`);
  } finally {
    log.close();
  }
}

/** A process kept running beside the CLI, talking over pipes. */
export interface HeldProcess {
  /** Resolves with its stdout so far once `ready(stdout)` is true, or 'exit' / 'timeout'. */
  readonly answer: Promise<{ stdout: string; stderr: string; outcome: 'ready' | 'exit' | 'timeout' }>;
  /** It no longer keeps this process alive (the CLI may exit while it runs). */
  detach(): void;
  /** Closes its stdin and waits for it to end; kills it if it has not ended after `graceMs`. */
  end(graceMs?: number): Promise<void>;
  /** Kills it now without waiting (safe while the CLI exits). */
  kill(): void;
}

/**
 * Starts a long-lived process whose stdin stays open: `input` is written
 * first, and the process lives until `end()`, `kill()`, or this CLI's exit
 * closes the pipe. `ready` decides from its stdout when it has answered;
 * no answer within `timeoutMs` resolves as 'timeout' (the process still runs).
 */
export function holdProcess(argv: Argv, o: { input: string; ready: (stdout: string) => boolean; timeoutMs: number }): HeldProcess {
  let child: ResultPromise;
  try {
    child = execa(argv[0], argv.slice(1), { reject: false, buffer: false, stdin: 'pipe', stdout: 'pipe', stderr: 'pipe' });
  } catch {
    throw new ExecError(`could not run: ${shJoin(argv)}`);
  }
  // Our own end of the pipe may break when the child dies first; that is an 'exit', reported below.
  child.stdin?.on('error', () => undefined);
  child.stdin?.write(o.input);
  // The settled promise is not the answer (`answer` is): keep an early exit from rejecting unheard.
  child.catch(() => undefined);
  const running = () => child.exitCode === null && child.signalCode === null;
  let out = '';
  let err = '';
  const answer = new Promise<{ stdout: string; stderr: string; outcome: 'ready' | 'exit' | 'timeout' }>((done) => {
    const finish = (outcome: 'ready' | 'exit' | 'timeout') => {
      clearTimeout(timer);
      done({ stdout: out, stderr: err, outcome });
    };
    const timer = setTimeout(() => finish('timeout'), o.timeoutMs);
    child.stdout?.on('data', (d: Buffer) => {
      out += d;
      if (o.ready(out)) finish('ready');
    });
    child.stderr?.on('data', (d: Buffer) => (err += d));
    // stdout may still hold its last bytes when 'exit' fires: let them arrive first.
    child.on('exit', () => setImmediate(() => finish(o.ready(out) ? 'ready' : 'exit')));
    child.on('error', () => finish('exit'));
  });
  return {
    answer,
    detach() {
      child.unref();
      for (const st of [child.stdin, child.stdout, child.stderr]) (st as unknown as { unref?: () => void } | null)?.unref?.();
    },
    async end(graceMs = 5000) {
      if (!running()) return;
      const gone = new Promise<void>((done) => child.once('exit', () => done()));
      child.stdin?.end();
      const t = setTimeout(() => child.kill(), graceMs);
      await gone;
      clearTimeout(t);
    },
    kill() {
      if (running()) child.kill();
    },
  };
}

/**
 * The only synchronous launch, for `process.on('exit')`, where nothing
 * asynchronous runs any more: a last `ssh -O exit` so no master outlives a CLI
 * that ended without close(). Output is ignored; failure is not an error.
 */
export function spawnAtExit(argv: Argv, timeoutSec: number): void {
  try {
    execaSync(argv[0], argv.slice(1), { reject: false, timeout: timeoutSec * 1000, stdio: 'ignore' });
  } catch {
    // exiting anyway: the master ends by itself CONTROL_PERSIST_SEC after its last session
  }
}

/**
 * Runs argv with this terminal handed over (stdin, stdout, stderr inherited) and resolves with its
 * exit code (128 + the signal's number when a signal ended it). For a child that owns the terminal
 * for a while: the home menu's day-2 commands (src/exec/run-in-terminal.ts).
 */
export function spawnInTerminal(argv: Argv): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0)));
  });
}
