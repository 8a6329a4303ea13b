import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { expandHome } from '../answers/secrets.js';
import { knownHostsFiles, recordedKeys, resolveTarget } from './host-key.js';
import { spawnProcess } from './process.js';
import type { SshEndpoint } from '../plan/commands.js';

/**
 * Which login worked last time, per server: after a first run root login is off, and trying root
 * first cost every day-2 command a refused login and a second connection (1.3-1.6 s). A small
 * local file, no secrets: the login user and port that worked for the address and port asked for,
 * tied to the server's recorded host key so a rebuilt server (or a reused test address) starts
 * over with the usual order. Damaged or odd content is ignored, never an error: the file only
 * saves time, and a failed first try falls back to the usual order anyway.
 */

export interface RememberedLogin {
  user: string;
  port: number;
}

interface Entry extends RememberedLogin {
  /** sha256 of the host's recorded keys when this login worked. */
  hostKey: string;
}

/** $XDG_STATE_HOME/claw-setup/logins.json, else ~/.local/state/claw-setup/logins.json. */
export function loginMemoPath(env: NodeJS.ProcessEnv): string {
  const state = env.XDG_STATE_HOME && env.XDG_STATE_HOME.startsWith('/') ? env.XDG_STATE_HOME : join(env.HOME || homedir(), '.local', 'state');
  return join(state, 'claw-setup', 'logins.json');
}

const USER = /^[a-z_][a-z0-9_-]{0,31}$/;
const HASH = /^[0-9a-f]{64}$/;
/** Enough for anyone's servers; the oldest go first. */
const MAX_ENTRIES = 200;

function validEntry(v: unknown): v is Entry {
  if (!v || typeof v !== 'object') return false;
  const e = v as Record<string, unknown>;
  return (
    typeof e.user === 'string' &&
    USER.test(e.user) &&
    Number.isInteger(e.port) &&
    (e.port as number) >= 1 &&
    (e.port as number) <= 65535 &&
    typeof e.hostKey === 'string' &&
    HASH.test(e.hostKey)
  );
}

function readAll(file: string): Map<string, Entry> {
  const out = new Map<string, Entry>();
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return out; // none yet, unreadable or not JSON: start empty
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return out;
  for (const [k, v] of Object.entries(raw as Record<string, unknown>))
    if (k.length <= 300 && validEntry(v)) out.set(k, { user: v.user, port: v.port, hostKey: v.hostKey });
  return out;
}

const keyOf = (host: string, port: number) => `${host.toLowerCase()}:${port}`;

/** The login that worked for `host:port` while the server had `hostKey`, or null. */
export function recallLogin(file: string, host: string, port: number, hostKey: string | null): RememberedLogin | null {
  if (!hostKey) return null;
  const e = readAll(file).get(keyOf(host, port));
  return e && e.hostKey === hostKey ? { user: e.user, port: e.port } : null;
}

/** Records the login that worked (best effort: a read-only home only costs the next run its speed). */
export function rememberLogin(file: string, host: string, port: number, hostKey: string | null, login: RememberedLogin): void {
  if (!hostKey || !USER.test(login.user)) return;
  const all = readAll(file);
  const k = keyOf(host, port);
  const had = all.get(k);
  if (had && had.user === login.user && had.port === login.port && had.hostKey === hostKey) return;
  all.delete(k);
  all.set(k, { ...login, hostKey });
  while (all.size > MAX_ENTRIES) all.delete(all.keys().next().value!);
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    // Written aside and renamed: two runs at once never leave half a file.
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(Object.fromEntries(all), null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, file);
  } catch {
    // not writable: nothing remembered
  }
}

/**
 * What ties a memo to one server: the sha256 of the host keys recorded for it (under the name the
 * connection checks them by), or null when none is recorded yet (first contact: nothing to recall).
 */
export async function recordedHostKeyId(
  t: Pick<SshEndpoint, 'host' | 'port' | 'user' | 'identityFile' | 'sshOptions' | 'knownHosts'>,
  alias?: string,
): Promise<string | null> {
  try {
    const base = { ...t, identityFile: resolve(expandHome(t.identityFile)), knownHosts: t.knownHosts ? resolve(expandHome(t.knownHosts)) : undefined };
    const r = await resolveTarget(spawnProcess, base);
    const keys = await recordedKeys(spawnProcess, alias ?? r.alias, knownHostsFiles(base, r));
    return keys.length ? createHash('sha256').update(keys.join('\n')).digest('hex') : null;
  } catch {
    return null;
  }
}
