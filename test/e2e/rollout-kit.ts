/**
 * Shared pieces of the rollout e2e tests: a fresh test host with an answers
 * file, the real CLI as a child process, and checks from outside over
 * brand-new SSH connections (fault injection in-process: fault-kit.ts).
 * testhost.exec (nsenter) is used only to look, never as the path under test.
 */
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { secretsFor } from '../../src/answers/secrets.js';
import { parseCli } from '../../src/cli/args.js';
import { loadAll } from '../../src/answers/load.js';
import { assumedFacts } from '../../src/plan/facts.js';
import { planFiles, type Plan } from '../../src/plan/action.js';
import { planContext } from '../../src/plan/context.js';
import { revealText } from '../../src/core/secret.js';
import { shQuote } from '../../src/plan/shell.js';
import { buildPlan } from '../../steps/index.js';
import { bootHost, makeKeyPair } from './testhost/testhost.js';
import type { KeyPair, TestHost, TestHostImage } from './testhost/testhost-types.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/**
 * The CLI the tests run: a private copy of bin/ and dist/ made by buildCli, so another test file
 * (or a developer) rebuilding dist/ meanwhile cannot pull the bundle out from under a running test.
 */
const CLI_COPY = join(tmpdir(), `claw-e2e-cli-${process.pid}`);
export const BIN = join(CLI_COPY, 'bin/claw-setup');
/** The deploy user's sudo password in every scenario (also a sentinel: it must never show up in output). */
export const SUDO_PW = 'e2e-Sudo-Pw-51d9f3c';

export interface Rig {
  host: TestHost;
  dir: string;
  admin: KeyPair;
  answersFile: string;
  /** Empty at first: the CLI records the host key there (--yes --known-hosts). */
  knownHosts: string;
  env: NodeJS.ProcessEnv;
  answers: Record<string, unknown>;
}

/** Boots a fresh host and writes answers for it (stopBefore docker: no internet inside). */
/** `deployKey`: a public key file or key line for the deploy user (default: the operator's own key). */
export interface RigOptions {
  /** A public key file or key line for the deploy user (default: the operator's own key). */
  deployKey?: string;
  /** The test host's image (default Debian 12) and whether Docker can run inside it. */
  image?: TestHostImage;
  docker?: boolean;
  /** Answers merged over the defaults (stopBefore "docker" unless given). */
  answers?: Record<string, unknown>;
  /** Extra environment for the CLI (secrets the answers name). */
  env?: NodeJS.ProcessEnv;
}

/** Boots a fresh host and writes answers for it (by default stopBefore docker: no internet inside). */
export async function rig(name: string, extra: RigOptions = {}): Promise<Rig> {
  const dir = mkdtempSync(join(tmpdir(), `claw-e2e-${name}-`));
  const admin = makeKeyPair(dir, 'admin');
  const host = await bootHost(name, { adminPubKey: admin.publicKey, adminKey: admin.privateKey, image: extra.image, docker: extra.docker });
  const answers = {
    target: { host: host.ip, port: 22, user: 'root', identityFile: admin.privateKey },
    deployUser: { name: 'deploy', sudoPassword: { env: 'CLAW_SUDO_PASSWORD' }, authorizedKeys: [extra.deployKey ?? admin.publicKey] },
    operatorIp: 'auto',
    stopBefore: 'docker',
    ...extra.answers,
  };
  const answersFile = join(dir, 'answers.json5');
  writeFileSync(answersFile, JSON.stringify(answers, null, 2));
  const knownHosts = join(dir, 'known_hosts');
  return { host, dir, admin, answersFile, knownHosts, answers, env: { ...process.env, CLAW_SUDO_PASSWORD: SUDO_PW, ...extra.env } };
}

export async function teardown(r: Rig | undefined): Promise<void> {
  if (!r) return;
  await r.host.down({ fast: true }).catch(() => r.host.down());
  rmSync(r.dir, { recursive: true, force: true });
}

/** Builds the CLI once per test file (dist/ is what bin/claw-setup runs). */
export function buildCli(tries = 2): void {
  const r = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0 || !existsSync(join(ROOT, 'dist/bundle/claw-setup.js'))) throw new Error(`build failed:\n${r.stdout}${r.stderr}`);
  rmSync(CLI_COPY, { recursive: true, force: true });
  for (const part of ['bin', 'dist', 'package.json']) cpSync(join(ROOT, part), join(CLI_COPY, part), { recursive: true });
  // A build that ran at the same time may have emptied dist/ while it was copied: check the copy runs.
  const ok = spawnSync(process.execPath, [BIN, 'plan', '--answers', join(ROOT, 'examples/answers.json5')], { encoding: 'utf8', timeout: 60_000 }).status === 0;
  if (!ok && tries > 1) buildCli(tries - 1);
  else if (!ok) throw new Error('the copied CLI does not start (dist/ changed while it was copied?)');
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the real binary. `onLine` sees each stdout line and may signal the process. */
export function runCli(r: Rig, extraArgs: string[] = [], onLine?: (line: string, kill: (s: NodeJS.Signals) => void) => void): Promise<CliRun> {
  const args = [BIN, '--answers', r.answersFile, '--yes', '--known-hosts', r.knownHosts, ...extraArgs];
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...r.env, TMPDIR: r.dir }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let partial = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d;
      partial += d;
      const lines = partial.split('\n');
      partial = lines.pop() ?? '';
      for (const l of lines) onLine?.(l, (s) => child.kill(s));
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: Date.now() - started }));
  });
}

/** A brand-new ssh connection from outside (no multiplexing), as `user` with `key`. */
export function sshFresh(r: Rig, user: string, cmd: string, o: { key?: string; input?: string; extra?: string[] } = {}): SpawnSyncReturns<string> {
  return spawnSync(
    'ssh',
    [...(o.extra ?? []), '-o', 'ControlMaster=no', '-o', 'ControlPath=none', ...r.host.sshOptions(o.key ?? r.admin.privateKey), `${user}@${r.host.ip}`, cmd],
    { encoding: 'utf8', input: o.input ?? '', timeout: 60_000 },
  );
}

/** Logs in with a password only (sshpass), from a brand-new connection. */
export function passwordLogin(r: Rig, user: string, password: string): SpawnSyncReturns<string> {
  return spawnSync(
    'sshpass',
    [
      '-e',
      'ssh',
      '-o',
      'BatchMode=no',
      '-o',
      'PubkeyAuthentication=no',
      '-o',
      'PreferredAuthentications=password,keyboard-interactive',
      '-o',
      'NumberOfPasswordPrompts=1',
      '-o',
      'ControlMaster=no',
      '-o',
      'ControlPath=none',
      ...r.host.sshOptions(r.admin.privateKey),
      `${user}@${r.host.ip}`,
      'true',
    ],
    { encoding: 'utf8', env: { ...process.env, SSHPASS: password }, timeout: 60_000 },
  );
}

/** As deploy with sudo (password on stdin), from a brand-new connection. */
export function sudoFresh(r: Rig, cmd: string): SpawnSyncReturns<string> {
  return sshFresh(r, 'deploy', `sudo -S -k -p '' sh -c ${shQuote(cmd)}`, { input: `${SUDO_PW}\n` });
}

/** Out of band (the provider console): only for looking. */
export function look(r: Rig, cmd: string): string {
  const x = r.host.exec(['sh', '-c', cmd]);
  return x.stdout;
}

/** Polls until `f` is true or the time is up; returns the ms it took, or -1. */
export async function waitFor(f: () => boolean, ms: number, every = 500): Promise<number> {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    if (f()) return Date.now() - t0;
    await new Promise((res) => setTimeout(res, every));
  }
  return -1;
}

/** The plan the CLI makes for this rig, with the operator address it will detect. Planned files do not depend on other facts. */
export function expectedPlan(r: Rig): Plan {
  const args = parseCli(['--answers', r.answersFile, '--yes']);
  const { answers, keys } = loadAll(args, r.env);
  const ctx = planContext(answers, assumedFacts('debian-12', 'root', r.host.hostIp), secretsFor(answers, r.env), keys);
  return buildPlan(ctx, r.host.ip);
}

/** sha256, mode and owner of every planned file, plus the state a rerun must not touch. */
export function snapshot(r: Rig, plan: Plan): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of planFiles(plan)) out[f.path] = look(r, `sha256sum ${f.path} | cut -c1-64; stat -c '%a %U %G' ${f.path}`).trim();
  out['ufw status numbered'] = look(r, 'ufw status numbered');
  out['/etc/passwd /etc/shadow /etc/group'] = look(r, 'sha256sum /etc/passwd /etc/shadow /etc/group');
  out['sshd_config.d'] = look(r, 'ls -l --time-style=+%s /etc/ssh/sshd_config.d; sha256sum /etc/ssh/sshd_config.d/*');
  return out;
}

/** What each planned file must be: sha256 of its content, mode and owner. */
export function plannedFileFacts(plan: Plan): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of planFiles(plan))
    out[f.path] = `${createHash('sha256').update(revealText(f.content)).digest('hex')}\n${f.mode.toString(8)} ${f.owner} ${f.group}`;
  return out;
}

/** No dead-man timer left armed. */
export function armedTimers(r: Rig): string {
  return look(r, "systemctl list-units --all --no-legend 'claw-setup-deadman-*' | awk '$3 == \"active\" { print $1 }'").trim();
}

/** The "<== step: status" lines of a CLI run. */
export function stepStatuses(stdout: string): Record<string, string> {
  return Object.fromEntries([...stdout.matchAll(/^<== ([a-z0-9-]+): (\w+)$/gm)].map((m) => [m[1], m[2]]));
}

/** "ssh connections opened: N, commands over the admin connection: M" from the CLI's summary line. */
export function cliCounters(stdout: string): { connections: number; raceRetries: number; roundTrips: number } | null {
  const m = /ssh connections opened: (\d+) \((\d+) reload-race retries\), commands over the admin connection: (\d+)/.exec(stdout);
  return m ? { connections: Number(m[1]), raceRetries: Number(m[2]), roundTrips: Number(m[3]) } : null;
}

/** The drop-in the ssh step writes. */
export const DROP_IN = '/etc/ssh/sshd_config.d/00-claw-setup.conf';

/** A brand-new key login as `user` works (3 s to connect). */
export const canLogIn = (r: Rig, user: string) => sshFresh(r, user, 'true', { extra: ['-o', 'ConnectTimeout=3'] }).status === 0;

/** ssh masters a CLI run left behind (their ControlPath is under the rig's TMPDIR). */
export const leftoverMasters = (r: Rig) => spawnSync('pgrep', ['-f', `ControlPath=${r.dir}`], { encoding: 'utf8' }).stdout.trim();

/** Fresh rigs for one test file, each torn down by `downAll` (names get the process's tag). */
export function rigPool() {
  const rigs: Rig[] = [];
  const tag = process.pid % 10000;
  return {
    fresh: async (name: string, extra: RigOptions = {}) => {
      const r = await rig(`${name}-${tag}`, extra);
      rigs.push(r);
      return r;
    },
    downAll: () => Promise.all(rigs.map((r) => teardown(r))),
  };
}
