// `--out DIR` and the first things people type: safe by default, clear errors, nothing written on refusal.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { UserError } from '../src/core/errors.js';

const EXAMPLE = new URL('../examples/answers.json5', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'claw-out-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function cli(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env: {}, isTTY: false });
  return { code, stdout, stderr };
}
const refused = (argv: string[]) =>
  cli(argv).then(
    () => null,
    (e: unknown) => e,
  );

describe('--out', () => {
  it('refuses / and system directories before printing anything', async () => {
    for (const dir of ['/', '/etc', '/usr/local/x', '/var', '/proc/self']) {
      const e = await refused(['plan', '--answers', EXAMPLE, '--out', dir]);
      expect(e, dir).toBeInstanceOf(UserError);
      expect((e as UserError).message).toMatch(/is a system directory/);
    }
  });

  it('refuses a path that is a file, with a plain message (not an internal error)', async () => {
    const f = join(tmp, 'a-file');
    writeFileSync(f, 'x');
    const e = await refused(['plan', '--answers', EXAMPLE, '--out', f]);
    expect(e).toBeInstanceOf(UserError);
    expect((e as UserError).message).toBe(`--out ${f} is a file, not a directory`);
  });

  it('never overwrites files already there unless --force', async () => {
    const dir = join(tmp, 'plan1');
    const first = await cli(['plan', '--answers', EXAMPLE, '--out', dir]);
    expect(first.code).toBe(0);
    const sshd = join(dir, 'etc/ssh/sshd_config.d/00-claw-setup.conf');
    writeFileSync(sshd, 'my edit\n');
    const e = await refused(['plan', '--answers', EXAMPLE, '--out', dir]);
    expect(e).toBeInstanceOf(UserError);
    expect((e as UserError).message).toMatch(/already holds \d+ of the plan's files .*nothing was written/);
    expect((e as UserError).howToFix).toMatch(/--force/);
    expect(readdirSync(join(dir, 'etc/ssh/sshd_config.d'))).toEqual(['00-claw-setup.conf']);
    expect(existsSync(sshd)).toBe(true);
    const forced = await cli(['plan', '--answers', EXAMPLE, '--out', dir, '--force']);
    expect(forced.code).toBe(0);
  });

  it('an empty existing directory is fine', async () => {
    const dir = join(tmp, 'empty');
    mkdirSync(dir);
    expect((await cli(['plan', '--answers', EXAMPLE, '--out', dir])).code).toBe(0);
  });
});

describe('help and version, as people type them', () => {
  it('`help` prints the help, `-v` the version', async () => {
    const h = await cli(['help']);
    expect(h.stdout).toMatch(/^claw-setup — /);
    const v = await cli(['-v']);
    expect(v.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});
