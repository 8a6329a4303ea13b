// `--out DIR` never writes through a link: not the directory itself resolving into the system, not a
// symlink (or FIFO) on the way to a planned file or at one, with or without --force (issue 23).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { UserError } from '../src/core/errors.js';

const EXAMPLE = new URL('../examples/answers.json5', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'claw-out-nofollow-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const cli = (argv: string[]) =>
  main(argv, { stdout: () => {}, stderr: () => {}, env: {}, isTTY: false }).then(
    (code) => ({ code, error: null as unknown }),
    (error: unknown) => ({ code: null, error }),
  );

describe('--out never follows a link', () => {
  it('a directory that is a symlink into the system is refused as a system directory', async () => {
    const link = join(tmp, 'to-etc');
    symlinkSync('/etc', link);
    const r = await cli(['plan', '--answers', EXAMPLE, '--out', link, '--force']);
    expect(r.error).toBeInstanceOf(UserError);
    expect((r.error as UserError).message).toBe(
      `--out ${link} (a link to /etc) is a system directory: the plan's files (etc/ssh/…, etc/ufw/…) would land on this machine's own`,
    );
  });

  it('a symlinked directory inside (a checkout with etc -> elsewhere) is refused, even with --force; nothing lands where it points', async () => {
    const out = join(tmp, 'out1');
    const elsewhere = join(tmp, 'elsewhere');
    mkdirSync(out);
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, join(out, 'etc'));
    for (const force of [[], ['--force']]) {
      const r = await cli(['plan', '--answers', EXAMPLE, '--out', out, ...force]);
      expect(r.error).toBeInstanceOf(UserError);
      expect((r.error as UserError).message).toMatch(
        new RegExp(`^--out ${out}: ${out}/etc is a symbolic link, not a directory; claw-setup does not write through it`),
      );
    }
    expect(readdirSync(elsewhere)).toEqual([]);
    expect(readdirSync(out)).toEqual(['etc']);
  });

  it('a symlink or FIFO at a planned file is refused with --force; the file it points to keeps its content', async () => {
    const out = join(tmp, 'out2');
    expect((await cli(['plan', '--answers', EXAMPLE, '--out', out])).code).toBe(0);
    const sshd = join(out, 'etc/ssh/sshd_config.d/00-claw-setup.conf');
    const planned = readFileSync(sshd, 'utf8');
    const mine = join(tmp, 'my-precious');
    writeFileSync(mine, 'keep me\n');
    rmSync(sshd);
    symlinkSync(mine, sshd);
    let r = await cli(['plan', '--answers', EXAMPLE, '--out', out, '--force']);
    expect((r.error as UserError).message).toContain(`${sshd} is a symbolic link, not a regular file`);
    expect(readFileSync(mine, 'utf8')).toBe('keep me\n');
    rmSync(sshd);
    expect(spawnSync('mkfifo', [sshd]).status).toBe(0);
    r = await cli(['plan', '--answers', EXAMPLE, '--out', out, '--force']);
    expect((r.error as UserError).message).toContain(`${sshd} is a FIFO, not a regular file`);
    // with the odd entry gone, --force rewrites the files in place, and leaves no temporary names
    rmSync(sshd);
    expect((await cli(['plan', '--answers', EXAMPLE, '--out', out, '--force'])).code).toBe(0);
    expect(readFileSync(sshd, 'utf8')).toBe(planned);
    expect(readdirSync(join(out, 'etc/ssh/sshd_config.d')).filter((n) => n.startsWith('.claw-out-'))).toEqual([]);
    expect(existsSync(mine)).toBe(true);
  });
});
