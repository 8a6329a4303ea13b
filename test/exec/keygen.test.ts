// Creating the operator's key (src/exec/keygen.ts) with the real ssh-keygen, through the one launcher.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEd25519Key } from '../../src/exec/keygen.js';

const dir = mkdtempSync(join(tmpdir(), 'claw-keygen-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('createEd25519Key', () => {
  it('writes an ed25519 pair with the comment, the private half 600, in a folder it makes 700', async () => {
    const key = join(dir, 'new/.ssh/id_claw');
    await createEd25519Key(key, 'claw-test');
    expect(statSync(key).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'new/.ssh')).mode & 0o777).toBe(0o700);
    expect(readFileSync(`${key}.pub`, 'utf8')).toMatch(/^ssh-ed25519 AAAA\S+ claw-test\n$/);
  });

  it('never overwrites: an existing key (or its .pub) is an error and stays as it was', async () => {
    const key = join(dir, 'new/.ssh/id_claw');
    const before = readFileSync(key, 'utf8');
    await expect(createEd25519Key(key)).rejects.toThrow(`${key} already exists; pick another path`);
    expect(readFileSync(key, 'utf8')).toBe(before);
  });

  it('says how to fix a missing ssh-keygen', async () => {
    const saved = process.env.PATH;
    process.env.PATH = join(dir, 'empty-path');
    try {
      await expect(createEd25519Key(join(dir, 'other/id'))).rejects.toThrow('ssh-keygen was not found: install the OpenSSH client');
    } finally {
      process.env.PATH = saved;
    }
  });
});
