import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/**
 * Finding and running the real validators (sshd, shellcheck, systemd-analyze,
 * caddy, fail2ban-client, apt). A missing tool FAILS the test with the install
 * command when CI=true; locally it skips the test and prints why.
 */

export const IN_CI = process.env.CLAW_TEST_CI === '1' || (!!process.env.CI && !/^(0|false)$/i.test(process.env.CI));

/** The absolute path of an executable on PATH (plus the sbin dirs non-root PATHs lack), or null. */
export function findTool(bin: string): string | null {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin'];
  for (const d of dirs) {
    if (!d) continue;
    const p = join(d, bin);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return null;
}

interface SkipContext {
  skip: (note?: string) => never;
}

/** The tool's path; otherwise fails (CI) or skips (local) with how to install it. */
export function needTool(ctx: SkipContext, bin: string, pkg: string): string {
  const p = findTool(bin);
  if (p) return p;
  const msg = `${bin} is not installed; install it with: sudo apt-get install -y ${pkg}`;
  if (IN_CI) throw new Error(`${msg} (validators are required when CI=true)`);
  console.warn(`skipped: ${msg}`);
  return ctx.skip(msg);
}

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command without a shell and returns its exit status and output. stdin is /dev/null unless
 * `input` is given: Node's default stdin pipe is a socket, and bash with a socket on stdin and
 * SHLVL < 2 thinks sshd started it and sources /etc/bash.bashrc (noise on stderr, or worse under -u).
 */
export function run(cmd: string, args: string[], opts: SpawnSyncOptions = {}): RunResult {
  const stdio: SpawnSyncOptions['stdio'] = opts.input === undefined ? ['ignore', 'pipe', 'pipe'] : 'pipe';
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 60_000, stdio, ...opts });
  if (r.error) throw r.error;
  return { status: r.status, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
}

/** A fresh temporary directory and its cleanup. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `claw-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * sshd refuses even `-t` without its privilege-separation directory /run/sshd,
 * which only exists on a host where sshd has run. Without it we run sshd in a
 * private mount namespace with a tmpfs on /run (unshare; as non-root with a
 * user namespace), so the test never changes the host.
 * Returns [command, argsPrefix]; the real sshd argv follows the prefix.
 */
export function sshdLauncher(sshd: string): [string, string[]] {
  if (existsSync('/run/sshd')) return [sshd, []];
  const unshare = findTool('unshare');
  const script = 'mount -t tmpfs tmpfs /run && mkdir -m 755 /run/sshd && exec "$@"';
  const isRoot = process.getuid?.() === 0;
  const prefix = [...(isRoot ? [] : ['--map-root-user']), '--mount', '--', 'sh', '-c', script, 'sh', sshd];
  if (unshare && run(unshare, [...prefix.slice(0, -1), 'true']).status === 0) return [unshare, prefix];
  throw new Error('sshd needs /run/sshd and this host cannot make a private /run with unshare; create it with: sudo mkdir -p -m 755 /run/sshd');
}
