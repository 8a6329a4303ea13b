// The login gates (src/exec/fresh-login.ts) against a stand-in `ssh` on PATH that answers as told:
// the reload-race retries and their budget, what a gate reports, what travels on stdin.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../../src/core/secret.js';
import { freshLogin, loginRefused, type GateLink } from '../../src/exec/fresh-login.js';
import type { SshTarget } from '../../src/plan/commands.js';

const t: SshTarget = { host: '203.0.113.10', port: 22, user: 'root', identityFile: '/k', sshOptions: [], hostKeyAlias: '203.0.113.10' };
const pw = Secret.of('SUDO_PASSWORD', 'SENTINEL_gate_pw_77d1');
const deploy = { type: 'fresh-login', user: 'deploy', port: 22, via: 'public', sudo: true } as const;

describe('login gates', () => {
  let dir: string;
  let savedPath: string | undefined;
  const link = (): GateLink => ({
    target: t,
    sudoPassword: pw,
    redact: (s) => s.replaceAll(pw.reveal(), '<secret:SUDO_PASSWORD>'),
    count: { connections: 0, raceRetries: 0 },
  });
  /** The next attempts: the first `refuse` are refused as by an sshd that is re-binding, then this answer. */
  const answer = (a: { code: number; stderr?: string; refuse?: number }) => {
    writeFileSync(join(dir, 'n'), '0');
    writeFileSync(join(dir, 'refuse'), String(a.refuse ?? 0));
    writeFileSync(join(dir, 'code'), String(a.code));
    writeFileSync(join(dir, 'stderr'), a.stderr ?? '');
  };
  const stdinOf = (n: number) => readFileSync(join(dir, `stdin.${n}`), 'utf8');

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'claw-gates-'));
    writeFileSync(
      join(dir, 'ssh'),
      `#!/bin/sh
d=${dir}
n=$(($(cat $d/n) + 1)); echo $n > $d/n
cat > $d/stdin.$n
if [ $n -le $(cat $d/refuse) ]; then echo "ssh: connect to host 203.0.113.10 port 22: Connection refused" >&2; exit 255; fi
cat $d/stderr >&2
exit $(cat $d/code)
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

  it('a fresh login rides out an sshd reload (refused twice, then in), counting every connection and retry', async () => {
    answer({ code: 0, refuse: 2 });
    const l = link();
    expect(await freshLogin(l, deploy, { timeoutSec: 20 })).toEqual({ code: 0, stdout: 'deploy@203.0.113.10:22: logged in, sudo works', stderr: '' });
    expect(l.count).toEqual({ connections: 3, raceRetries: 2 });
    // the sudo password goes on stdin, on every attempt
    expect(stdinOf(3)).toBe(`${pw.reveal()}\n`);
  });

  it('a refusal that lasts ends within the budget, retries included', async () => {
    answer({ code: 0, refuse: 100 });
    const l = link();
    const started = Date.now();
    const r = await freshLogin(l, { ...deploy, sudo: false }, { timeoutSec: 2 });
    expect(Date.now() - started).toBeLessThan(4000);
    expect(r.code).toBe(255);
    expect(r.stderr).toBe('deploy@203.0.113.10:22: ssh: connect to host 203.0.113.10 port 22: Connection refused');
    expect(l.count.connections).toBeGreaterThan(1);
    expect(l.count.connections).toBeLessThanOrEqual(10);
    expect(stdinOf(1)).toBe('');
  });

  it('says where and why once: a refused key, or a login whose sudo failed (redacted)', async () => {
    answer({ code: 255, stderr: 'deploy@203.0.113.10: Permission denied (publickey).\n' });
    expect((await freshLogin(link(), deploy)).stderr).toBe('deploy@203.0.113.10:22: Permission denied (publickey).');
    answer({ code: 1, stderr: `sudo: 1 incorrect password attempt (${pw.reveal()})\n` });
    const r = await freshLogin(link(), deploy, { address: '100.64.0.9' });
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr: 'deploy@100.64.0.9:22: logged in, but sudo failed: sudo: 1 incorrect password attempt (<secret:SUDO_PASSWORD>)',
    });
    expect(await freshLogin({ ...link(), sudoPassword: undefined }, deploy)).toEqual({
      code: 1,
      stdout: '',
      stderr: 'no sudo password to check sudo for deploy with',
    });
  });

  it('a key login that must be refused: refused passes, getting in fails, anything else cannot tell', async () => {
    const root = { type: 'login-refused', user: 'root', port: 22, method: 'publickey' } as const;
    answer({ code: 255, stderr: 'root@203.0.113.10: Permission denied (publickey).\n' });
    expect(await loginRefused(link(), root)).toEqual({
      code: 0,
      stdout: 'root@203.0.113.10:22: key login refused (root@203.0.113.10: Permission denied (publickey).)',
      stderr: '',
    });
    answer({ code: 0 });
    expect((await loginRefused(link(), root)).stderr).toBe('root@203.0.113.10:22: your key still logs in');
    answer({ code: 255, stderr: 'ssh: Could not resolve hostname x\n' });
    expect((await loginRefused(link(), root)).stderr).toBe('root@203.0.113.10:22: could not check (ssh: Could not resolve hostname x)');
  });

  it('password login: judged by the methods the server still offers', async () => {
    const pwCheck = { type: 'login-refused', user: 'deploy', port: 22, method: 'password' } as const;
    answer({
      code: 255,
      stderr: 'debug1: Authentications that can continue: publickey,password\ndeploy@203.0.113.10: Permission denied (publickey,password).\n',
    });
    expect(await loginRefused(link(), pwCheck)).toEqual({ code: 1, stdout: '', stderr: 'deploy@203.0.113.10:22: the server still offers password login' });
    answer({ code: 255, stderr: 'debug1: Authentications that can continue: publickey\ndeploy@203.0.113.10: Permission denied (publickey).\n' });
    expect(await loginRefused(link(), pwCheck)).toEqual({
      code: 0,
      stdout: 'deploy@203.0.113.10:22: password login refused (server offers only publickey)',
      stderr: '',
    });
    answer({ code: 0 });
    expect((await loginRefused(link(), pwCheck)).stderr).toBe('deploy@203.0.113.10:22: logged in without any credential');
  });
});
