import { createHash } from 'node:crypto';
import type { Secret } from '../core/secret.js';
import { UserError } from '../core/errors.js';
import { CLAW_READ } from '../plan/nofollow.js';
import type { Executor } from '../exec/types.js';
import type { Argv } from '../plan/action.js';
import type { Deployed } from '../plan/deployed-state.js';

/** Where the journal, the config and .env are (serverPaths of the deployed answers). */
export interface DeployedPaths {
  journal: string;
  config: string;
  env: string;
}

/**
 * What a running deployment holds, read in one round trip, read-only: the
 * journal, openclaw.json, and the NAMES of the variables in .env (the values
 * never leave the server). Each part comes back base64-encoded on its own line,
 * or "-" when the file is missing, or "!" and the reason when the name holds
 * something other than a regular file with one link: config/ belongs to the
 * gateway container, which could plant a symlink to a root-only host file there
 * (root would print it in the diff and merge it into the config) or a FIFO
 * (root would wait forever). Never read through (see src/plan/nofollow.ts).
 */
export function deployedProbeArgv(p: DeployedPaths): Argv {
  const script = [
    'set -o pipefail',
    CLAW_READ,
    'names() { sed -n "s/^\\([A-Za-z_][A-Za-z0-9_]*\\)=.*/\\1/p"; }',
    'part() {',
    '  if [ ! -e "$2" ] && [ ! -L "$2" ]; then echo "$1 -"; return 0; fi',
    '  if b=$(claw_read "$2" 2>/dev/null | $3 | base64 -w0); then echo "$1 $b"; return 0; fi',
    '  printf "%s !" "$1"; claw_read "$2" 2>&1 >/dev/null | head -n 1 | base64 -w0; echo',
    '}',
    'part journal "$1" cat',
    'part config "$2" cat',
    'part env "$3" names',
  ].join('\n');
  return ['bash', '-c', script, 'sh', p.journal, p.config, p.env];
}

export function parseDeployed(stdout: string): Deployed {
  const parts = new Map<string, string | null>();
  for (const line of stdout.split('\n')) {
    const m = /^(journal|config|env) (.*)$/.exec(line.trim());
    if (!m) continue;
    if (m[2].startsWith('!')) {
      // Our own words (the path and the file type stat names), cleaned of anything that is not plain text anyway.
      const what = Buffer.from(m[2].slice(1), 'base64')
        .toString('utf8')
        .replace(/[^\x20-\x7e]/g, '?')
        .trim();
      throw new UserError(
        `refusing to read the deployment's ${m[1] === 'env' ? '.env' : m[1]}: ${what || 'it is not a regular file'}. ` +
          'claw-setup never reads or writes through such a name (the gateway container can write config/, so this may be tampering); nothing was changed',
        'look at it on the server as root (ls -la), remove it and put back a regular file (e.g. from the newest backup or /var/lib/claw-setup/backups), then run again',
      );
    }
    parts.set(m[1], m[2] === '-' ? null : Buffer.from(m[2], 'base64').toString('utf8'));
  }
  let journal: Record<string, unknown> | null = null;
  try {
    const j = parts.get('journal');
    if (j) journal = JSON.parse(j) as Record<string, unknown>;
  } catch {
    journal = null;
  }
  const env = parts.get('env');
  return {
    configText: parts.get('config') ?? null,
    envKeys: env ? env.split('\n').filter(Boolean) : [],
    journal,
    journalAnswers: journal?.answers ?? null,
  };
}

/** Reads the deployment (one command over the admin connection). */
export async function readDeployed(exec: Executor, p: DeployedPaths): Promise<Deployed> {
  const r = await exec.run(deployedProbeArgv(p), { purpose: 'probe', timeoutSec: 30 });
  if (r.code !== 0) throw new Error(`reading the deployment failed (exit ${r.code}): ${r.stderr.trim().slice(0, 300)}`);
  return parseDeployed(r.stdout);
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/** A value as a .env line holds it, without the quotes our .env writes around it. */
export function unquoteEnvValue(raw: string): string {
  return raw
    .trim()
    .replace(/^'(.*)'$/, '$1')
    .replace(/^"(.*)"$/, '$1');
}

/**
 * The raw values (as written after `NAME=`, quotes included) of some .env variables, read
 * in one round trip, base64 on the wire. Only for values a rerun must keep: the caller
 * wraps them as secrets at once. Names that are not plain variable names are never asked.
 */
export async function readEnvValues(exec: Executor, envFile: string, names: string[]): Promise<Map<string, string>> {
  const wanted = names.filter((n) => ENV_NAME.test(n));
  const out = new Map<string, string>();
  if (!wanted.length) return out;
  const script = 'f=$1; shift; for n in "$@"; do v=$(sed -n "s/^$n=//p" -- "$f" | head -n 1); printf "%s %s\\n" "$n" "$(printf %s "$v" | base64 -w0)"; done';
  const r = await exec.run(['sh', '-c', script, 'sh', envFile, ...wanted], { purpose: 'probe', timeoutSec: 30 });
  if (r.code !== 0) return out;
  for (const m of r.stdout.matchAll(/^([A-Za-z_][A-Za-z0-9_]*) (\S*)$/gm)) {
    const v = Buffer.from(m[2], 'base64').toString('utf8');
    if (v && wanted.includes(m[1])) out.set(m[1], v);
  }
  return out;
}

/**
 * Which of these secrets the server's .env already holds with exactly this value, without
 * the value or its hash leaving this machine or the server: the hash of each expected
 * line (`NAME='value'`, as .env writes it) goes on stdin, the server compares.
 */
export async function envLinesSame(exec: Executor, envFile: string, secrets: Secret[]): Promise<Set<string>> {
  const same = new Set<string>();
  const named = secrets.filter((s) => ENV_NAME.test(s.name));
  if (!named.length) return same;
  const stdin = named.map((s) => `${s.name} ${createHash('sha256').update(`${s.name}='${s.reveal()}'`).digest('hex')}\n`).join('');
  const script =
    'f=$1; while read -r n h; do l=$(grep -m1 "^$n=" -- "$f" || true); [ "$(printf %s "$l" | sha256sum | cut -c1-64)" = "$h" ] && echo "same $n"; done; true';
  const r = await exec.run(['sh', '-c', script, 'sh', envFile], { purpose: 'probe', timeoutSec: 30, stdin: [stdin] });
  for (const m of r.stdout.matchAll(/^same ([A-Za-z_][A-Za-z0-9_]*)$/gm)) same.add(m[1]);
  return same;
}
