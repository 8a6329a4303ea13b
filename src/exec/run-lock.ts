import { hostname } from 'node:os';
import { UserError } from '../core/errors.js';
import { holdProcess, type HeldProcess } from './process.js';
import { LOCK_BUSY, LOCK_HELD, muxArgs, runLockArgv } from './ssh-args.js';
import { remoteCommand, type SshTarget, type SudoMode } from '../plan/commands.js';
import { ExecError, lastLines } from './ssh-errors.js';

/** How long a server gets to say whether the lock is ours. */
const LOCK_ANSWER_MS = 30_000;

/** What the run lock needs from the admin connection that carries it. */
export interface RunLockLink {
  target: SshTarget;
  controlPath: string;
  sudo: SudoMode;
  /** The sudo password line (or '') that must come first on stdin. Revealed text: only ever written to the pipe. */
  sudoPrefix: string;
  /** Scrubs known secrets from server output before it goes into an error. */
  redact: (s: string) => string;
}

/** The held lock: `release` frees it and waits; `dropAtExit` frees it without waiting. */
export interface RunLock {
  release(): Promise<void>;
  dropAtExit(): void;
}

/** Who holds the lock, in words a second run shows its operator; only characters that are safe in the owner file. */
function ownerLine(): string {
  const clean = (x: string) => x.replace(/[^A-Za-z0-9.:_-]/g, '?').slice(0, 64);
  return `${clean(hostname())} pid ${process.pid} since ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`;
}

/**
 * Takes the server's run lock for the life of the admin connection, so two
 * runs never interleave (design invariant 7). Held by a session whose stdin is
 * our pipe: when this process ends in any way, the pipe closes, the lock frees
 * itself, and the master (with no session left) ends CONTROL_PERSIST_SEC later.
 * A lock held by another run is a UserError that names the holder.
 */
export async function takeRunLock(link: RunLockLink): Promise<RunLock> {
  const argv = muxArgs(link.target, link.controlPath, remoteCommand(runLockArgv(ownerLine()), link.sudo));
  const held: HeldProcess = holdProcess(argv, {
    input: link.sudoPrefix,
    ready: (out) => out.includes(LOCK_HELD) || (out.includes(LOCK_BUSY) && out.includes('\n')),
    timeoutMs: LOCK_ANSWER_MS,
  });
  const { stdout, stderr, outcome } = await held.answer;
  if (outcome !== 'timeout' && stdout.includes(LOCK_HELD)) {
    // From here on the lock must not keep this process alive; release() or the exit hook ends it.
    held.detach();
    return { release: () => held.end(), dropAtExit: () => held.kill() };
  }
  held.kill();
  const busy = outcome === 'timeout' ? null : new RegExp(`${LOCK_BUSY} ?(.*)`).exec(stdout);
  if (busy) {
    throw new UserError(
      `another claw-setup run is working on ${link.target.host} (${busy[1].trim() || 'holder unknown'}); this run changed nothing`,
      'wait for that run to finish (or stop it), then run this again. If that run is gone (its laptop lost the network), the server frees the lock when its connection times out, within a few minutes',
    );
  }
  throw new ExecError(
    `could not take the run lock on ${link.target.host}: ${outcome === 'timeout' ? `no answer in ${LOCK_ANSWER_MS / 1000}s` : lastLines(link.redact(stderr)) || 'the lock session ended'}`,
  );
}
