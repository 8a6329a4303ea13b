import type { Argv, WriteAction } from '../plan/action.js';
import { ownerStatFormat } from '../plan/probes.js';
import { CLAW_WRITE, sshCommonOptions as common, sshOpt as o, writeCommand, type SshTarget, type StrictHostKey } from '../plan/commands.js';
import { shQuote } from '../plan/shell.js';
import { CLAW_READ } from '../plan/nofollow.js';

/**
 * Every OpenSSH command line the ssh executor runs. Kept apart from the
 * process handling so tests can assert the exact argv, and so it is plain to
 * see that no secret ever reaches one: secrets only travel in stdin, which
 * these functions never see. What a plan action becomes (gates, writes, runs)
 * is built in src/plan/commands.ts, the builder the dry-run printer uses too;
 * this file adds only what belongs to the executor (master, mux, lock, write script).
 */

/** `ssh -G`: the effective client config for this target (reads ~/.ssh/config; no connection). */
export function configArgs(t: Omit<SshTarget, 'hostKeyAlias'>): Argv {
  return [
    'ssh',
    '-G',
    ...(t.knownHosts ? o(`UserKnownHostsFile=${t.knownHosts}`) : []),
    ...t.sshOptions.flatMap(o),
    '-p',
    String(t.port),
    '-l',
    t.user,
    '--',
    t.host,
  ];
}

/**
 * Seconds the admin connection outlives its last session. The run lock is a
 * session held open for the whole run, so the master never idles while the CLI
 * lives; once the CLI is gone (even killed), the master ends this long after.
 */
export const CONTROL_PERSIST_SEC = 20;

/** The admin connection: one ControlMaster that backgrounds itself after login and lives until `-O exit` or CONTROL_PERSIST_SEC after its last session. */
export function masterArgs(t: SshTarget, controlPath: string, strict: StrictHostKey): Argv {
  return [
    'ssh',
    '-f',
    '-N',
    ...o('ControlMaster=yes'),
    ...o(`ControlPath=${controlPath}`),
    ...o(`ControlPersist=${CONTROL_PERSIST_SEC}`),
    ...o('PreferredAuthentications=publickey'),
    ...common(t, strict),
    ...o('ServerAliveInterval=15'),
    ...o('ServerAliveCountMax=4'),
    '-p',
    String(t.port),
    '-l',
    t.user,
    '--',
    t.host,
  ];
}

/** One command through the admin connection. `remote` is a single shell command line. */
export function muxArgs(t: SshTarget, controlPath: string, remote: string): Argv {
  return [
    'ssh',
    '-T',
    ...o('ControlMaster=no'),
    ...o(`ControlPath=${controlPath}`),
    ...common(t, 'yes'),
    '-p',
    String(t.port),
    '-l',
    t.user,
    '--',
    t.host,
    remote,
  ];
}

/** Asks the master to check or exit (local only, no round trip). */
export function controlArgs(t: SshTarget, controlPath: string, op: 'check' | 'exit'): Argv {
  return ['ssh', ...o(`ControlPath=${controlPath}`), '-O', op, '-p', String(t.port), '-l', t.user, '--', t.host];
}

/** The server-side run lock and the file naming who holds it. */
export const RUN_LOCK_DIR = '/var/lib/claw-setup';
export const LOCK_HELD = 'claw-setup:locked';
export const LOCK_BUSY = 'claw-setup:busy';

/**
 * The run lock: `flock` on a file under /var/lib/claw-setup, held by a shell
 * that waits on its stdin. It lives as long as the session (our stdin pipe)
 * does: when the CLI ends, however it ends, stdin closes and the lock is free.
 * A second run finds it taken and reads who holds it. `owner` is plain words
 * we made ourselves (host, pid, time), passed as an argument.
 */
export function runLockArgv(owner: string): Argv {
  const d = RUN_LOCK_DIR;
  const script = [
    `[ -d ${d} ] || install -d -m 0700 ${d} || exit 1`,
    `exec 9>>${d}/run.lock || exit 1`,
    `if ! flock -n 9; then echo "${LOCK_BUSY} $(cat ${d}/run.owner 2>/dev/null)"; exit 75; fi`,
    `printf '%s\n' "$1" > ${d}/run.owner`,
    `echo ${LOCK_HELD}`,
    'exec cat >/dev/null',
  ].join('\n');
  return ['sh', '-c', script, 'claw-setup-lock', owner];
}

/** Marker lines the write script prints, so `changed` is read from the same round trip. */
export const WRITE_CHANGED = 'claw-setup:changed';
export const WRITE_UNCHANGED = 'claw-setup:unchanged';

/**
 * One round trip per file: the first stdin line is the sha256 of the content,
 * the rest is the content. If the file already has that hash, mode and owner,
 * the content is drained and nothing is touched; otherwise the exact
 * `writeCommand(w)` the dry-run printer prints installs it from stdin.
 * The hash travels in stdin too, so argv holds nothing derived from a secret.
 */
export function writeScript(w: WriteAction): Argv {
  const p = shQuote(w.path);
  const want = shQuote(`1 ${w.mode.toString(8)} ${w.owner} ${w.group}`);
  // The check never follows the name either: stat without -L, and the content read only from a
  // regular file with one link, opened with O_NOFOLLOW (a failed read adds a line: never "same").
  const script = [
    'IFS= read -r want || exit 3',
    CLAW_READ,
    CLAW_WRITE,
    `if [ "$(stat -c '%h ${ownerStatFormat(w.owner, w.group)}' -- ${p} 2>/dev/null)" = ${want} ] && [ "$({ claw_read ${p} || echo unreadable; } 2>/dev/null | sha256sum | cut -c1-64)" = "$want" ]; then`,
    `  cat >/dev/null; echo ${WRITE_UNCHANGED}`,
    'else',
    `  ${writeCommand(w)} && echo ${WRITE_CHANGED}`,
    'fi',
  ].join('\n');
  return ['sh', '-c', script];
}

/** Seconds ssh-keyscan waits for an answer. */
export const KEYSCAN_TIMEOUT_SEC = 10;

/** ssh-keyscan for the first-contact fingerprint. */
export function keyscanArgs(host: string, port: number): Argv {
  return ['ssh-keyscan', '-T', String(KEYSCAN_TIMEOUT_SEC), '-p', String(port), '--', host];
}
