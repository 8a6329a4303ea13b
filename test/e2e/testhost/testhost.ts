/**
 * Throwaway Debian 12 "VPS" test hosts for end-to-end tests: a thin wrapper around `testhost.sh`
 * (beside this file), which does the real work. Each host is a systemd-nspawn container booted with
 * systemd as PID 1, in its own network namespace, reachable from this machine at 10.77.N.2 with
 * OpenSSH; this machine is 10.77.N.1 on the other end of the veth. Needs root. See README.md.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { constants } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of the bash CLI this module drives. */
export const TESTHOST_SCRIPT = fileURLToPath(new URL('./testhost.sh', import.meta.url));

/** Result of a command run inside a test host. `code` is the exit status (128+N for signal N). */
export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** What `testhost.sh up`/`info` print (one JSON line). */
export interface HostInfo {
  name: string;
  index: number;
  /** The test host's address (its end of the veth). */
  ip: string;
  /** This machine's address on the veth, the source of ordinary connections to `ip`. */
  hostIp: string;
  /** Host PID of the container's PID 1 (systemd) when the line was printed; null if not running. */
  pid1: number | null;
  /** known_hosts file already holding the host's fresh host keys (for StrictHostKeyChecking=yes). */
  knownHosts: string;
  /** The host's root filesystem as seen from this machine (overlayfs merged dir). */
  root: string;
  state: 'running' | 'stopped';
  /** systemd-nspawn's console output (boot messages). */
  log: string;
}

/** A booted test host. */
export interface TestHost {
  readonly name: string;
  readonly index: number;
  readonly ip: string;
  readonly hostIp: string;
  readonly knownHosts: string;
  readonly root: string;
  readonly log: string;
  /** Host PID of the container's PID 1, looked up afresh on each read (it changes on reboot). */
  readonly pid1: number;
  /**
   * Runs `cmd` (argv, no shell) inside the host out of band, through `nsenter` into all of PID 1's
   * namespaces: the "provider web console" that still works when SSH is locked out.
   */
  exec(cmd: string[], options?: { input?: string; timeoutMs?: number }): ExecResult;
  /** Adds `ip` (e.g. 10.77.N.3, a "second client") to this machine's end of the veth. */
  addSourceAddress(ip: string): void;
  /** Removes an address added with addSourceAddress. */
  removeSourceAddress(ip: string): void;
  /**
   * OpenSSH client options for this host: no user config, only `identityFile`, batch mode, and
   * strict host key checking against `knownHosts`. Append `user@ip` and the command.
   */
  sshOptions(identityFile: string): string[];
  /** Stops the host and removes everything it left behind. Idempotent. */
  down(options?: { fast?: boolean }): Promise<void>;
}

/** An ed25519 key pair made by makeKeyPair. */
export interface KeyPair {
  privateKey: string;
  publicKey: string;
  /** The public key line ("ssh-ed25519 AAAA… comment"). */
  publicKeyText: string;
}

interface RunResult {
  stdout: string;
  stderr: string;
}

function run(args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs: number }): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      [TESTHOST_SCRIPT, ...args],
      { env: { ...process.env, ...options.env }, timeout: options.timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          const tail = stderr.trim().split('\n').slice(-40).join('\n');
          reject(new Error(`testhost.sh ${args.join(' ')} failed (${error.message.split('\n')[0]}):\n${tail}`));
        } else {
          resolve({ stdout, stderr });
        }
      },
    );
  });
}

function runSync(args: string[], options: { input?: string; timeoutMs?: number } = {}): ExecResult {
  const r = spawnSync('bash', [TESTHOST_SCRIPT, ...args], {
    input: options.input ?? '',
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  let stderr = r.stderr ?? '';
  if (r.error) stderr += `\n[testhost] ${r.error.message}`;
  const signalCode = r.signal ? 128 + constants.signals[r.signal] : 1;
  return { code: r.status ?? signalCode, stdout: r.stdout ?? '', stderr };
}

function onPath(cmd: string): boolean {
  return (process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin')
    .split(':')
    .concat(['/usr/sbin', '/usr/bin', '/sbin', '/bin'])
    .some((dir) => dir !== '' && existsSync(join(dir, cmd)));
}

/**
 * Why test hosts cannot run here, or null when they can: Linux, root, and systemd-nspawn present
 * or installable (apt-get; ensureImage installs the host tools). TESTHOST_DISABLE=1 also disables.
 */
export function testhostUnavailableReason(): string | null {
  const reason = unavailableReason();
  // Under CI the real-server tests are required: a missing prerequisite fails them instead of skipping.
  if (reason && process.env.CI && !/^(0|false)$/i.test(process.env.CI) && process.env.TESTHOST_DISABLE !== '1') {
    throw new Error(`real-server tests cannot run under CI: ${reason}`);
  }
  return reason;
}

function unavailableReason(): string | null {
  if (process.env.TESTHOST_DISABLE === '1') return 'TESTHOST_DISABLE=1 is set';
  if (process.platform !== 'linux') return `test hosts need Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) {
    return 'test hosts need root (overlayfs mounts, network namespaces, systemd-nspawn); run the e2e tests as root, as CI does';
  }
  if (!onPath('systemd-nspawn') && !onPath('apt-get')) {
    return 'systemd-nspawn is missing and apt-get is not available to install it (package systemd-container)';
  }
  return null;
}

/** True when test hosts can run here (see testhostUnavailableReason for the reason when not). */
export function isRootWithNspawn(): boolean {
  return testhostUnavailableReason() === null;
}

/**
 * Installs the host tools if missing and builds the cached image if missing (about 65 s with a
 * fast Debian mirror, then cached in TH_CACHE, default /var/cache/claw-setup-testhost).
 * Concurrent callers wait for one build.
 */
export async function ensureImage(options: { timeoutMs?: number } = {}): Promise<void> {
  await run(['build'], { timeoutMs: options.timeoutMs ?? 15 * 60_000 });
}

/**
 * Boots a fresh host called `name` ([a-z0-9-], up to 40 chars), replacing any leftover host of
 * that name, and resolves once `ssh -i adminKey root@ip true` works. `adminPubKey` (a file) goes
 * into root's authorized_keys.
 */
export async function bootHost(name: string, options: { adminPubKey: string; adminKey: string; timeoutMs?: number }): Promise<TestHost> {
  const { stdout } = await run(['up', name, '--replace'], {
    env: { TH_ADMIN_PUBKEY: options.adminPubKey, TH_ADMIN_KEY: options.adminKey },
    timeoutMs: options.timeoutMs ?? 180_000,
  });
  const line = stdout.trim().split('\n').pop() ?? '';
  const info = JSON.parse(line) as HostInfo;
  return makeHost(info);
}

function makeHost(info: HostInfo): TestHost {
  let lastPid1 = info.pid1 ?? 0;
  return {
    name: info.name,
    index: info.index,
    ip: info.ip,
    hostIp: info.hostIp,
    knownHosts: info.knownHosts,
    root: info.root,
    log: info.log,
    get pid1(): number {
      const r = runSync(['pid1', info.name], { timeoutMs: 10_000 });
      const pid = Number.parseInt(r.stdout.trim(), 10);
      if (r.code === 0 && Number.isInteger(pid)) lastPid1 = pid;
      return lastPid1;
    },
    exec(cmd, options = {}) {
      if (cmd.length === 0) throw new Error('exec needs a command');
      return runSync(['exec', info.name, '--', ...cmd], options);
    },
    addSourceAddress(ip) {
      const r = runSync(['addr', info.name, ip]);
      if (r.code !== 0) throw new Error(`adding ${ip} to ${info.name}'s veth failed: ${r.stderr.trim()}`);
    },
    removeSourceAddress(ip) {
      const r = runSync(['addr', info.name, ip, '--del']);
      if (r.code !== 0) throw new Error(`removing ${ip} from ${info.name}'s veth failed: ${r.stderr.trim()}`);
    },
    sshOptions(identityFile) {
      return [
        '-F',
        '/dev/null',
        '-i',
        identityFile,
        '-o',
        'IdentitiesOnly=yes',
        '-o',
        'BatchMode=yes',
        '-o',
        `UserKnownHostsFile=${info.knownHosts}`,
        '-o',
        'GlobalKnownHostsFile=/dev/null',
        '-o',
        'StrictHostKeyChecking=yes',
        '-o',
        'ConnectTimeout=10',
        '-o',
        'LogLevel=ERROR',
      ];
    },
    async down(options = {}) {
      await downHost(info.name, options);
    },
  };
}

/** Stops a host by name and removes everything it left behind. Idempotent. */
export async function downHost(name: string, options: { fast?: boolean } = {}): Promise<void> {
  await run(['down', name, ...(options.fast ? ['--fast'] : [])], { timeoutMs: 120_000 });
}

/** Stops every test host (for a global teardown). */
export async function downAllHosts(options: { fast?: boolean } = {}): Promise<void> {
  await run(['down', '--all', ...(options.fast ? ['--fast'] : [])], { timeoutMs: 300_000 });
}

/** The test hosts that exist now. */
export async function listHosts(): Promise<HostInfo[]> {
  const { stdout } = await run(['list'], { timeoutMs: 60_000 });
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as HostInfo);
}

/** Generates an ed25519 key pair without passphrase at `dir/name` (replacing an old one). */
export function makeKeyPair(dir: string, name: string): KeyPair {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const privateKey = join(dir, name);
  rmSync(privateKey, { force: true });
  rmSync(`${privateKey}.pub`, { force: true });
  const r = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', privateKey], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (r.status !== 0) throw new Error(`ssh-keygen failed: ${r.error?.message ?? r.stderr}`);
  const publicKey = `${privateKey}.pub`;
  return { privateKey, publicKey, publicKeyText: readFileSync(publicKey, 'utf8').trim() };
}
