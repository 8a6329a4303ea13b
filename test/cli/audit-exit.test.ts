import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { unreachableKit } from './unreachable-kit.js';
import { errorDocument } from '../../src/cli/audit.js';
import { describeError, NotAuditedError, UserError } from '../../src/core/errors.js';
import { ExecError, SshUnreachableError } from '../../src/exec/ssh-errors.js';

const { key, closedPort } = unreachableKit('claw-audit-exit-');

async function run(argv: string[]): Promise<{ stdout: string; code: number; text: string }> {
  let stdout = '';
  const io = { stdout: (s: string) => void (stdout += s), stderr: () => {}, env: {}, isTTY: false };
  try {
    return { stdout, code: await main(argv, io), text: '' };
  } catch (e) {
    const d = describeError(e);
    return { stdout, code: d.code, text: d.text };
  }
}

const target = async () => [
  '--answers',
  'examples/answers.json5',
  '--host',
  '127.0.0.1',
  '--port',
  String(await closedPort()),
  '--identity',
  key,
  '--set',
  `ssh.port=${await closedPort()}`,
];

describe('audit: 0 pass, 1 warnings, 2 failures, 3 could not audit', () => {
  it('nothing listening: exit 3 (not 1, the warnings code), and --json prints one JSON error document on stdout', { timeout: 60_000 }, async () => {
    const plain = await run(['audit', ...(await target())]);
    expect(plain.code).toBe(3);
    expect(plain.text).toMatch(/^error: /);
    const json = await run(['audit', '--json', ...(await target())]);
    expect(json.code).toBe(3);
    const doc = JSON.parse(json.stdout) as { error: { kind: string; message: string; fix: string } };
    expect(Object.keys(doc)).toEqual(['error']);
    expect(doc.error.kind).not.toMatch(/^(input|internal|script)$/);
    expect(doc.error.message).toMatch(/127\.0\.0\.1/);
    expect(doc.error.fix).not.toBe('');
  });

  it('bad input: exit 3 for audit with kind "input", nothing connected; status --json: the same document, exit 1', async () => {
    const bad = ['--answers', 'examples/answers.json5', '--set', 'ssh.port=notaport'];
    const a = await run(['audit', '--json', ...bad]);
    expect(a.code).toBe(3);
    expect(JSON.parse(a.stdout)).toMatchObject({ error: { kind: 'input', message: expect.stringMatching(/ssh\.port/) } });
    const s = await run(['status', '--json', ...bad]);
    expect(s.code).toBe(1);
    expect(JSON.parse(s.stdout)).toMatchObject({ error: { kind: 'input' } });
    // Without --json nothing goes to stdout.
    expect((await run(['status', ...bad])).stdout).toBe('');
  });

  it('the kinds: the error class when it has one, else the stage; a bug is "internal" and keeps exit 70', () => {
    expect(errorDocument(new SshUnreachableError('h', 22, 'Connection refused'), 'connection').error.kind).toBe('ssh-unreachable');
    expect(errorDocument(new ExecError('connection lost'), 'script').error).toMatchObject({ kind: 'exec', fix: expect.stringMatching(/connection/) });
    expect(errorDocument(new UserError('x', 'y'), 'script').error).toEqual({ kind: 'script', message: 'x', fix: 'y' });
    expect(errorDocument(new TypeError('oops'), 'script').error.kind).toBe('internal');
    expect(describeError(new NotAuditedError(new ExecError('connection lost')))).toEqual({ code: 3, text: 'error: the audit could not run: connection lost' });
  });
});
