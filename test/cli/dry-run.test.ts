import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { unreachableKit } from './unreachable-kit.js';
import { KEY } from '../lockdown-fixtures.js';

/**
 * `--dry-run` means one thing in every command that changes something: read-only on the server
 * when it answers, else the offline plan, said in ONE line on stderr (stdout stays the plan).
 */
const { dir, key, closedPort } = unreachableKit('claw-dry-run-');

async function run(argv: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const io = { stdout: (s: string) => void (stdout += s), stderr: (s: string) => void (stderr += s), env, isTTY: false };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

const DISCORD = { DISCORD_BOT_TOKEN: 'MTAxMjM0NTY3ODkwMTIzNDU2Nzg.GabcDE.abcdefghijklmnopqrstuvwxyz0123456789AB' };
const COMMANDS: [string, string[], Record<string, string>?][] = [
  ['setup', []],
  ['rotate', ['rotate', 'gateway-token']],
  ['upgrade', ['upgrade', '--to', '2026.10.1']],
  ['backup', ['backup']],
  ['restore', ['restore']],
  ['lockdown', ['lockdown']],
  ['remove-channel', ['remove-channel', '--type', 'telegram']],
  ['add-channel (planned from the answers file)', ['add-channel', '--type', 'discord', '--set', 'allowFrom=123456789012345678'], DISCORD],
  ['add-channel with no token set (a dry run needs none)', ['add-channel', '--type', 'slack', '--set', 'allowFrom=U0123ABCD']],
];

describe('--dry-run: the server did not answer, so the offline plan, said in one line', () => {
  it.each(COMMANDS)('%s', { timeout: 60_000 }, async (_name, argv, env) => {
    const port = String(await closedPort());
    // Both ports a rerun tries (--port, then ssh.port) refuse; channel commands own --set, so no ssh.port there.
    const ports = argv[0]?.endsWith('-channel') ? ['--port', port] : ['--port', port, '--set', `ssh.port=${port}`];
    const r = await run([...argv, '--dry-run', '--answers', 'examples/answers.json5', '--host', '127.0.0.1', '--identity', key, ...ports], env);
    expect(r.code).toBe(0);
    const said = r.stderr.split('\n').filter((l) => l !== '' && !/^claw-setup: connecting to /.test(l));
    expect(said).toEqual(['claw-setup: 127.0.0.1 did not answer (connection refused); this is the offline plan']);
    // The setup's plan is a whole bash script; a day-2 command's ends with its promise.
    expect(r.stdout).toMatch(argv.length ? /claw-setup: dry run: nothing was changed anywhere\.\n$/ : /^#!\/usr\/bin\/env bash\n/);
    expect(r.stdout).not.toMatch(/connecting to/);
    if (argv.includes('slack')) expect(r.stdout).toMatch(/^\.env: SLACK_BOT_TOKEN=<secret: new>$/m);
  });

  it('no server address at all: the same line says so', async () => {
    const file = join(dir, 'no-host.json5');
    writeFileSync(file, JSON.stringify({ deployUser: { authorizedKeys: [KEY] } }));
    const r = await run(['rotate', 'gateway-token', '--dry-run', '--answers', file]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('claw-setup: no server address (--host or target.host); this is the offline plan\n');
  });
});
