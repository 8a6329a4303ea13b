// Connection failures told apart (issue 21 item 7): each one named with its own way out, with the
// real ssh client where this machine can produce the failure, from ssh's own words where it cannot.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { settleHostKey, type Spawn } from '../../src/exec/host-key.js';
import { SshExecutor, type SshConnectOptions } from '../../src/exec/ssh.js';
import {
  classifyConnectError,
  SshAuthRefusedError,
  SshHostKeyError,
  SshIdentityMissingError,
  SshUnknownHostnameError,
  SshUnreachableError,
} from '../../src/exec/ssh-errors.js';

const t = { host: '203.0.113.10', port: 22, user: 'root' };

describe('classifyConnectError: one error per failure, each with its own fix', () => {
  const cases: [string, string, RegExp, RegExp][] = [
    [
      'ssh: connect to host 203.0.113.10 port 22: Connection refused',
      'refused',
      /^nothing accepts SSH connections on 203\.0\.113\.10 port 22/,
      /no sshd listens/,
    ],
    ['ssh: connect to host 203.0.113.10 port 22: Connection timed out', 'timeout', /^no answer from 203\.0\.113\.10 on port 22 \(timed out\)/, /firewall/],
    ['Connection timed out during banner exchange', 'timeout', /^no answer from/, /firewall/],
    ['ssh: connect to host 203.0.113.10 port 22: No route to host', 'no-route', /^no route to 203\.0\.113\.10/, /VPN or Tailscale/],
    ['ssh: connect to host 203.0.113.10 port 22: Network is unreachable', 'no-route', /^no route to/, /VPN or Tailscale/],
  ];
  it.each(cases)('%s', (stderr, kind, message, fix) => {
    const e = classifyConnectError(stderr, t) as SshUnreachableError;
    expect(e).toBeInstanceOf(SshUnreachableError);
    expect(e.kind).toBe(kind);
    expect(e.message).toMatch(message);
    expect(e.howToFix).toMatch(fix);
  });

  it('an unknown host name is not "unreachable" (no port fallback helps)', () => {
    const e = classifyConnectError('ssh: Could not resolve hostname vps.example.invalid: Name or service not known', { ...t, host: 'vps.example.invalid' });
    expect(e).toBeInstanceOf(SshUnknownHostnameError);
    expect(e).not.toBeInstanceOf(SshUnreachableError);
    expect(e.message).toMatch(/^the host name vps\.example\.invalid does not resolve/);
  });

  it('an unknown host key (strict checking, nobody asked) says how to record it; a changed one says stop', () => {
    const unknown = classifyConnectError(
      'No ED25519 host key is known for 203.0.113.10 and you have requested strict checking.\nHost key verification failed.',
      t,
    ) as UserError;
    expect(unknown).toBeInstanceOf(SshHostKeyError);
    expect(unknown.message).toMatch(/is not known yet/);
    expect(unknown.howToFix).toMatch(/in a terminal without --yes/);
    expect(unknown.howToFix).toContain('--known-hosts FILE');
    const changed = classifyConnectError('@@@@@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\nHost key verification failed.', {
      ...t,
      knownHosts: '/k',
    }) as UserError;
    expect(changed).toBeInstanceOf(SshHostKeyError);
    expect(changed.message).toMatch(/is not the one recorded in \/k/);
    expect(changed.howToFix).toContain('ssh-keygen -R 203.0.113.10 -f /k');
  });

  it('a refused key names the user and where the key must be', () => {
    const e = classifyConnectError('root@203.0.113.10: Permission denied (publickey).', t) as UserError;
    expect(e).toBeInstanceOf(SshAuthRefusedError);
    expect(e.howToFix).toMatch(/authorized_keys/);
  });
});

describe('the real ssh client: what the operator is told', () => {
  let dir = '';
  let key = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'claw-connerr-'));
    key = join(dir, 'id');
    writeFileSync(key, 'not a real key, never read: the connection fails first\n', { mode: 0o600 });
    writeFileSync(join(dir, 'kh'), '');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const o = (x: Partial<SshConnectOptions>): SshConnectOptions => ({
    host: '127.0.0.1',
    port: 1,
    user: 'root',
    identityFile: key,
    // An empty known_hosts and no global one: the key of whatever answers is unknown.
    sshOptions: [`UserKnownHostsFile=${join(dir, 'kh')}`, 'GlobalKnownHostsFile=/dev/null'],
    yes: true,
    confirmHostKey: async () => false,
    ...x,
  });
  const failure = (x: Partial<SshConnectOptions>) =>
    SshExecutor.connect(o(x)).then(
      () => null,
      (e: Error) => e,
    );

  it('--yes, nothing listening: "connection refused", not "the host key is not known yet"', async () => {
    const e = await failure({});
    expect(e).toBeInstanceOf(SshUnreachableError);
    expect(e?.message).toMatch(/^nothing accepts SSH connections on 127\.0\.0\.1 port 1 \(connection refused\)/);
  });

  it('asking in a terminal, nothing listening: the same words (ssh-keyscan found no key to show)', async () => {
    let asked = false;
    const e = await failure({ yes: false, confirmHostKey: async () => (asked = true) });
    expect(asked).toBe(false);
    expect((e as SshUnreachableError).kind).toBe('refused');
  });

  it('a name that does not resolve', async () => {
    const e = await failure({ host: 'claw-setup-test.invalid', port: 22 });
    expect(e).toBeInstanceOf(SshUnknownHostnameError);
  });

  it('a missing identity file is said before ssh runs, with its path', async () => {
    const e = await failure({ identityFile: join(dir, 'nope') });
    expect(e).toBeInstanceOf(SshIdentityMissingError);
    expect(e?.message).toBe(`the identity file ${join(dir, 'nope')} does not exist`);
    // The key's .pub alone is enough: the private half may live in ssh-agent.
    writeFileSync(join(dir, 'agent-only.pub'), 'ssh-ed25519 AAAA test\n');
    expect(await failure({ identityFile: join(dir, 'agent-only') })).toBeInstanceOf(SshUnreachableError);
  });
});

describe('first contact in a terminal: a server that never answers', () => {
  const resolved = { hostname: '203.0.113.10', port: 22, alias: '203.0.113.10', userKnownHosts: ['/k'], globalKnownHosts: [], hashKnownHosts: false };
  const target = { host: '203.0.113.10', port: 22, user: 'root', identityFile: '/id', sshOptions: [] };
  /** Nothing known, ssh-keyscan finds no key; the clock says how long it took. */
  const silent: Spawn = async () => ({ code: 1, stdout: '', stderr: '' });
  const clock = (elapsedMs: number) => {
    let calls = 0;
    return () => (calls++ === 0 ? 0 : elapsedMs);
  };
  const policy = { yes: false, confirmHostKey: async () => true };

  it('a keyscan silent for its whole wait is a timeout, said at once (not after the connection waits 15 s more)', async () => {
    const e = await settleHostKey(silent, target, resolved, policy, () => undefined, clock(10_050)).catch((x: Error) => x);
    expect(e).toBeInstanceOf(SshUnreachableError);
    expect((e as SshUnreachableError).kind).toBe('timeout');
    expect((e as Error).message).toMatch(/^no answer from 203\.0\.113\.10 on port 22 \(timed out\) \(ssh-keyscan heard nothing in 10 s\)/);
  });

  it('a quick empty keyscan (refused, unknown name) leaves the words to the connection attempt', async () => {
    expect(await settleHostKey(silent, target, resolved, policy, () => undefined, clock(20))).toBe('yes');
  });
});
