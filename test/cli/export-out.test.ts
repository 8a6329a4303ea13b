import { existsSync, readFileSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { UserError } from '../../src/core/errors.js';

const EXAMPLE = 'examples/answers.json5';
const made: string[] = [];
afterEach(() => {
  for (const p of made.splice(0)) rmSync(p, { force: true });
});

const run = (out: string) =>
  main(['export', 'cloud-init', '--answers', EXAMPLE, '--operator-ip', '198.51.100.7', '--out', out], {
    stdout: () => {},
    stderr: () => {},
    env: {},
    isTTY: false,
  });

describe('export cloud-init --out FILE: one file, its directory checked, not the file', () => {
  it('writes /tmp/NAME.yaml (and the check script beside it): /tmp is refused only as a whole plan tree', async () => {
    const name = `claw-ci-${randomBytes(4).toString('hex')}`;
    const file = `/tmp/${name}.yaml`;
    made.push(file, `/tmp/${name}-first-login-check.sh`);
    expect(await run(file)).toBe(0);
    expect(readFileSync(file, 'utf8')).toMatch(/^#cloud-config\n/);
    expect(existsSync(`/tmp/${name}-first-login-check.sh`)).toBe(true);
  });

  it.each(['/etc/claw-user-data.yaml', '/usr/local/claw.yaml', '/claw-user-data.yaml'])('refuses %s: a system directory', async (file) => {
    await expect(run(file)).rejects.toThrow(UserError);
    await expect(run(file)).rejects.toThrow(/is a system directory/);
    expect(existsSync(file)).toBe(false);
  });
});
