import type { Argv, GateCheck, WriteAction } from './action.js';
import { shJoin } from './shell.js';
import { CLAW_TMPDIR } from './nofollow.js';

/**
 * The one command builder. Every command line a plan action turns into is
 * built here, and only here: the dry-run printer prints these, and the ssh
 * executor (src/exec/ssh-args.ts) runs these. So what a dry run prints is
 * exactly what runs. Pure functions: no process, no file, no clock.
 *
 * No secret ever reaches one of these lines: secrets only travel in stdin,
 * which these functions never see.
 */

/** Where and as whom to connect: what the operator gives on the command line. */
export interface SshEndpoint {
  host: string;
  port: number;
  user: string;
  /** Private key file, already expanded (no "~") when the executor builds it; as the operator wrote it in a printed plan. */
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

/** One `-o OPT=VAL`. */
export const sshOpt = (kv: string): string[] => ['-o', kv];
const o = sshOpt;

/**
 * Options every connection shares. Ours come first because OpenSSH keeps the
 * first value it sees for an option: the operator's --ssh-option values can add
 * to these but never turn host-key checking or batch mode off. Timeouts come
 * last, so the operator may override them.
 */
export function sshCommonOptions(t: SshTarget, strict: StrictHostKey, logLevel: 'ERROR' | null = 'ERROR'): string[] {
  return [
    ...o('BatchMode=yes'),
    ...o(`StrictHostKeyChecking=${strict}`),
    ...o(`HostKeyAlias=${t.hostKeyAlias}`),
    ...(t.knownHosts ? o(`UserKnownHostsFile=${t.knownHosts}`) : []),
    ...o('IdentitiesOnly=yes'),
    '-i',
    t.identityFile,
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

/** The options of a brand-new connection: no multiplexing. */
function fresh(): string[] {
  return [...o('ControlMaster=no'), ...o('ControlPath=none')];
}

/** What a fresh login with `sudo` runs on the server: sudo reads the password from stdin, never from a cache. */
export const FRESH_SUDO_CHECK = "sudo -S -k -p '' true";

/** What a fresh-login gate runs: a new connection with only the operator's key; with sudo, `sudo -S -k` reads the password from stdin. */
export function freshLoginArgs(t: SshTarget, user: string, port: number, address: string, sudo: boolean): Argv {
  return [
    'ssh',
    '-T',
    ...fresh(),
    ...o('PreferredAuthentications=publickey'),
    ...sshCommonOptions(t, 'yes'),
    '-p',
    String(port),
    '-l',
    user,
    '--',
    address,
    sudo ? FRESH_SUDO_CHECK : 'true',
  ];
}

/**
 * A connection that must be refused. For "password" it offers nothing: with
 * BatchMode no password is ever sent, and `-v` shows which methods the server
 * still offers. For "publickey" it offers the operator's key.
 */
export function loginRefusedArgs(t: SshTarget, user: string, port: number, method: 'publickey' | 'password'): Argv {
  const how =
    method === 'password'
      ? ['-v', ...o('PreferredAuthentications=password,keyboard-interactive'), ...o('NumberOfPasswordPrompts=0'), ...o('PubkeyAuthentication=no')]
      : [...o('PreferredAuthentications=publickey')];
  // -v (for the offered methods) needs the debug log level, so LogLevel is left to -v there.
  return [
    'ssh',
    '-T',
    ...fresh(),
    ...how,
    ...sshCommonOptions(t, 'yes', method === 'password' ? null : 'ERROR'),
    '-p',
    String(port),
    '-l',
    user,
    '--',
    t.host,
    'true',
  ];
}

/** Stands for the server's tailnet address in a printed plan; the runner asks `tailscale ip -4` for it. */
export const TAILNET_ADDRESS = '<tailscale-ip>';

/**
 * The laptop-side argv of a fresh-login or login-refused gate. `address`
 * replaces the host for a fresh login over the tailnet (the runner learns it
 * from `tailscale ip -4`; a printed plan shows TAILNET_ADDRESS).
 */
export function laptopGateArgs(t: SshTarget, c: Exclude<GateCheck, { type: 'remote' }>, address?: string): Argv {
  if (c.type === 'login-refused') return loginRefusedArgs(t, c.user, c.port, c.method);
  return freshLoginArgs(t, c.user, c.port, address ?? (c.via === 'tailnet' ? TAILNET_ADDRESS : t.host), c.sudo);
}

const octal = (mode: number) => mode.toString(8).padStart(4, '0');

/**
 * `claw_write MODE OWNER GROUP PATH` (content on stdin): the file is built in a fresh root-only
 * directory (mode and owner set there) and renamed over the target, so a symlink, FIFO or hard
 * link planted at the target (or at any temporary name) by whoever can write its directory is
 * replaced, never followed (see ./nofollow.ts). Defined once at the top of a printed plan and of
 * the executor's write script; a subshell, so its trap and variables stay inside.
 */
export const CLAW_WRITE = `claw_write() ( ${CLAW_TMPDIR}; t=$(claw_tmpdir "$4") || exit 1; trap 'rm -rf -- "$t"' EXIT; trap 'exit 1' HUP INT TERM; install -m "$1" -o "$2" -g "$3" /dev/stdin "$t/new" && mv -fT -- "$t/new" "$4" )`;

/** The command line that writes a file, its content on stdin (the printer's heredoc, the executor's pipe). Needs CLAW_WRITE defined. */
export function writeCommand(w: WriteAction): string {
  return shJoin(['claw_write', octal(w.mode), w.owner, w.group, w.path]);
}

/** The shell line a `run` action's argv (and a skipIf probe, and a remote gate) becomes on the server. */
export function runCommand(argv: Argv): string {
  return shJoin(argv);
}

/** How a command reaches root: directly, or through sudo (password fed on stdin first, or none needed). */
export type SudoMode = 'root' | 'password' | 'nopasswd';

/**
 * The remote command line for argv, run as root. `umask 077` first, so any
 * file a command creates is private until it sets its own mode (a printed plan
 * says `umask 077` once at the top, and runs as root). With "password", sudo
 * reads exactly one line (the password) from stdin and the command gets the
 * rest; `-k` makes sudo ask every time, so a cached credential can never leave
 * that line for the command to read.
 */
export function remoteCommand(argv: Argv, sudo: SudoMode): string {
  const cmd = runCommand(argv);
  switch (sudo) {
    case 'root':
      return `umask 077; ${cmd}`;
    case 'password':
      return `umask 077; sudo -S -k -p '' -- ${cmd}`;
    case 'nopasswd':
      return `umask 077; sudo -n -- ${cmd}`;
  }
}
