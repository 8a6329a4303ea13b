import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expandHome } from '../answers/secrets.js';
import { UserError } from '../core/errors.js';
import type { Argv, WriteAction } from '../plan/action.js';
import { sha256 } from '../plan/probes.js';
import { redactKnown, revealText, secretsIn, type Secret } from '../core/secret.js';
import { shJoin } from '../plan/shell.js';
import { freshLogin, loginRefused, type GateLink } from './fresh-login.js';
import { resolveTarget, settleHostKey, type HostKeyPolicy } from './host-key.js';
import { spawnAtExit, spawnDetaching, spawnProcess } from './process.js';
import { takeRunLock, type RunLock } from './run-lock.js';
import { controlArgs, masterArgs, muxArgs, writeScript, WRITE_CHANGED, WRITE_UNCHANGED } from './ssh-args.js';
import { remoteCommand, type SshEndpoint, type SshTarget, type SudoMode } from '../plan/commands.js';
import { classifyConnectError, ExecError, lastLines, SshIdentityMissingError } from './ssh-errors.js';
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

/**
 * The executor over the system OpenSSH client. One ControlMaster admin
 * connection carries every command of a run; gates open brand-new connections
 * with multiplexing off (src/exec/fresh-login.ts); the server's run lock is a
 * session held open beside it (src/exec/run-lock.ts); every process is started
 * by src/exec/process.ts. Secrets only travel in stdin; every output is
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
  readonly #count: SshCounters = { connections: 0, roundTrips: 0, raceRetries: 0 };
  /** The server's run lock, held for as long as this executor is open. */
  #lock: RunLock | null = null;
  readonly #onExit = () => this.#closeSync();
  /** What the login gates use of this connection; they count into the same counters. */
  readonly #gates: GateLink;

  private constructor(target: SshTarget, o: SshConnectOptions) {
    this.target = target;
    this.#dir = mkdtempSync(join(tmpdir(), 'claw-setup-'));
    this.#controlPath = join(this.#dir, 'cm');
    this.#sudoPassword = o.sudoPassword;
    this.#timeoutSec = o.timeoutSec ?? 120;
    this.#sudo = target.user === 'root' ? 'root' : 'password';
    for (const s of o.secrets ?? []) this.#secrets.add(s);
    if (o.sudoPassword) this.#secrets.add(o.sudoPassword);
    this.#gates = { target, sudoPassword: o.sudoPassword, redact: (s) => this.#redact(s), count: this.#count };
  }

  /**
   * Opens the admin connection: settles the host key (asks, or records with
   * --yes into --known-hosts), starts the ControlMaster, and for a non-root
   * login works out how sudo is reached (and that the password is right).
   */
  static async connect(o: SshConnectOptions): Promise<SshExecutor> {
    const identityFile = resolve(expandHome(o.identityFile));
    // Said before ssh runs: ssh only warns and goes on to a "Permission denied" that blames the server.
    // The .pub alone is enough when the private key sits in ssh-agent.
    if (!existsSync(identityFile) && !existsSync(`${identityFile}.pub`)) throw new SshIdentityMissingError(identityFile);
    const base = {
      host: o.host,
      port: o.port,
      user: o.user,
      identityFile,
      sshOptions: o.sshOptions,
      knownHosts: o.knownHosts ? resolve(expandHome(o.knownHosts)) : undefined,
    };
    const resolved = await resolveTarget(spawnProcess, base);
    const target: SshTarget = { ...base, hostKeyAlias: o.hostKeyAlias ?? resolved.alias };
    const ex = new SshExecutor(target, o);
    try {
      const strict = await settleHostKey(spawnProcess, base, { ...resolved, alias: target.hostKeyAlias }, o, () => ex.#count.connections++);
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
    return { ...this.#count };
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
    this.#count.connections++;
    // -f: ssh backgrounds itself once logged in; its stderr goes to a file so nothing holds our pipes open.
    const r = await spawnDetaching(masterArgs(this.target, this.#controlPath, strict), { logFile: log, timeoutSec: 60 });
    let err = '';
    try {
      err = readFileSync(log, 'utf8');
    } catch {
      // no log: ssh wrote nothing
    }
    if (r.code !== 0 || r.timedOut) {
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

  /** The run lock is a session over this master: one more round trip. */
  async #holdRunLock(): Promise<void> {
    this.#count.roundTrips++;
    this.#lock = await takeRunLock({
      target: this.target,
      controlPath: this.#controlPath,
      sudo: this.#sudo,
      sudoPrefix: this.#sudoPrefix(),
      redact: (s) => this.#redact(s),
    });
  }

  #redact(s: string, extra: readonly Secret[] = []): string {
    for (const x of extra) this.#secrets.add(x);
    return redactKnown(s, this.#secrets);
  }

  /** One remote command line over the master. `input` is revealed text; never logged. */
  async #mux(remote: string, input: string, timeoutSec: number, signal?: AbortSignal) {
    if (!this.#open) throw new ExecError(`the admin connection to ${this.target.host} is closed`);
    this.#count.roundTrips++;
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

  freshLogin(check: FreshLoginCheck, opts: { address?: string; timeoutSec?: number } = {}): Promise<ExecResult> {
    return freshLogin(this.#gates, check, opts);
  }

  loginRefused(check: LoginRefusedCheck, opts: { timeoutSec?: number } = {}): Promise<ExecResult> {
    return loginRefused(this.#gates, check, opts);
  }

  /** Ends the admin connection and removes the private control directory. Safe to call twice. */
  async close(): Promise<void> {
    const lock = this.#lock;
    this.#lock = null;
    await lock?.release();
    if (this.#open) {
      this.#open = false;
      await spawnProcess(controlArgs(this.target, this.#controlPath, 'exit'), { timeoutSec: 10 });
    }
    process.removeListener('exit', this.#onExit);
    rmSync(this.#dir, { recursive: true, force: true });
  }

  /** Last resort when the process exits without close(): do not leave a master behind. */
  #closeSync(): void {
    this.#lock?.dropAtExit();
    this.#lock = null;
    if (!this.#open) return;
    this.#open = false;
    spawnAtExit(controlArgs(this.target, this.#controlPath, 'exit'), 5);
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
