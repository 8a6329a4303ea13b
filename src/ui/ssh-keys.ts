import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { KeyChoice } from './wizard/types.js';

/** "~/.ssh/id_ed25519" for paths under the home directory. */
export function tildify(p: string, home = homedir()): string {
  return p.startsWith(`${home}/`) ? `~/${p.slice(home.length + 1)}` : p;
}

/** Private keys in ~/.ssh that have a matching .pub (read-only look; nothing is opened but the .pub). */
export function findPrivateKeys(home = homedir()): KeyChoice[] {
  const dir = join(home, '.ssh');
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: KeyChoice[] = [];
  for (const n of names.sort()) {
    if (n.endsWith('.pub') || !names.includes(`${n}.pub`)) continue;
    const full = join(dir, n);
    try {
      if (!statSync(full).isFile()) continue;
      const [type, , comment] = readFileSync(`${full}.pub`, 'utf8').trim().split(/\s+/, 3);
      const kind = type?.replace(/^ssh-/, '').replace(/@openssh\.com$/, '') ?? 'key';
      out.push({ path: tildify(full, home), label: `${tildify(full, home)} (${kind}${comment ? `, ${comment.slice(0, 40)}` : ''})` });
    } catch {
      // unreadable: not offered
    }
  }
  // ed25519 first: the strongest common choice.
  return out.sort((a, b) => Number(b.label.includes('(ed25519')) - Number(a.label.includes('(ed25519')));
}

/** A path for a new key that does not exist yet. */
export function freshKeyPath(home = homedir()): string {
  const base = join(home, '.ssh', 'id_ed25519');
  if (!existsSync(base)) return tildify(base, home);
  for (let i = 1; ; i++) {
    const p = join(home, '.ssh', i === 1 ? 'claw-setup_ed25519' : `claw-setup${i}_ed25519`);
    if (!existsSync(p)) return tildify(p, home);
  }
}
