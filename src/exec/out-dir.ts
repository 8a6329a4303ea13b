import { closeSync, fchmodSync, lstatSync, mkdirSync, openSync, realpathSync, renameSync, rmSync, writeSync, type Stats } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { UserError } from '../core/errors.js';
import { redactText } from '../core/secret.js';
import { planFiles, type Plan } from '../plan/action.js';

/** Directories `--out` must never be, nor be inside: as root it would overwrite this machine's own files. */
const SYSTEM_ROOTS = ['/bin', '/boot', '/dev', '/etc', '/lib', '/lib32', '/lib64', '/libx32', '/proc', '/run', '/sbin', '/sys', '/usr', '/var/lib', '/var/log'];
const SYSTEM_EXACT = ['/', '/home', '/root', '/var', '/opt', '/srv', '/tmp', '/mnt', '/media'];

/**
 * Refuses an `--out DIR` that would hurt this machine or lose work, before
 * anything is printed or written: `/` and system directories, a path that is
 * a file, and files already there (unless `force`).
 */
export function checkOutDir(plan: Plan, dir: string, force: boolean): void {
  checkOutPaths(
    planFiles(plan).map((f) => f.path),
    dir,
    force,
  );
}

/**
 * The same refusals for any set of relative paths under `dir` (an export):
 * `/` and system directories, a path that is a file, files already there
 * (unless `force`). Throws UserError; writes nothing.
 */
export function checkOutPaths(paths: string[], dir: string, force: boolean, o: { namedFiles?: boolean } = {}): void {
  const abs = resolve(dir);
  // The directory as the system resolves it too: `--out ./x` where x is a symlink to /etc is /etc.
  const real = lstatSync(abs, { throwIfNoEntry: false }) ? realpathSync(abs) : abs;
  // Files the operator named (`--out /tmp/user-data.yaml`) go where they said: only their directory
  // being / or a system tree is refused; a whole plan tree stays out of /tmp, /root and the like too.
  const exact = o.namedFiles ? ['/'] : SYSTEM_EXACT;
  for (const d of new Set([abs, real])) {
    if (exact.includes(d) || SYSTEM_ROOTS.some((r) => d === r || d.startsWith(`${r}/`))) {
      throw new UserError(
        `--out ${abs}${d === abs ? '' : ` (a link to ${d})`} is a system directory: the plan's files (etc/ssh/…, etc/ufw/…) would land on this machine's own`,
        'give a new, empty directory of your own, e.g. --out ./claw-plan',
      );
    }
  }
  const top = lstatSync(real, { throwIfNoEntry: false });
  if (top && !top.isDirectory())
    throw new UserError(`--out ${abs} is a file, not a directory`, 'give a directory (it is created if missing), e.g. --out ./claw-plan');
  // Inside it, nothing is followed: a symlink (or a FIFO, a device) at a planned path or on the way
  // to one would send the write somewhere else (a checkout with etc -> /etc), even with --force.
  const there: string[] = [];
  for (const p of paths) {
    const { odd, exists } = walk(real, p);
    if (odd) {
      throw new UserError(
        `--out ${abs}: ${odd.path} is ${odd.what}, not a ${odd.want}; claw-setup does not write through it (nothing was written)`,
        'remove it, or give a new, empty directory',
      );
    }
    if (exists) there.push(join(abs, p));
  }
  if (force || !there.length) return;
  throw new UserError(
    `--out ${abs} already holds ${there.length} of the plan's files (e.g. ${there[0]}); nothing was written`,
    'pass --force to overwrite them, or give a new directory',
  );
}

const kind = (s: Stats) =>
  s.isSymbolicLink() ? 'a symbolic link' : s.isDirectory() ? 'a directory' : s.isFile() ? 'a file' : s.isFIFO() ? 'a FIFO' : 'a special file';

/** Each component of `rel` under `root`, by lstat: the first that is not a real directory (on the way) or a regular file (at the end). */
function walk(root: string, rel: string): { odd?: { path: string; what: string; want: string }; exists: boolean } {
  const parts = relative(root, join(root, rel)).split(sep);
  if (parts[0] === '..') return { odd: { path: join(root, rel), what: 'outside the directory', want: 'path inside it' }, exists: false };
  let at = root;
  for (const [i, part] of parts.entries()) {
    at = join(at, part);
    const s = lstatSync(at, { throwIfNoEntry: false });
    if (!s) return { exists: false };
    const last = i === parts.length - 1;
    if (last ? !s.isFile() : !s.isDirectory()) return { odd: { path: at, what: kind(s), want: last ? 'regular file' : 'directory' }, exists: true };
  }
  return { exists: true };
}

/**
 * Writes one file under `root` without following anything: the directories on the way are made one
 * at a time (mkdir never follows a name) and checked, and the content goes to a fresh name
 * (O_EXCL) in the same directory, renamed over the target (a link planted meanwhile is replaced).
 */
function writeUnder(root: string, rel: string, content: string, mode: number): string {
  const dest = join(root, rel);
  const { odd } = walk(root, rel);
  if (odd) throw new UserError(`--out: ${odd.path} is ${odd.what}, not a ${odd.want}; nothing more was written`, 'remove it and run again');
  mkdirSync(root, { recursive: true, mode: 0o755 });
  let at = root;
  for (const part of relative(root, dirname(dest)).split(sep).filter(Boolean)) {
    at = join(at, part);
    try {
      mkdirSync(at, { mode: 0o755 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    if (!lstatSync(at).isDirectory())
      throw new UserError(`--out: ${at} is ${kind(lstatSync(at))}, not a directory; nothing more was written`, 'remove it and run again');
  }
  const tmp = join(dirname(dest), `.claw-out-${randomBytes(6).toString('hex')}`);
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, content);
    fchmodSync(fd, mode);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, dest);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  return dest;
}

/** One generated file to write under a directory: relative path, text (no secret values), mode. */
export interface OutFile {
  path: string;
  content: string;
  mode: number;
}

/** Writes export files under `dir` with their modes (call checkOutPaths first). Returns the paths written. */
export function writeOutFiles(files: OutFile[], dir: string): string[] {
  const root = outRoot(dir);
  return files.map((f) => writeUnder(root, f.path, f.content, f.mode));
}

/** The directory as the system resolves it (checkOutPaths has refused one that resolves into the system). */
const outRoot = (dir: string) => (lstatSync(resolve(dir), { throwIfNoEntry: false }) ? realpathSync(resolve(dir)) : resolve(dir));

/**
 * `--out DIR`: writes every file the plan would write to DIR/<its server path>,
 * with its planned mode and secrets as placeholders, so it can be read, diffed
 * or committed. Call checkOutDir first. Returns the paths written.
 */
export function writePlanFiles(plan: Plan, dir: string): string[] {
  const root = outRoot(dir);
  return planFiles(plan).map((f) => writeUnder(root, f.path, redactText(f.content), f.mode));
}
