// The stand-in for a hostile gateway container in the offline tests: a shell loop run as the
// container's uid (not root), racing root's scripts in a directory it owns. Needs root to switch uid.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONTAINER_UID } from '../steps/openclaw.js';

export const AS_ROOT = process.getuid?.() === 0;
export const ATTACKER_UID = Number(CONTAINER_UID);

/**
 * A scratch tree as on a server: ROOT (0755, root) / home (0755, root) / oc (the compose dir, 0755,
 * root) / config (0700, the container's uid), and etc/ with a root-only secret and a root script.
 */
export function hostileTree(prefix: string) {
  const root = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(root, 0o755);
  const oc = join(root, 'home/oc');
  const config = join(oc, 'config');
  mkdirSync(config, { recursive: true, mode: 0o755 });
  chmodSync(config, 0o700);
  chownSync(config, ATTACKER_UID, ATTACKER_UID);
  mkdirSync(join(root, 'etc'), { mode: 0o755 });
  const secret = join(root, 'etc/secret');
  writeFileSync(secret, 'ROOT-ONLY-SENTINEL-5f1e\n', { mode: 0o600 });
  const script = join(root, 'etc/health.sh');
  writeFileSync(script, '#!/bin/sh\necho healthy\n', { mode: 0o755 });
  return { root, oc, config, secret, script };
}

/** Content, mode and owner of a host file: what must never change. */
export function fingerprint(path: string): string {
  const s = statSync(path);
  return `${s.mode.toString(8)} ${s.uid}:${s.gid} ${readFileSync(path, 'utf8')}`;
}

/** Runs `loop` (a shell loop body) forever as the attacker's uid, from `cwd`, until stop(). */
export function race(cwd: string, body: string): { stop: () => void; proc: ChildProcess } {
  const proc = spawn('sh', ['-c', `while :; do ${body}; done`], { cwd, uid: ATTACKER_UID, gid: ATTACKER_UID, stdio: 'ignore', detached: true });
  return {
    proc,
    stop: () => {
      if (proc.pid) {
        try {
          process.kill(-proc.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    },
  };
}

/** A shell command as the attacker (one-off, e.g. planting a link before root runs). */
export function asAttacker(cwd: string, cmd: string): void {
  const r = spawnSync('sh', ['-c', cmd], { cwd, uid: ATTACKER_UID, gid: ATTACKER_UID, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`attacker command failed: ${cmd}: ${r.stderr}`);
}
