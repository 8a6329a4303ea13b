// The login that worked, remembered per server (issue 21 item 8): a small state file that is only
// ever a hint, so anything odd in it is ignored, and a rebuilt server (new host key) starts over.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loginMemoPath, recallLogin, recordedHostKeyId, rememberLogin } from '../../src/exec/login-memo.js';

const K1 = 'a'.repeat(64);
const K2 = 'b'.repeat(64);

describe('login memo', () => {
  let dir = '';
  let file = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'claw-memo-'));
    file = join(dir, 'state', 'claw-setup', 'logins.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lives in the XDG state directory, else ~/.local/state', () => {
    expect(loginMemoPath({ XDG_STATE_HOME: '/x/state', HOME: '/home/me' })).toBe('/x/state/claw-setup/logins.json');
    expect(loginMemoPath({ HOME: '/home/me' })).toBe('/home/me/.local/state/claw-setup/logins.json');
    // The XDG spec ignores relative paths.
    expect(loginMemoPath({ XDG_STATE_HOME: 'rel', HOME: '/home/me' })).toBe('/home/me/.local/state/claw-setup/logins.json');
  });

  it('remembers the login per address and port, for the same host key only; the file is 0600 in a 0700 directory', () => {
    expect(recallLogin(file, '203.0.113.10', 22, K1)).toBeNull();
    rememberLogin(file, '203.0.113.10', 22, K1, { user: 'deploy', port: 2222 });
    expect(recallLogin(file, '203.0.113.10', 22, K1)).toEqual({ user: 'deploy', port: 2222 });
    expect(recallLogin(file, '203.0.113.10', 2222, K1)).toBeNull();
    expect(recallLogin(file, '203.0.113.11', 22, K1)).toBeNull();
    expect(recallLogin(file, '203.0.113.10', 22, K2)).toBeNull(); // rebuilt: a new key
    expect(recallLogin(file, '203.0.113.10', 22, null)).toBeNull(); // first contact: nothing recorded
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'state', 'claw-setup')).mode & 0o777).toBe(0o700);
    expect(readFileSync(file, 'utf8')).not.toMatch(/password|token|BEGIN/i);
  });

  it('damaged or odd content is ignored, never an error, and the next write repairs the file', () => {
    rememberLogin(file, 'vps.example.com', 22, K1, { user: 'root', port: 22 });
    for (const junk of ['{not json', '[]', 'null', '{"vps.example.com:22":{"user":"root; reboot","port":22,"hostKey":"' + K1 + '"}}']) {
      writeFileSync(file, junk);
      expect(recallLogin(file, 'vps.example.com', 22, K1)).toBeNull();
    }
    writeFileSync(
      file,
      JSON.stringify({ 'vps.example.com:22': { user: 'deploy', port: 70000, hostKey: K1 }, 'other:22': { user: 'ops', port: 22, hostKey: K2 } }),
    );
    expect(recallLogin(file, 'vps.example.com', 22, K1)).toBeNull();
    expect(recallLogin(file, 'other', 22, K2)).toEqual({ user: 'ops', port: 22 });
    rememberLogin(file, 'VPS.example.com', 22, K1, { user: 'deploy', port: 22 });
    expect(recallLogin(file, 'vps.example.com', 22, K1)).toEqual({ user: 'deploy', port: 22 });
    expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')))).toEqual(['other:22', 'vps.example.com:22']);
  });

  it('an unwritable place costs only the speed', () => {
    writeFileSync(join(dir, 'plain-file'), '');
    expect(() => rememberLogin(join(dir, 'plain-file', 'logins.json'), 'h', 22, K1, { user: 'root', port: 22 })).not.toThrow();
  });

  it('the host key id: the keys recorded for the name ssh checks, the same however the file is written (hashed or not)', async () => {
    const kh = join(dir, 'kh');
    const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
    const t = { host: '203.0.113.10', port: 22, user: 'root', identityFile: '/k', sshOptions: [], knownHosts: kh };
    writeFileSync(kh, '');
    expect(await recordedHostKeyId(t)).toBeNull();
    writeFileSync(kh, `203.0.113.10 ${key}\n`);
    const id = await recordedHostKeyId(t);
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(spawnSync('ssh-keygen', ['-H', '-f', kh]).status).toBe(0); // HashKnownHosts: a salted name
    expect(readFileSync(kh, 'utf8')).toMatch(/^\|1\|/);
    expect(await recordedHostKeyId(t)).toBe(id);
    writeFileSync(kh, `[203.0.113.10]:2222 ${key}\n`);
    expect(await recordedHostKeyId(t)).toBeNull();
    expect(await recordedHostKeyId({ ...t, port: 2222 })).toBe(id);
    // Pinned to the name of the original port, as a connection on a moved port does.
    expect(await recordedHostKeyId({ ...t, port: 22 }, '[203.0.113.10]:2222')).toBe(id);
  });
});
