import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/**
 * For commands run against a server that is not there: a key file that exists (so the failure under
 * test is the connection, not a missing identity), a scratch directory for more files, and a local
 * port nothing listens on. The directory goes when the file's tests end.
 */
export function unreachableKit(prefix: string): { dir: string; key: string; closedPort: () => Promise<number> } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const key = join(dir, 'id');
  writeFileSync(key, 'not a real key\n', { mode: 0o600 });
  /** Bound, then released. */
  const closedPort = () =>
    new Promise<number>((ok) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as { port: number };
        s.close(() => ok(port));
      });
    });
  return { dir, key, closedPort };
}
