// The server's run lock (src/exec/run-lock.ts) for real: the lock script runs under sh with flock,
// reached through a stand-in `ssh` on PATH that runs the remote command line locally, with the lock
// directory moved into a temporary one.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { takeRunLock, type RunLockLink } from '../../src/exec/run-lock.js';
import { RUN_LOCK_DIR } from '../../src/exec/ssh-args.js';
import { type SshTarget } from '../../src/plan/commands.js';
import { ExecError } from '../../src/exec/ssh-errors.js';

const t: SshTarget = { host: '203.0.113.10', port: 22, user: 'root', identityFile: '/k', sshOptions: [], hostKeyAlias: '203.0.113.10' };

describe('the run lock', () => {
  let dir: string;
  let savedPath: string | undefined;
  const link = (over: Partial<RunLockLink> = {}): RunLockLink => ({
    target: t,
    controlPath: join(dir, 'cm'),
    sudo: 'root',
    sudoPrefix: '',
    redact: (s) => s.replaceAll('SENTINEL_pw', '<secret:PW>'),
    ...over,
  });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'claw-run-lock-'));
    // The last argument is the remote command line; FAIL_LOCK plays an ssh that cannot get in.
    writeFileSync(
      join(dir, 'ssh'),
      `#!/bin/sh
[ -n "$FAIL_LOCK" ] && { echo "ssh: connect to host 203.0.113.10: Connection refused (stdin was SENTINEL_pw)" >&2; exit 255; }
for a; do last=$a; done
exec sh -c "$(printf '%s' "$last" | sed "s#${RUN_LOCK_DIR}#${dir}/lock#g")"
`,
    );
    chmodSync(join(dir, 'ssh'), 0o755);
    savedPath = process.env.PATH;
    process.env.PATH = `${dir}:${savedPath}`;
  });
  afterAll(() => {
    process.env.PATH = savedPath;
    rmSync(dir, { recursive: true, force: true });
  });

  it('is held until released; a second run meanwhile is told who holds it; after release it is free again', async () => {
    const first = await takeRunLock(link());
    const owner = readFileSync(join(dir, 'lock/run.owner'), 'utf8');
    expect(owner).toMatch(
      new RegExp(
        `^${hostname()
          .replace(/[^A-Za-z0-9.:_-]/g, '?')
          .slice(0, 64)} pid ${process.pid} since \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\n$`,
      ),
    );
    const second = await takeRunLock(link()).then(
      () => null,
      (e: unknown) => e,
    );
    expect(second).toBeInstanceOf(UserError);
    expect((second as UserError).message).toBe(`another claw-setup run is working on 203.0.113.10 (${owner.trim()}); this run changed nothing`);
    await first.release();
    const third = await takeRunLock(link());
    await third.release();
  });

  it('a lock session that ends without an answer is an ExecError with what ssh said, secrets scrubbed', async () => {
    process.env.FAIL_LOCK = '1';
    try {
      const e = await takeRunLock(link()).then(
        () => null,
        (x: unknown) => x,
      );
      expect(e).toBeInstanceOf(ExecError);
      expect((e as Error).message).toBe(
        'could not take the run lock on 203.0.113.10: ssh: connect to host 203.0.113.10: Connection refused (stdin was <secret:PW>)',
      );
    } finally {
      delete process.env.FAIL_LOCK;
    }
  });
});
