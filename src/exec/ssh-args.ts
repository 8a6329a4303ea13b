import type { Argv, WriteAction } from '../plan/action.js';
import { writeCommand } from '../plan/print.js';
import { shJoin, shQuote } from '../plan/shell.js';

/**
 * Pure builders for every OpenSSH command line the ssh executor runs. Kept
 * apart from the process handling so tests can assert the exact argv, and so
 * it is plain to see that no secret ever reaches one: secrets only travel in
 * stdin, which these functions never see.
 */

/** Where and as whom to connect: what the operator gives on the command line. */
export interface SshEndpoint {
  host: string;
  port: number;
  user: string;
  /** Private key file, already expanded (no "~"). */
  identityFile: string;
  /** Extra `-o OPT=VAL` values from --ssh-option (checked by the CLI). */
  sshOptions: readonly string[];
  /** known_hosts file (--known-hosts) instead of the one from ~/.ssh/config; with --yes a new host key is recorded there. */
  knownHosts?: string;
}

/** An endpoint with its host key name pinned for every connection of a run. */
export interface SshTarget extends SshEndpoint {
  /** The name the host key is recorded under ("host" or "[host]:port"). */
  hostKeyAlias: string;
}

export type StrictHostKey = 'yes' | 'accept-new';

/** The name OpenSSH records a host key under: "host" on port 22, "[host]:port" otherwise. */
export function knownHostName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

const o = (kv: string) => ['-o', kv];

/**
 * Options every connection shares. Ours come first because OpenSSH keeps the
 * first value it sees for an option: the operator's --ssh-option values can add
 * to these but never turn host-key checking or batch mode off. Timeouts come
 * last, so the operator may override them.
 */
function common(t: SshTarget, strict: StrictHostKey, logLevel: 'ERROR' | null = 'ERROR'): string[] {
  return [
    ...o('BatchMode=yes'),
    ...o(`StrictHostKeyChecking=${strict}`),
    ...o(`HostKeyAlias=${t.hostKeyAlias}`),
    ...(t.knownHosts ? o(`UserKnownHostsFile=${t.knownHosts}`) : []),
    ...o('IdentitiesOnly=yes'),
    '-i', t.identityFile,
    // Nothing from ~/.ssh/config may run commands or open forwardings on our connections,
    // and the error messages we read ("Permission denied", "Host key verification failed") stay on.
    // No forwarding either: an agent or X11 display forwarded into a root session hands the server your keys and screen.
    ...o('RemoteCommand=none'),
    ...o('PermitLocalCommand=no'),
    ...o('ClearAllForwardings=yes'),
    ...o('ForwardAgent=no'),
    ...o('ForwardX11=no'),
    ...o('ForwardX11Trusted=no'),
    ...o('Tunnel=no'),
    ...o('GatewayPorts=no'),
    ...o('RequestTTY=no'),
    ...(logLevel ? o(`LogLevel=${logLevel}`) : []),
    ...t.sshOptions.flatMap(o),
    ...o('ConnectTimeout=15'),
  ];
}

/** `ssh -G`: the effective client config for this target (reads ~/.ssh/config; no connection). */
export function configArgs(t: Omit<SshTarget, 'hostKeyAlias'>): Argv {
  return ['ssh', '-G', ...(t.knownHosts ? o(`UserKnownHostsFile=${t.knownHosts}`) : []), ...t.sshOptions.flatMap(o), '-p', String(t.port), '-l', t.user, '--', t.host];
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
    'ssh', '-f', '-N',
    ...o('ControlMaster=yes'),
    ...o(`ControlPath=${controlPath}`),
    ...o(`ControlPersist=${CONTROL_PERSIST_SEC}`),
    ...o('PreferredAuthentications=publickey'),
    ...common(t, strict),
    ...o('ServerAliveInterval=15'),
    ...o('ServerAliveCountMax=4'),
    '-p', String(t.port), '-l', t.user, '--', t.host,
  ];
}

/** One command through the admin connection. `remote` is a single shell command line. */
export function muxArgs(t: SshTarget, controlPath: string, remote: string): Argv {
  return ['ssh', '-T', ...o('ControlMaster=no'), ...o(`ControlPath=${controlPath}`), ...common(t, 'yes'), '-p', String(t.port), '-l', t.user, '--', t.host, remote];
}

/** Asks the master to check or exit (local only, no round trip). */
export function controlArgs(t: SshTarget, controlPath: string, op: 'check' | 'exit'): Argv {
  return ['ssh', ...o(`ControlPath=${controlPath}`), '-O', op, '-p', String(t.port), '-l', t.user, '--', t.host];
}

/** How a command reaches root: directly, or through sudo (password fed on stdin first, or none needed). */
export type SudoMode = 'root' | 'password' | 'nopasswd';

/**
 * The remote command line for argv, run as root. `umask 077` first, so any
 * file a command creates is private until it sets its own mode. With
 * "password", sudo reads exactly one line (the password) from stdin and the
 * command gets the rest; `-k` makes sudo ask every time, so a cached
 * credential can never leave that line for the command to read.
 */
export function remoteCommand(argv: Argv, sudo: SudoMode): string {
  const cmd = shJoin(argv);
  switch (sudo) {
    case 'root':
      return `umask 077; ${cmd}`;
    case 'password':
      return `umask 077; sudo -S -k -p '' -- ${cmd}`;
    case 'nopasswd':
      return `umask 077; sudo -n -- ${cmd}`;
  }
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
 * `writeCommand(w)` from the dry-run printer installs it from stdin.
 * The hash travels in stdin too, so argv holds nothing derived from a secret.
 */
export function writeScript(w: WriteAction): Argv {
  const p = shQuote(w.path);
  const want = shQuote(`${w.mode.toString(8)} ${w.owner} ${w.group}`);
  const script = [
    'IFS= read -r want || exit 3',
    `if [ "$(stat -c '%a %U %G' -- ${p} 2>/dev/null)" = ${want} ] && [ "$(sha256sum < ${p} 2>/dev/null | cut -c1-64)" = "$want" ]; then`,
    `  cat >/dev/null; echo ${WRITE_UNCHANGED}`,
    'else',
    `  ${writeCommand(w)} && echo ${WRITE_CHANGED}`,
    'fi',
  ].join('\n');
  return ['sh', '-c', script];
}

/** The options of a brand-new connection: no multiplexing, key only, no prompts. */
function fresh(): string[] {
  return [...o('ControlMaster=no'), ...o('ControlPath=none')];
}

/** What a fresh-login gate runs: a new connection with only the operator's key; with sudo, `sudo -S -k` reads the password from stdin. */
export function freshLoginArgs(t: SshTarget, user: string, port: number, address: string, sudo: boolean): Argv {
  return [
    'ssh', '-T', ...fresh(), ...o('PreferredAuthentications=publickey'), ...common(t, 'yes'),
    '-p', String(port), '-l', user, '--', address,
    sudo ? "sudo -S -k -p '' true" : 'true',
  ];
}

/**
 * A connection that must be refused. For "password" it offers nothing: with
 * BatchMode no password is ever sent, and `-v` shows which methods the server
 * still offers. For "publickey" it offers the operator's key.
 */
export function loginRefusedArgs(t: SshTarget, user: string, port: number, method: 'publickey' | 'password'): Argv {
  const how = method === 'password'
    ? ['-v', ...o('PreferredAuthentications=password,keyboard-interactive'), ...o('NumberOfPasswordPrompts=0'), ...o('PubkeyAuthentication=no')]
    : [...o('PreferredAuthentications=publickey')];
  // -v (for the offered methods) needs the debug log level, so LogLevel is left to -v there.
  return ['ssh', '-T', ...fresh(), ...how, ...common(t, 'yes', method === 'password' ? null : 'ERROR'), '-p', String(port), '-l', user, '--', t.host, 'true'];
}

/** ssh-keyscan for the first-contact fingerprint. */
export function keyscanArgs(host: string, port: number): Argv {
  return ['ssh-keyscan', '-T', '10', '-p', String(port), '--', host];
}
