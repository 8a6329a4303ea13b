import { chmodSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
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
export function checkOutPaths(paths: string[], dir: string, force: boolean): void {
  const abs = resolve(dir);
  if (SYSTEM_EXACT.includes(abs) || SYSTEM_ROOTS.some((r) => abs === r || abs.startsWith(`${r}/`))) {
    throw new UserError(
      `--out ${abs} is a system directory: the plan's files (etc/ssh/…, etc/ufw/…) would land on this machine's own`,
      'give a new, empty directory of your own, e.g. --out ./claw-plan',
    );
  }
  if (existsSync(abs) && !statSync(abs).isDirectory())
    throw new UserError(`--out ${abs} is a file, not a directory`, 'give a directory (it is created if missing), e.g. --out ./claw-plan');
  if (force) return;
  const there = paths.map((p) => join(abs, p)).filter((p) => existsSync(p));
  if (there.length) {
    throw new UserError(
      `--out ${abs} already holds ${there.length} of the plan's files (e.g. ${there[0]}); nothing was written`,
      'pass --force to overwrite them, or give a new directory',
    );
  }
}

/** One generated file to write under a directory: relative path, text (no secret values), mode. */
export interface OutFile {
  path: string;
  content: string;
  mode: number;
}

/** Writes export files under `dir` with their modes (call checkOutPaths first). Returns the paths written. */
export function writeOutFiles(files: OutFile[], dir: string): string[] {
  return files.map((f) => {
    const dest = join(resolve(dir), f.path);
    mkdirSync(dirname(dest), { recursive: true, mode: 0o755 });
    writeFileSync(dest, f.content, { mode: 0o600 });
    chmodSync(dest, f.mode);
    return dest;
  });
}

/**
 * `--out DIR`: writes every file the plan would write to DIR/<its server path>,
 * with its planned mode and secrets as placeholders, so it can be read, diffed
 * or committed. Call checkOutDir first. Returns the paths written.
 */
export function writePlanFiles(plan: Plan, dir: string): string[] {
  const written: string[] = [];
  for (const f of planFiles(plan)) {
    const dest = join(resolve(dir), f.path);
    mkdirSync(dirname(dest), { recursive: true, mode: 0o755 });
    writeFileSync(dest, redactText(f.content), { mode: 0o600 });
    chmodSync(dest, f.mode);
    written.push(dest);
  }
  return written;
}
