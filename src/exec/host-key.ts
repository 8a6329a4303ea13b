import { createHmac, randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { CancelledError, UserError } from '../core/errors.js';
import type { Argv } from '../plan/action.js';
import { configArgs, KEYSCAN_TIMEOUT_SEC, keyscanArgs } from './ssh-args.js';
import { knownHostName, type SshTarget, type StrictHostKey } from '../plan/commands.js';
import { SshHostKeyError, SshUnreachableError } from './ssh-errors.js';

/**
 * First contact with a server: is its host key already known, and if not,
 * who vouches for it? Interactive runs show the fingerprint and ask; --yes
 * runs accept it only into a known_hosts file the operator named.
 */

export type Spawn = (argv: Argv, opts?: { input?: string; timeoutSec?: number }) => Promise<{ code: number; stdout: string; stderr: string }>;

export interface HostKeyPolicy {
  /** --yes: no question; needs `knownHosts` to accept a new key. */
  yes: boolean;
  /** Shows the fingerprint(s) and returns true to trust them. */
  confirmHostKey: (fingerprint: string) => Promise<boolean>;
}

export interface ResolvedTarget {
  /** HostName after ~/.ssh/config. */
  hostname: string;
  port: number;
  alias: string;
  userKnownHosts: string[];
  globalKnownHosts: string[];
  hashKnownHosts: boolean;
}

/** Reads the effective client config (`ssh -G`): the real hostname, port and known_hosts files. */
export async function resolveTarget(spawn: Spawn, t: Omit<SshTarget, 'hostKeyAlias'>): Promise<ResolvedTarget> {
  const r = await spawn(configArgs(t), { timeoutSec: 10 });
  if (r.code !== 0)
    throw new UserError(
      `ssh cannot read its configuration for ${t.host}: ${r.stderr.trim().split('\n').pop() ?? ''}`,
      'check ~/.ssh/config and --ssh-option values',
    );
  const cfg = new Map<string, string>();
  for (const line of r.stdout.split('\n')) {
    const i = line.indexOf(' ');
    if (i > 0 && !cfg.has(line.slice(0, i).toLowerCase())) cfg.set(line.slice(0, i).toLowerCase(), line.slice(i + 1).trim());
  }
  const hostname = cfg.get('hostname') || t.host;
  const port = Number(cfg.get('port') || t.port);
  const alias = cfg.get('hostkeyalias') && cfg.get('hostkeyalias') !== 'none' ? cfg.get('hostkeyalias')! : knownHostName(hostname, port);
  const files = (k: string) => (cfg.get(k) ?? '').split(/\s+/).filter((f) => f && f !== 'none');
  return {
    hostname,
    port,
    alias,
    userKnownHosts: files('userknownhostsfile'),
    globalKnownHosts: files('globalknownhostsfile'),
    hashKnownHosts: cfg.get('hashknownhosts') === 'yes',
  };
}

/** The keys the first file that knows `name` holds for it ("type base64" lines, sorted), or [] when none does. */
export async function recordedKeys(spawn: Spawn, name: string, files: string[]): Promise<string[]> {
  for (const f of files) {
    const r = await spawn(['ssh-keygen', '-F', name, '-f', f], { timeoutSec: 10 });
    // The host field is dropped: a hashed one has a new salt on every line.
    const keys = r.code === 0 ? r.stdout.split('\n').filter((l) => l.trim() && !l.startsWith('#')) : [];
    if (keys.length) return keys.map((l) => l.trim().split(/\s+/).slice(1).join(' ')).sort();
  }
  return [];
}

/** The known_hosts files ssh reads for this target: --known-hosts alone, else the client config's. */
export const knownHostsFiles = (t: Pick<SshTarget, 'knownHosts'>, r: ResolvedTarget): string[] =>
  t.knownHosts ? [t.knownHosts] : [...r.userKnownHosts, ...r.globalKnownHosts];

/** True when any of the files already holds a key for `name`. */
async function isKnown(spawn: Spawn, name: string, files: string[]): Promise<boolean> {
  return (await recordedKeys(spawn, name, files)).length > 0;
}

/** A known_hosts host field hashed the way OpenSSH does it (HashKnownHosts yes). */
function hashedName(name: string): string {
  const salt = randomBytes(20);
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

/**
 * Decides StrictHostKeyChecking for this run, asking or recording as needed.
 * Returns "yes" when the key is known (or was just confirmed and recorded) and
 * when nobody can vouch for it (the connection then fails, saying why),
 * "accept-new" when --yes may record it into the named --known-hosts file.
 * `onConnection` counts the keyscan's TCP connection.
 */
export async function settleHostKey(
  spawn: Spawn,
  t: Omit<SshTarget, 'hostKeyAlias'>,
  r: ResolvedTarget,
  policy: HostKeyPolicy,
  onConnection: () => void,
  now: () => number = Date.now,
): Promise<StrictHostKey> {
  const files = knownHostsFiles(t, r);
  if (await isKnown(spawn, r.alias, files)) return 'yes';
  // Nobody to ask: let the admin connection try with strict checking. It stops at the key (said as
  // "not known yet", with how to record it) or earlier, and then ssh's own words tell refused,
  // timed out, no route and unknown name apart; deciding here would call a dead server's key unknown.
  if (policy.yes) return t.knownHosts ? 'accept-new' : 'yes';
  onConnection();
  const started = now();
  const scan = await spawn(keyscanArgs(r.hostname, r.port), { timeoutSec: 20 });
  const lines = scan.stdout.split('\n').filter((l) => l.trim() && !l.startsWith('#'));
  if (!lines.length) {
    // ssh-keyscan says nothing about why. A refusal or an unknown name comes back at once, and the
    // admin connection's attempt will say which; a silence that lasted the whole wait is a timeout,
    // said now rather than after the connection's own 15 s more.
    if (now() - started >= (KEYSCAN_TIMEOUT_SEC - 1) * 1000)
      throw new SshUnreachableError(t.host, r.port, `ssh-keyscan heard nothing in ${KEYSCAN_TIMEOUT_SEC} s`, 'timeout');
    return 'yes';
  }
  const fp = await spawn(['ssh-keygen', '-l', '-f', '-'], { input: `${lines.join('\n')}\n`, timeoutSec: 10 });
  const prints = fp.stdout
    .split('\n')
    .filter(Boolean)
    .sort((a, b) => Number(/ED25519/.test(b)) - Number(/ED25519/.test(a)));
  if (!prints.length) throw new SshHostKeyError(`could not read the host key of ${t.host}`, 'try: ssh-keyscan ' + t.host);
  if (!(await policy.confirmHostKey(prints.join('\n')))) {
    throw new CancelledError('The host key was not accepted. Nothing was changed, nothing was connected.');
  }
  const file = t.knownHosts ?? r.userKnownHosts[0];
  if (!file) throw new SshHostKeyError('no known_hosts file to record the key in', 'pass --known-hosts FILE');
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const entries = lines.map((l) => {
    const [, type, key] = l.trim().split(/\s+/);
    return `${r.hashKnownHosts && !t.knownHosts ? hashedName(r.alias) : r.alias} ${type} ${key}\n`;
  });
  appendFileSync(file, entries.join(''), { mode: 0o600 });
  return 'yes';
}
