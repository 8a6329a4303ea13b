/**
 * Throwaway Debian 12 (default) or Debian 13 "VPS" test hosts for end-to-end tests: a thin wrapper
 * around `testhost.sh` (beside this file), which does the real work. Each host is a systemd-nspawn
 * container booted with systemd as PID 1, in its own network namespace, reachable from this machine
 * at 10.77.N.2 with OpenSSH; this machine is 10.77.N.1 on the other end of the veth. Hosts booted
 * with `docker: true` can run Debian's docker.io inside. Needs root. See README.md.
 */
import { execFile, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of the bash CLI this module drives. */
export const TESTHOST_SCRIPT = fileURLToPath(new URL('./testhost.sh', import.meta.url));

/**
 * The images a test host can boot: `debian-12` (bookworm, the default) or `debian-13` (trixie,
 * whose offline repo also holds docker.io, docker-cli, containerd, runc, docker-compose v2, tini,
 * caddy and busybox-static).
 */
export type TestHostImage = 'debian-12' | 'debian-13';

/** Every image testhost.sh can build; the first is the default. */
export const TESTHOST_IMAGES: readonly TestHostImage[] = ['debian-12', 'debian-13'];

/** Options of bootHost. */
export interface BootHostOptions {
  /** Public key file for root's authorized_keys. */
  adminPubKey: string;
  /** Its private key (used to wait for the first SSH login). */
  adminKey: string;
  timeoutMs?: number;
  /** Which image to boot (default `debian-12`). Build it first with `ensureImage(image)`. */
  image?: TestHostImage;
  /**
   * Make the host able to run Docker (not installed: install docker.io from the offline repo):
   * all capabilities but CAP_SYS_MODULE, runc's keyring syscalls allowed, writable cgroup v1
   * controllers (unit th-docker-cgroups.service, before containerd/docker), and /var/lib/docker
   * on a plain directory of this machine so dockerd uses overlay2. See README.md for the caveats.
   */
  docker?: boolean;
}

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
  /** The image the host runs on. */
  image: TestHostImage;
  /** Whether the host was booted ready for Docker (`up --docker`). */
  docker: boolean;
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
  /** The image the host runs on (`debian-12` unless bootHost was given another). */
  readonly image: TestHostImage;
  /** Whether the host was booted with `docker: true`. */
  readonly docker: boolean;
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
  /**
   * Waits until `docker info` answers inside the host (Docker must have been installed and
   * started, e.g. by the rollout); throws with docker's last error after `timeoutMs` (60 s).
   */
  waitForDocker(timeoutMs?: number): void;
  /**
   * `docker import` of a root filesystem tarball on this machine into the host's Docker, as image
   * `tag` (e.g. `ghcr.io/openclaw/openclaw:2026.9.6`), with one `--change` per entry of `changes`
   * (Dockerfile lines such as `USER 1000`, `WORKDIR /app`, `ENV A=b`, `CMD ["node","x.js"]`). No
   * registry is involved: the tarball is streamed to `docker import -` on stdin through nsenter
   * (out of band, like exec). Works whenever dockerd runs in the host (waits for it like
   * waitForDocker). Returns the new image ID (`sha256:…`); throws on failure.
   */
  dockerImport(tarPath: string, tag: string, changes?: readonly string[], options?: { timeoutMs?: number }): string;
  /**
   * `docker load` of an image archive made by `docker save` (any machine), streamed on stdin like
   * dockerImport. Returns docker's output ("Loaded image: name:tag"); throws on failure.
   */
  dockerLoad(tarPath: string, options?: { timeoutMs?: number }): string;
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

/** Like runSync, with a file of this machine as stdin (streamed, never read into memory). */
function runSyncFromFile(args: string[], file: string, timeoutMs: number): ExecResult {
  const fd = openSync(file, 'r');
  try {
    const r = spawnSync('bash', [TESTHOST_SCRIPT, ...args], {
      stdio: [fd, 'pipe', 'pipe'],
      encoding: 'utf8',
      timeout: timeoutMs,
      maxBuffer: 64 * 1024 * 1024,
    });
    let stderr = r.stderr ?? '';
    if (r.error) stderr += `\n[testhost] ${r.error.message}`;
    const signalCode = r.signal ? 128 + constants.signals[r.signal] : 1;
    return { code: r.status ?? signalCode, stdout: r.stdout ?? '', stderr };
  } finally {
    closeSync(fd);
  }
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


/** Arguments selecting a non-default image (none for debian-12, so its commands stay as they were). */
function imageArgs(image: TestHostImage | undefined): string[] {
  if (image === undefined || image === 'debian-12') return [];
  if (!TESTHOST_IMAGES.includes(image)) throw new Error(`unknown test host image '${String(image)}' (known: ${TESTHOST_IMAGES.join(', ')})`);
  return ['--image', image];
}

/**
 * Installs the host tools if missing and builds the cached image if missing, then cached in
 * TH_CACHE (default /var/cache/claw-setup-testhost). `debian-12` (the default) takes about 65 s
 * with a fast Debian mirror, `debian-13` about 95 s. Concurrent callers wait for one build.
 * Call as `ensureImage()`, `ensureImage('debian-13')` or `ensureImage({ image, timeoutMs })`.
 */
export async function ensureImage(
  imageOrOptions: TestHostImage | { image?: TestHostImage; timeoutMs?: number } = {},
  options: { timeoutMs?: number } = {},
): Promise<void> {
  const o = typeof imageOrOptions === 'string' ? { ...options, image: imageOrOptions } : { ...options, ...imageOrOptions };
  await run(['build', ...imageArgs(o.image)], { timeoutMs: o.timeoutMs ?? 15 * 60_000 });
}

/**
 * Boots a fresh host called `name` ([a-z0-9-], up to 40 chars), replacing any leftover host of
 * that name, and resolves once `ssh -i adminKey root@ip true` works. `adminPubKey` (a file) goes
 * into root's authorized_keys. `image` picks the image (default debian-12); `docker: true` makes
 * the host ready to run Docker (see BootHostOptions).
 */
export async function bootHost(name: string, options: BootHostOptions): Promise<TestHost> {
  const args = ['up', name, '--replace', ...imageArgs(options.image), ...(options.docker ? ['--docker'] : [])];
  const { stdout } = await run(args, {
    env: { TH_ADMIN_PUBKEY: options.adminPubKey, TH_ADMIN_KEY: options.adminKey },
    timeoutMs: options.timeoutMs ?? 180_000,
  });
  const line = stdout.trim().split('\n').pop() ?? '';
  const info = JSON.parse(line) as HostInfo;
  return makeHost(info);
}

/** The `--change` arguments as one string, for error messages. */
function describeChanges(changes: readonly string[]): string {
  return changes.map((c) => `--change '${c}'`).join(' ');
}

function makeHost(info: HostInfo): TestHost {
  let lastPid1 = info.pid1 ?? 0;
  const exec = (cmd: string[], options: { input?: string; timeoutMs?: number } = {}): ExecResult => {
    if (cmd.length === 0) throw new Error('exec needs a command');
    return runSync(['exec', info.name, '--', ...cmd], options);
  };
  const waitForDocker = (timeoutMs = 60_000): void => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = exec(['docker', 'info', '--format', '{{.ServerVersion}}'], { timeoutMs: 30_000 });
      if (r.code === 0 && r.stdout.trim() !== '') return;
      if (Date.now() >= deadline) {
        throw new Error(`docker is not answering in ${info.name} after ${timeoutMs / 1000}s: ${(r.stderr || r.stdout).trim()}`);
      }
      spawnSync('sleep', ['0.2']);
    }
  };
  const streamInto = (what: string, tarPath: string, cmd: string[], timeoutMs: number): string => {
    if (!existsSync(tarPath)) throw new Error(`${what}: no such file: ${tarPath}`);
    waitForDocker();
    const r = runSyncFromFile(['exec', info.name, '--', ...cmd], tarPath, timeoutMs);
    if (r.code !== 0) throw new Error(`${what} of ${tarPath} into ${info.name} failed (exit ${r.code}): ${(r.stderr || r.stdout).trim()}`);
    return r.stdout.trim();
  };
  return {
    name: info.name,
    index: info.index,
    ip: info.ip,
    hostIp: info.hostIp,
    knownHosts: info.knownHosts,
    root: info.root,
    log: info.log,
    image: info.image,
    docker: info.docker,
    get pid1(): number {
      const r = runSync(['pid1', info.name], { timeoutMs: 10_000 });
      const pid = Number.parseInt(r.stdout.trim(), 10);
      if (r.code === 0 && Number.isInteger(pid)) lastPid1 = pid;
      return lastPid1;
    },
    exec,
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
    waitForDocker,
    dockerImport(tarPath, tag, changes = [], options = {}) {
      const args = changes.flatMap((c) => ['--change', c]);
      const id = streamInto(`docker import ${describeChanges(changes)}`, tarPath, ['docker', 'import', ...args, '-', tag], options.timeoutMs ?? 600_000);
      return id.split('\n').pop() ?? id;
    },
    dockerLoad(tarPath, options = {}) {
      return streamInto('docker load', tarPath, ['docker', 'load'], options.timeoutMs ?? 600_000);
    },
    async down(options = {}) {
      await downHost(info.name, options);
    },
  };
}

/**
 * `--change` lines for the image that makeBusyboxRootfs builds: busybox httpd on port 8080 as
 * nobody (65534), serving /www, in the foreground.
 */
export const BUSYBOX_HTTPD_CHANGES: readonly string[] = ['CMD ["/bin/httpd", "-f", "-p", "8080", "-h", "/www"]', 'USER 65534:65534', 'WORKDIR /www'];

/**
 * Writes a tiny root filesystem tarball (about 2 MB) for `dockerImport`: the static busybox from
 * the `busybox-static` .deb in an image's offline repo (`imageRoot`/var/local/th-apt, e.g. a
 * debian-13 host's `host.root`), /bin/sh and a few applets as links, /etc/passwd and /etc/group
 * with root and nobody, /tmp, and /www holding `index.html` ("testhost busybox") and `healthz`
 * (`{"ok":true}`). `files` adds or replaces files (absolute paths inside the image). Import it with
 * `host.dockerImport(tar, tag, BUSYBOX_HTTPD_CHANGES)` to get an HTTP server on port 8080.
 * Needs dpkg-deb and tar on this machine. Returns `outTar`.
 */
export function makeBusyboxRootfs(outTar: string, imageRoot: string, files: Record<string, string> = {}): string {
  const repo = join(imageRoot, 'var/local/th-apt');
  const deb = existsSync(repo) ? readdirSync(repo).find((f) => f.startsWith('busybox-static_') && f.endsWith('.deb')) : undefined;
  if (!deb) {
    throw new Error(
      `no busybox-static .deb in ${repo}: the debian-13 image has one; for debian-12 build with TH_EXTRA_PACKAGES=busybox-static (build --force)`,
    );
  }
  const work = mkdtempSync(join(tmpdir(), 'th-busybox-'));
  try {
    const x = spawnSync('dpkg-deb', ['-x', join(repo, deb), join(work, 'deb')], { encoding: 'utf8' });
    if (x.status !== 0) throw new Error(`dpkg-deb -x ${deb} failed: ${x.error?.message ?? x.stderr}`);
    const root = join(work, 'root');
    for (const d of ['bin', 'etc', 'tmp', 'www']) mkdirSync(join(root, d), { recursive: true, mode: 0o755 });
    const bin = ['usr/bin/busybox', 'bin/busybox'].map((p) => join(work, 'deb', p)).find((p) => existsSync(p));
    if (!bin) throw new Error(`${deb} has no busybox binary`);
    writeFileSync(join(root, 'bin/busybox'), readFileSync(bin), { mode: 0o755 });
    for (const applet of ['sh', 'httpd', 'wget', 'cat', 'echo', 'id', 'ls', 'sleep', 'env']) symlinkSync('busybox', join(root, 'bin', applet));
    const content: Record<string, string> = {
      '/etc/passwd': 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n',
      '/etc/group': 'root:x:0:\nnogroup:x:65534:\n',
      '/www/index.html': '<h1>testhost busybox</h1>\n',
      '/www/healthz': '{"ok":true}\n',
      ...files,
    };
    for (const [path, text] of Object.entries(content)) {
      const target = join(root, path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, text, { mode: 0o644 });
    }
    spawnSync('chmod', ['1777', join(root, 'tmp')]);
    mkdirSync(dirname(outTar), { recursive: true });
    const t = spawnSync('tar', ['--owner=0', '--group=0', '--numeric-owner', '-C', root, '-cf', outTar, '.'], { encoding: 'utf8' });
    if (t.status !== 0) throw new Error(`tar failed: ${t.error?.message ?? t.stderr}`);
    return outTar;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Stops a host by name and removes everything it left behind. Idempotent. */
export async function downHost(name: string, options: { fast?: boolean } = {}): Promise<void> {
  await run(['down', name, ...(options.fast ? ['--fast'] : [])], { timeoutMs: 120_000 });
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
