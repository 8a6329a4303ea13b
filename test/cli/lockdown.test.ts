// src/cli/lockdown.ts: lockdown and unlock refuse bad input before connecting, and the offline dry
// run prints the plan and the config diff without a server.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { LOCKDOWN_HELP } from '../../src/cli/lockdown-help.js';
import { parseCli } from '../../src/cli/args.js';
import { UserError } from '../../src/core/errors.js';
import { KEY } from '../lockdown-fixtures.js';
import { tempDir } from '../tool-runner.js';

const tmp = tempDir('cli-lockdown');
afterAll(() => tmp.cleanup());

describe('the CLI refuses bad input before connecting', () => {
  const io = () => {
    const out: string[] = [];
    return { out, io: { stdout: (s: string) => out.push(s), stderr: (s: string) => out.push(s), env: { PATH: process.env.PATH }, isTTY: false } };
  };

  it('--help per command, stray words and flags refused', async () => {
    const h = io();
    expect(await main(['lockdown', '--help'], h.io)).toBe(0);
    expect(h.out.join('')).toBe(`${LOCKDOWN_HELP}\n`);
    expect(() => parseCli(['lockdown', 'now'])).toThrow(/unexpected argument "now"/);
    await expect(main(['lockdown', '--type', 'telegram'], io().io)).rejects.toThrow(/--type is not an option of lockdown/);
    await expect(main(['unlock', '--all'], io().io)).rejects.toThrow(/--all is not an option of unlock/);
    await expect(main(['lockdown', '--ssh-option', 'ProxyCommand=evil'], io().io)).rejects.toThrow(UserError);
  });

  it('lockdown --dry-run with no server address: the offline plan and diff; unlock needs the server', async () => {
    const file = join(tmp.dir, 'answers.json5');
    writeFileSync(
      file,
      JSON.stringify({
        deployUser: { authorizedKeys: [KEY] },
        openclaw: { channels: [{ type: 'telegram', botToken: { env: 'TELEGRAM_BOT_TOKEN' }, allowFrom: ['123456789'] }] },
      }),
    );
    const h = io();
    expect(await main(['lockdown', '--dry-run', '--answers', file], h.io)).toBe(0);
    const text = h.out.join('');
    expect(text).toContain('+      "dmPolicy": "disabled",');
    expect(text).toMatch(/^# claw-setup \S+: LOCKDOWN of <host>$/m);
    expect(text).toContain('dry run: nothing was changed anywhere');
    await expect(main(['unlock', '--dry-run', '--answers', file], io().io)).rejects.toThrow(/no server address/);
  });
});
