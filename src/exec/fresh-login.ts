import { setTimeout as sleep } from 'node:timers/promises';
import type { Secret } from '../core/secret.js';
import type { Argv } from '../plan/action.js';
import { spawnProcess } from './process.js';
import { freshLoginArgs, loginRefusedArgs, type SshTarget } from '../plan/commands.js';
import { lastLines } from './ssh-errors.js';
import type { ExecResult, FreshLoginCheck, LoginRefusedCheck } from './types.js';

/**
 * The login gates: brand-new connections (no ControlMaster, only the
 * operator's key) that prove a way in works, or that a way in is closed, after
 * a change (design invariants 1 and 5). They never touch the admin connection,
 * so they prove what a new login sees, not what the open session still has.
 */

/** Brief retries for a fresh connection racing an sshd reload (testhost F2: 6 of 20 refused without). */
const RELOAD_RACE = /Connection refused|Connection reset|kex_exchange_identification|Connection timed out during banner/i;
const RACE_TRIES = 10;
const RACE_DELAY_MS = 500;
/** A fresh connection's limit when the caller sets none (the runner passes the gate's budget). */
const FRESH_BUDGET_SEC = 40;

/** What a gate needs from the executor that owns it: where to, with what, and where to count connections. */
export interface GateLink {
  target: SshTarget;
  sudoPassword: Secret | undefined;
  /** Scrubs known secrets from ssh's output. */
  redact: (s: string) => string;
  /** The executor's counters, counted here: every attempt is a TCP connection, every retry a reload race. */
  count: { connections: number; raceRetries: number };
}

/**
 * A fresh connection, retried briefly while a reloaded sshd re-binds its
 * port; the whole of it, retries included, ends within `budgetSec`.
 */
async function fresh(link: GateLink, argv: Argv, input: string, budgetSec = FRESH_BUDGET_SEC): Promise<ExecResult> {
  const until = Date.now() + budgetSec * 1000;
  let r = { code: 255, stdout: '', stderr: '' };
  for (let i = 0; i < RACE_TRIES; i++) {
    link.count.connections++;
    if (i > 0) link.count.raceRetries++;
    const p = await spawnProcess(argv, { input, timeoutSec: Math.max(1, Math.ceil((until - Date.now()) / 1000)) });
    r = { code: p.code, stdout: p.stdout, stderr: p.timedOut ? `${p.stderr}\nclaw-setup: gave up after ${budgetSec}s` : p.stderr };
    if (!(r.code === 255 && RELOAD_RACE.test(r.stderr))) break;
    if (Date.now() + RACE_DELAY_MS >= until) break;
    await sleep(RACE_DELAY_MS);
  }
  return { code: r.code, stdout: link.redact(r.stdout), stderr: link.redact(r.stderr) };
}

/** Logs in afresh as `check.user` (and checks sudo with the password when asked). code 0 = in. */
export async function freshLogin(link: GateLink, check: FreshLoginCheck, opts: { address?: string; timeoutSec?: number } = {}): Promise<ExecResult> {
  if (check.sudo && !link.sudoPassword) return { code: 1, stdout: '', stderr: `no sudo password to check sudo for ${check.user} with` };
  const argv = freshLoginArgs(link.target, check.user, check.port, opts.address ?? link.target.host, check.sudo);
  const r = await fresh(link, argv, check.sudo ? `${link.sudoPassword!.reveal()}\n` : '', opts.timeoutSec);
  const where = `${check.user}@${opts.address ?? link.target.host}:${check.port}`;
  if (r.code === 0) return { code: 0, stdout: `${where}: logged in${check.sudo ? ', sudo works' : ''}`, stderr: '' };
  // ssh names the login itself ("deploy@203.0.113.10: Permission denied …"); say it once.
  const said = lastLines(r.stderr).replace(/^[^\s@]+@[^\s:]+: /, '');
  const why = r.code === 255 ? said || 'no message from ssh' : `logged in, but sudo failed: ${said || `exit ${r.code}`}`;
  return { code: r.code === 255 ? 255 : 1, stdout: '', stderr: `${where}: ${why}` };
}

/**
 * Tries a login that must be refused. code 0 = refused, as wanted. For
 * "password" no credential is sent: ssh -v shows which methods the server
 * still offers, and offering password or keyboard-interactive fails the gate.
 */
export async function loginRefused(link: GateLink, check: LoginRefusedCheck, opts: { timeoutSec?: number } = {}): Promise<ExecResult> {
  const r = await fresh(link, loginRefusedArgs(link.target, check.user, check.port, check.method), '', opts.timeoutSec);
  const where = `${check.user}@${link.target.host}:${check.port}`;
  if (check.method === 'publickey') {
    if (r.code === 0) return { code: 1, stdout: '', stderr: `${where}: your key still logs in` };
    if (/Permission denied/.test(r.stderr)) return { code: 0, stdout: `${where}: key login refused (${lastLines(r.stderr, 1)})`, stderr: '' };
    return { code: 1, stdout: '', stderr: `${where}: could not check (${lastLines(r.stderr) || `exit ${r.code}`})` };
  }
  const offered = [...r.stderr.matchAll(/Authentications that can continue: ([\w,@.-]+)|Permission denied \(([\w,@.-]+)\)/g)].map((m) => m[1] ?? m[2]).pop();
  if (r.code === 0) return { code: 1, stdout: '', stderr: `${where}: logged in without any credential` };
  if (offered === undefined) return { code: 1, stdout: '', stderr: `${where}: could not check (${lastLines(r.stderr) || `exit ${r.code}`})` };
  const methods = offered.split(',');
  const bad = methods.filter((m) => m === 'password' || m === 'keyboard-interactive');
  if (bad.length) return { code: 1, stdout: '', stderr: `${where}: the server still offers ${bad.join(' and ')} login` };
  return { code: 0, stdout: `${where}: password login refused (server offers only ${methods.join(', ')})`, stderr: '' };
}
