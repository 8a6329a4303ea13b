import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';

/**
 * A cache of real validator verdicts (OpenClaw's own CLI, ansible-playbook --syntax-check,
 * ansible-lint, cloud-init schema, shellcheck), so a second `npm test` does not re-run a
 * validator on text it has already judged.
 *
 * Why it is safe: these validators are offline, deterministic functions of their input files,
 * their own installed version and their argv (plus the env the test sets). The key hashes all of
 * them: the full text (and mode) of every input file, the command, the env, and a fingerprint of
 * each tool involved (path, size, mtime, ctime of the executable and of its interpreter or package
 * file: an apt or pip upgrade rewrites them). So a changed config, template or answers file, a new
 * validator version or a different command misses and runs for real (test/validator-cache.test.ts
 * shows it). Only the process run is cached: every assertion still runs on the output each time.
 * A run that did not finish (killed, timed out) is never stored. CLAW_VALIDATOR_CACHE=0 turns the
 * cache off (a cold run); it lives in node_modules/.cache, so a fresh clone starts cold.
 */

export interface ToolRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CacheKey {
  /** Fingerprints of every tool whose version can change the verdict (see toolFingerprint). */
  tools: string[];
  argv: string[];
  /** Input files by name: their whole text (a mode may be appended by the caller). */
  inputs: Record<string, string>;
  env?: Record<string, string>;
}

const ROOT = new URL('..', import.meta.url).pathname;
export const DEFAULT_CACHE_DIR = process.env.CLAW_VALIDATOR_CACHE_DIR ?? join(ROOT, 'node_modules/.cache/claw-setup-validators');
const enabled = () => !/^(0|false|off)$/i.test(process.env.CLAW_VALIDATOR_CACHE ?? '');
/** Entries unused this long are removed, so the cache does not grow with every edit. */
const MAX_AGE_MS = 14 * 24 * 3600 * 1000;

function fileId(path: string): string {
  try {
    const real = realpathSync(path);
    const s = statSync(real);
    return `${real}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;
  } catch {
    return `${path}:missing`;
  }
}

const fingerprints = new Map<string, string>();
/**
 * Identifies an installed tool without running it (`ansible-lint --version` alone takes seconds):
 * the executable, the interpreter its #! line names, and any extra files (a package.json, a
 * version.py) that change with the tool's version.
 */
export function toolFingerprint(bin: string, ...extra: string[]): string {
  const memo = [bin, ...extra].join('\0');
  const known = fingerprints.get(memo);
  if (known) return known;
  let interpreter = '';
  try {
    const head = readFileSync(realpathSync(bin)).subarray(0, 200).toString('latin1');
    const m = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(head);
    if (m) interpreter = fileId(m[1].endsWith('/env') && m[2] ? `/usr/bin/${m[2]}` : m[1]);
  } catch {
    // unreadable: the file id below still names it
  }
  const id = [fileId(bin), interpreter, ...extra.map(fileId)].join('|');
  fingerprints.set(memo, id);
  return id;
}

/** Every regular file under `dir` (relative name → mode and text), the input of a whole-project validator. */
export function dirInputs(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out[relative(dir, p)] = `${(statSync(p).mode & 0o7777).toString(8)}\n${readFileSync(p, 'utf8')}`;
    }
  };
  walk(dir);
  return out;
}

export function cacheKey(k: CacheKey): string {
  const h = createHash('sha256');
  const part = (s: string) => h.update(`${Buffer.byteLength(s)}:${s}`);
  part('claw-validator-cache/1');
  for (const t of k.tools) part(t);
  part(JSON.stringify(k.argv));
  for (const [name, text] of [...Object.entries(k.inputs).sort(), ['\0env', ''], ...Object.entries(k.env ?? {}).sort()]) {
    part(name);
    part(text);
  }
  return h.digest('hex');
}

const pruned = new Set<string>();
function prune(dir: string): void {
  if (pruned.has(dir)) return;
  pruned.add(dir);
  const now = Date.now();
  try {
    for (const f of readdirSync(dir)) if (now - statSync(join(dir, f)).mtimeMs > MAX_AGE_MS) rmSync(join(dir, f), { force: true });
  } catch {
    // no cache yet
  }
}

/**
 * The verdict for `key`: from the cache when this exact run was made before, else `runIt()`'s,
 * stored for next time. `cached` says which (a test may print or assert it).
 */
export async function cachedRun(key: CacheKey, runIt: () => Promise<ToolRun> | ToolRun, dir = DEFAULT_CACHE_DIR): Promise<ToolRun & { cached: boolean }> {
  if (!enabled()) return { ...(await runIt()), cached: false };
  prune(dir);
  const file = join(dir, `${cacheKey(key)}.json`);
  try {
    const hit = JSON.parse(readFileSync(file, 'utf8')) as ToolRun;
    const now = new Date();
    utimesSync(file, now, now); // still in use: keep it past the prune
    return { code: hit.code, stdout: hit.stdout, stderr: hit.stderr, cached: true };
  } catch {
    // a miss (or an unreadable entry): run it for real
  }
  const r = await runIt();
  if (typeof r.code === 'number') {
    mkdirSync(dir, { recursive: true });
    // Written aside then renamed: test files run in parallel workers and may finish the same run at once.
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
    writeFileSync(tmp, JSON.stringify({ code: r.code, stdout: r.stdout, stderr: r.stderr }));
    renameSync(tmp, file);
  }
  return { code: r.code, stdout: r.stdout, stderr: r.stderr, cached: false };
}

const execFileP = promisify(execFile);

/**
 * Runs a command without a shell, without blocking the event loop (so a file's independent
 * validator runs can overlap), and returns its exit status and output; a timeout gives code null.
 */
export async function runAsync(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {}): Promise<ToolRun> {
  try {
    const r = await execFileP(cmd, args, { encoding: 'utf8', timeout: 180_000, maxBuffer: 64 * 1024 * 1024, ...opts });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code?: unknown; stdout?: string; stderr?: string; killed?: boolean };
    if (typeof err.code !== 'number' && !err.killed) throw e;
    return { code: typeof err.code === 'number' && !err.killed ? err.code : null, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}
