import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { spawnProcess } from './process.js';

/**
 * Creates a new ed25519 key pair on the operator's machine with ssh-keygen.
 * No passphrase: ssh-keygen reads a passphrase only from the terminal the
 * wizard is drawing on, and a passphrase in argv would show in `ps`. The
 * wizard tells the operator how to add one later (ssh-keygen -p -f PATH).
 * Refuses to overwrite: an existing file at `path` is an error.
 */
export async function createEd25519Key(path: string, comment = 'claw-setup'): Promise<void> {
  if (existsSync(path) || existsSync(`${path}.pub`)) throw new Error(`${path} already exists; pick another path`);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const r = await spawnProcess(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path], { timeoutSec: 30 });
  if (r.code === 0) return;
  if (r.notStarted) throw new Error('ssh-keygen was not found: install the OpenSSH client');
  const why = r.timedOut ? 'no answer in 30s' : `exit ${r.code}`;
  throw new Error(`ssh-keygen failed: ${r.stderr.trim().slice(0, 200) || why}`);
}
