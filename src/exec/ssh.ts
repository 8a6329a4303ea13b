import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa, execaSync } from 'execa';
import { expandHome } from '../answers/secrets.js';
import { UserError } from '../core/errors.js';
import type { Argv, WriteAction } from '../plan/action.js';
import { sha256 } from '../plan/probes.js';
import { redactKnown, revealText, secretsIn, type Secret } from '../core/secret.js';
import { shJoin } from '../plan/shell.js';
import { resolveTarget, settleHostKey, type HostKeyPolicy } from './host-key.js';
import {
  controlArgs,
  freshLoginArgs,
  LOCK_BUSY,
  LOCK_HELD,
  loginRefusedArgs,
  masterArgs,
  muxArgs,
  remoteCommand,
  runLockArgv,
  writeScript,
  WRITE_CHANGED,
  WRITE_UNCHANGED,
  type SshEndpoint,
  type SshTarget,
  type SudoMode,
} from './ssh-args.js';
import { classifyConnectError, ExecError, lastLines } from './ssh-errors.js';
import type { ExecResult, Executor, FreshLoginCheck, LoginRefusedCheck, RunOptions } from './types.js';

export interface SshConnectOptions extends SshEndpoint, HostKeyPolicy {
  /** sudo password of the login user when it is not root; also what fresh-login gates check sudo with. */
  sudoPassword?: Secret;
  /** Values to scrub from every output (more are learnt from stdin and file contents as they pass). */
  secrets?: Iterable<Secret>;
  /** A read-only session (live dry run): no server-side run lock is taken, so nothing at all is written there. */
  readOnly?: boolean;
  /** Default per-command limit in seconds (120). */
  timeoutSec?: number;
  /** Pin the host key name (e.g. "[host]:22" when connecting on a moved port). */
  hostKeyAlias?: string;
}

export interface SshCounters {
  /** TCP connections opened to the server: the master, every fresh-login / login-refused attempt, a keyscan. */
  connections: number;
  /** Commands run over the admin connection (each one round trip). */
  roundTrips: number;
  /** Of `connections`, the quick retries of a fresh login that raced an sshd reload. */
  raceRetries: number;
}

/** Brief retries for a fresh connection racing an sshd reload (testhost F2: 6 of 20 refused without). */
const RELOAD_RACE = /Connection refused|Connection reset|kex_exchange_identification|Connection timed out during banner/i;
const RACE_TRIES = 10;
const RACE_DELAY_MS = 500;
/** A fresh connection's limit when the caller sets none (the runner passes the gate's budget). */
const FRESH_BUDGET_SEC = 40;

/**
 * The executor over the system OpenSSH client. One ControlMaster admin
 * connection carries every command of a run; gates open brand-new connections
 * with multiplexing off. Secrets only travel in stdin; every output is
 * redacted; errors carry our own redacted text, never execa's message.
 */
export class SshExecutor implements Executor {
  readonly target: SshTarget;
  readonly #dir: string;
  readonly #controlPath: string;
  readonly #secrets = new Set<Secret>();
  readonly #sudoPassword: Secret | undefined;
  readonly #timeoutSec: number;
  #sudo: SudoMode;
  #open = false;
  #connections = 0;
  #roundTrips = 0;
  #raceRetries = 0;
  /** The session that holds the server's run lock for as long as this executor is open. */
  #lock: ChildProcess | null = null;
  readonly #onExit = () => this.#closeSync();

  private constructor(target: SshTarget, o: SshConnectOptions) {
    this.target = target;
    this.#dir = mkdtempSync(join(tmpdir(), 'claw-setup-'));
    this.#controlPath = join(this.#dir, 'cm');
    this.#sudoPassword = o.sudoPassword;
    this.#timeoutSec = o.timeoutSec ?? 120;
    this.#sudo = target.user === 'root' ? 'root' : 'password';
    for (const s of o.secrets ?? []) this.#secrets.add(s);
    if (o.sudoPassword) this.#secrets.add(o.sudoPassword);
  }

  /**
   * Opens the admin connection: settles the host key (asks, or records with
   * --yes into --known-hosts), starts the ControlMaster, and for a non-root
   * login works out how sudo is reached (and that the password is right).
   */
  static async connect(o: SshConnectOptions): Promise<SshExecutor> {
    const base = {
      host: o.host,
      port: o.port,
      user: o.user,
      identityFile: resolve(expandHome(o.identityFile)),
      sshOptions: o.sshOptions,
      knownHosts: o.knownHosts ? resolve(expandHome(o.knownHosts)) : undefined,
    };
    const resolved = await resolveTarget(spawnProcess, base);
    const target: SshTarget = { ...base, hostKeyAlias: o.hostKeyAlias ?? resolved.alias };
    const ex = new SshExecutor(target, o);
    try {
      const strict = await settleHostKey(spawnProcess, base, { ...resolved, alias: target.hostKeyAlias }, o, () => ex.#connections++);
      await ex.#startMaster(strict);
      if (target.user !== 'root') await ex.#settleSudo();
      if (!o.readOnly) await ex.#holdRunLock();
    } catch (e) {
      await ex.close();
      throw e;
    }
    return ex;
  }

  counters(): SshCounters {
    return { connections: this.#connections, roundTrips: this.#roundTrips, raceRetries: this.#raceRetries };
  }

  /** Adds values to scrub from outputs (e.g. a token read back from the server). */
  addSecrets(...s: Secret[]): void {
    for (const x of s) this.#secrets.add(x);
  }

  /** The login user of the admin connection. */
  get loginUser(): string {
    return this.target.user;
  }

  async #startMaster(strict: 'yes' | 'accept-new'): Promise<void> {
    const log = join(this.#dir, 'master.log');
    this.#connections++;
    const argv = masterArgs(this.target, this.#controlPath, strict);
    let r;
    try {
      // -f: ssh backgrounds itself once logged in; its stderr goes to a file so nothing holds our pipes open.
      r = await execa(argv[0], argv.slice(1), { reject: false, stdin: 'ignore', stdout: 'ignore', stderr: { file: log }, timeout: 60_000 });
    } catch {
      throw new ExecError(`could not run: ${shJoin(argv)}`);
    }
    let err = '';
    try {
      err = readFileSync(log, 'utf8');
    } catch {
      // no log: ssh wrote nothing
    }
    if (r.exitCode !== 0 || r.timedOut) {
      throw classifyConnectError(r.timedOut ? `${err}\nConnection timed out` : err, this.target);
    }
    this.#open = true;
    process.once('exit', this.#onExit);
  }

  /** NOPASSWD sudo, or a password sudo accepts; checked once so a wrong password can never eat a command's stdin. */
  async #settleSudo(): Promise<void> {
    const nopw = await this.#mux('sudo -k -n true', '', 30);
    if (nopw.code === 0) {
      this.#sudo = 'nopasswd';
      return;
    }
    if (!this.#sudoPassword) {
      throw new UserError(
        `${this.target.user} needs a password for sudo`,
        'give the sudo password (deployUser.sudoPassword, e.g. { env: "CLAW_SUDO_PASSWORD" })',
      );
    }
    const pw = await this.#mux("sudo -S -k -p '' true", `${this.#sudoPassword.reveal()}\n`, 30);
    if (pw.code !== 0) {
      throw new UserError(`sudo refused the password for ${this.target.user} on ${this.target.host}`, `check the sudo password (${this.#sudoPassword.origin})`);
    }
    this.#sudo = 'password';
  }

  /**
   * Takes the server's run lock for the life of this connection, so two runs
   * never interleave. Held by a session whose stdin is our pipe: when this
   * process ends in any way, the pipe closes, the lock frees itself, and the
   * master (with no session left) ends CONTROL_PERSIST_SEC later.
   */
  async #holdRunLock(): Promise<void> {
    const clean = (x: string) => x.replace(/[^A-Za-z0-9.:_-]/g, '?').slice(0, 64);
    const owner = `${clean(hostname())} pid ${process.pid} since ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`;
    const argv = muxArgs(this.target, this.#controlPath, remoteCommand(runLockArgv(owner), this.#sudo));
    this.#roundTrips++;
    const child = spawn(argv[0], argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin!.on('error', () => undefined);
    child.stdin!.write(this.#sudoPrefix());
    this.#lock = child;
    let out = '';
    let err = '';
    const answer = await new Promise<string>((done) => {
      const timer = setTimeout(() => done('timeout'), 30_000);
      child.stdout!.on('data', (d: Buffer) => {
        out += d;
        if (out.includes(LOCK_HELD) || (out.includes(LOCK_BUSY) && out.includes('\n'))) {
          clearTimeout(timer);
          done(out);
        }
      });
      child.stderr!.on('data', (d: Buffer) => (err += d));
      child.on('exit', () => {
        clearTimeout(timer);
        setImmediate(() => done(out || 'exit'));
      });
      child.on('error', () => {
        clearTimeout(timer);
        done('exit');
      });
    });
    if (answer.includes(LOCK_HELD)) {
      // From here on the lock must not keep this process alive; close() or the exit hook ends it.
      child.unref();
      for (const st of [child.stdin, child.stdout, child.stderr]) (st as unknown as { unref?: () => void } | null)?.unref?.();
      return;
    }
    this.#lock = null;
    child.kill();
    const busy = new RegExp(`${LOCK_BUSY} ?(.*)`).exec(answer);
    if (busy) {
      throw new UserError(
        `another claw-setup run is working on ${this.target.host} (${busy[1].trim() || 'holder unknown'}); this run changed nothing`,
        'wait for that run to finish (or stop it), then run this again. If that run is gone (its laptop lost the network), the server frees the lock when its connection times out, within a few minutes',
      );
    }
    throw new ExecError(
      `could not take the run lock on ${this.target.host}: ${answer === 'timeout' ? 'no answer in 30s' : lastLines(this.#redact(err)) || 'the lock session ended'}`,
    );
  }

  /** Ends the lock session (the server frees the lock) and waits briefly for it to go. */
  async #releaseRunLock(): Promise<void> {
    const child = this.#lock;
    this.#lock = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((done) => child.once('exit', () => done()));
    child.stdin?.end();
    const t = setTimeout(() => child.kill(), 5000);
    await gone;
    clearTimeout(t);
  }

  #redact(s: string, extra: readonly Secret[] = []): string {
    for (const x of extra) this.#secrets.add(x);
    return redactKnown(s, this.#secrets);
  }

  /** One remote command line over the master. `input` is revealed text; never logged. */
  async #mux(remote: string, input: string, timeoutSec: number, signal?: AbortSignal) {
    if (!this.#open) throw new ExecError(`the admin connection to ${this.target.host} is closed`);
    this.#roundTrips++;
    const r = await spawnProcess(muxArgs(this.target, this.#controlPath, remote), { input, timeoutSec, signal });
    if (r.code === 255 && !(await this.#masterAlive())) {
      this.#open = false;
      throw new ExecError(`the admin connection to ${this.target.host} was lost (${lastLines(this.#redact(r.stderr))})`);
    }
    return r;
  }

  async #masterAlive(): Promise<boolean> {
    const r = await spawnProcess(controlArgs(this.target, this.#controlPath, 'check'), { timeoutSec: 10 });
    return r.code === 0;
  }

  #sudoPrefix(): string {
    return this.#sudo === 'password' && this.#sudoPassword ? `${this.#sudoPassword.reveal()}\n` : '';
  }

  async run(argv: Argv, opts: RunOptions = {}): Promise<ExecResult> {
    const input = this.#sudoPrefix() + (opts.stdin ? revealText(opts.stdin) : '');
    const timeoutSec = opts.timeoutSec ?? this.#timeoutSec;
    const r = await this.#mux(remoteCommand(argv, this.#sudo), input, timeoutSec, opts.signal);
    const extra = secretsIn(opts.stdin);
    const note = r.timedOut ? `\nclaw-setup: timed out after ${timeoutSec}s: ${shJoin(argv)}` : r.canceled ? '\nclaw-setup: cancelled' : '';
    return { code: r.code, stdout: this.#redact(r.stdout, extra), stderr: this.#redact(r.stderr + note, extra) };
  }

  async write(w: WriteAction, opts: { timeoutSec?: number } = {}): Promise<{ changed: boolean }> {
    const content = revealText(w.content);
    const input = `${this.#sudoPrefix()}${sha256(content)}\n${content}`;
    const timeoutSec = opts.timeoutSec ?? this.#timeoutSec;
    const r = await this.#mux(remoteCommand(writeScript(w), this.#sudo), input, timeoutSec);
    const out = this.#redact(r.stdout, secretsIn(w.content));
    if (r.code !== 0 || r.timedOut) {
      const why = r.timedOut ? `timed out after ${timeoutSec}s` : `exit ${r.code}: ${lastLines(this.#redact(r.stderr)) || 'no message'}`;
      throw new ExecError(`writing ${w.path} failed (${why})`);
    }
    if (out.includes(WRITE_CHANGED)) return { changed: true };
    if (out.includes(WRITE_UNCHANGED)) return { changed: false };
    throw new ExecError(`writing ${w.path}: no answer from the write script`);
  }

  /**
   * A fresh connection, retried briefly while a reloaded sshd re-binds its
   * port; the whole of it, retries included, ends within `budgetSec`.
   */
  async #fresh(argv: Argv, input: string, budgetSec = FRESH_BUDGET_SEC): Promise<{ code: number; stdout: string; stderr: string }> {
    const until = Date.now() + budgetSec * 1000;
    let r = { code: 255, stdout: '', stderr: '' };
    for (let i = 0; i < RACE_TRIES; i++) {
      this.#connections++;
      if (i > 0) this.#raceRetries++;
      const p = await spawnProcess(argv, { input, timeoutSec: Math.max(1, Math.ceil((until - Date.now()) / 1000)) });
      r = { code: p.code, stdout: p.stdout, stderr: p.timedOut ? `${p.stderr}\nclaw-setup: gave up after ${budgetSec}s` : p.stderr };
      if (!(r.code === 255 && RELOAD_RACE.test(r.stderr))) break;
      if (Date.now() + RACE_DELAY_MS >= until) break;
      await sleep(RACE_DELAY_MS);
    }
    return { code: r.code, stdout: this.#redact(r.stdout), stderr: this.#redact(r.stderr) };
  }

  async freshLogin(check: FreshLoginCheck, opts: { address?: string; timeoutSec?: number } = {}): Promise<ExecResult> {
    if (check.sudo && !this.#sudoPassword) return { code: 1, stdout: '', stderr: `no sudo password to check sudo for ${check.user} with` };
    const argv = freshLoginArgs(this.target, check.user, check.port, opts.address ?? this.target.host, check.sudo);
    const r = await this.#fresh(argv, check.sudo ? `${this.#sudoPassword!.reveal()}\n` : '', opts.timeoutSec);
    const where = `${check.user}@${opts.address ?? this.target.host}:${check.port}`;
    if (r.code === 0) return { code: 0, stdout: `${where}: logged in${check.sudo ? ', sudo works' : ''}`, stderr: '' };
    // ssh names the login itself ("deploy@203.0.113.10: Permission denied …"); say it once.
    const said = lastLines(r.stderr).replace(/^[^\s@]+@[^\s:]+: /, '');
    const why = r.code === 255 ? said || 'no message from ssh' : `logged in, but sudo failed: ${said || `exit ${r.code}`}`;
    return { code: r.code === 255 ? 255 : 1, stdout: '', stderr: `${where}: ${why}` };
  }

  async loginRefused(check: LoginRefusedCheck, opts: { timeoutSec?: number } = {}): Promise<ExecResult> {
    const r = await this.#fresh(loginRefusedArgs(this.target, check.user, check.port, check.method), '', opts.timeoutSec);
    const where = `${check.user}@${this.target.host}:${check.port}`;
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

  /** Ends the admin connection and removes the private control directory. Safe to call twice. */
  async close(): Promise<void> {
    await this.#releaseRunLock();
    if (this.#open) {
      this.#open = false;
      await spawnProcess(controlArgs(this.target, this.#controlPath, 'exit'), { timeoutSec: 10 });
    }
    process.removeListener('exit', this.#onExit);
    rmSync(this.#dir, { recursive: true, force: true });
  }

  /** Last resort when the process exits without close(): do not leave a master behind. */
  #closeSync(): void {
    if (this.#lock?.exitCode === null) this.#lock.kill();
    this.#lock = null;
    if (!this.#open) return;
    this.#open = false;
    const argv = controlArgs(this.target, this.#controlPath, 'exit');
    execaSync(argv[0], argv.slice(1), { reject: false, timeout: 5000, stdio: 'ignore' });
    rmSync(this.#dir, { recursive: true, force: true });
  }
}

interface SpawnResult {
  code: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  canceled: boolean;
}

/**
 * Runs one local process (ssh, ssh-keygen, ssh-keyscan). Never rejects and
 * never hands on execa's own message: callers build theirs from the argv,
 * which holds no secret. Timeout → code 124, cancel → 130, spawn failure → 127.
 */
export async function spawnProcess(argv: Argv, o: { input?: string; timeoutSec?: number; signal?: AbortSignal } = {}): Promise<SpawnResult> {
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
    // execa's own message may quote options; ours names only the argv, which never holds a secret.
    throw new ExecError(`could not run: ${shJoin(argv)}`);
  }
  const canceled = Boolean(r.isCanceled);
  const timedOut = Boolean(r.timedOut);
  const spawnFailed = r.exitCode === undefined && !timedOut && !canceled;
  const code = timedOut ? 124 : canceled ? 130 : spawnFailed ? 127 : (r.exitCode ?? 1);
  const stderr = spawnFailed ? `cannot start ${argv[0]}: is OpenSSH installed?` : String(r.stderr ?? '');
  return { code, stdout: String(r.stdout ?? ''), stderr, timedOut, canceled };
}
