import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Creates a new ed25519 key pair on the operator's machine with ssh-keygen.
 * No passphrase: ssh-keygen reads a passphrase only from the terminal the
 * wizard is drawing on, and a passphrase in argv would show in `ps`. The
 * wizard tells the operator how to add one later (ssh-keygen -p -f PATH).
 * Refuses to overwrite: an existing file at `path` is an error.
 */
export function createEd25519Key(path: string, comment = 'claw-setup'): Promise<void> {
  if (existsSync(path) || existsSync(`${path}.pub`)) return Promise.reject(new Error(`${path} already exists; pick another path`));
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  return new Promise((resolve, reject) => {
    execFile('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path], { timeout: 30000 }, (err, _out, stderr) => {
      if (!err) return resolve();
      const code = (err as NodeJS.ErrnoException).code;
      reject(
        new Error(
          code === 'ENOENT'
            ? 'ssh-keygen was not found: install the OpenSSH client'
            : `ssh-keygen failed: ${String(stderr).trim().slice(0, 200) || err.message}`,
        ),
      );
    });
  });
}
