import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SshConnectOptions, SshExecutor } from '../../src/exec/ssh.js';
import { SshAuthRefusedError, SshUnreachableError } from '../../src/exec/ssh-errors.js';
import { secretsFor } from '../../src/answers/secrets.js';
import { RecordingExecutor } from '../../src/exec/recording.js';
import { revealText, Secret } from '../../src/core/secret.js';
import { secretFromRef } from '../../src/answers/secrets.js';
import { connect, connectOptions, openAdmin, readGatewayToken, type ConnectOptions } from '../../src/rollout/connect.js';
import { renderEnvFile } from '../../templates/env-file.js';
import { fixture, sentinels } from '../helpers.js';

describe('readGatewayToken: a rerun keeps the generated token', () => {
  const env = '/home/deploy/openclaw/.env';
  const token = 'a3f1'.repeat(16);

  it('reads the token from the .env on the server, for the .env the plan writes', async () => {
    const ex = new RecordingExecutor((c) => (c.op === 'run' ? { code: 0, stdout: `'${token}'\n` } : undefined));
    const s = await readGatewayToken(ex, env);
    expect(ex.calls).toEqual([{ op: 'run', argv: ['sed', '-n', 's/^OPENCLAW_GATEWAY_TOKEN=//p', env], purpose: 'probe' }]);
    expect(s?.reveal()).toBe(token);
    expect(String(s)).toBe('<secret:OPENCLAW_GATEWAY_TOKEN>');
    const a = fixture('full');
    const envFile = revealText(renderEnvFile(a, secretsFor(a, {}, { ...sentinels(), OPENCLAW_GATEWAY_TOKEN: s! })));
    expect(envFile).toContain(`OPENCLAW_GATEWAY_TOKEN='${token}'`);
  });

  it('is null when there is no .env yet, or no usable token in it', async () => {
    expect(await readGatewayToken(new RecordingExecutor(() => ({ code: 2, stdout: '' })), env)).toBeNull();
    expect(await readGatewayToken(new RecordingExecutor(() => ({ code: 0, stdout: '\n' })), env)).toBeNull();
    expect(await readGatewayToken(new RecordingExecutor(() => ({ code: 0, stdout: "'$(reboot)'\n" })), env)).toBeNull();
  });
});

describe('connectOptions: the one place connect options are made', () => {
  const target = { host: '203.0.113.10', port: 2222, user: 'root', identityFile: '~/.ssh/id_ed25519' };
  const choices = { sshOptions: ['ConnectTimeout=5'], knownHosts: '/tmp/kh', yes: true, force: false, confirmHostKey: async () => false };

  it('where from the target, the rest as the front end chose it', () => {
    const o = connectOptions(target, { ...choices, fallbackUser: 'deploy', fallbackPort: 22, readOnly: true });
    expect(o).toMatchObject({ ...target, ...choices, fallbackUser: 'deploy', fallbackPort: 22, readOnly: true, sudoPassword: undefined, secrets: [] });
    expect(o.hostKeyAlias).toBeUndefined();
  });

  it('a sudo password or secret that cannot be read here is left out (a missing variable never fails inside the connection)', () => {
    const unset = secretFromRef('SUDO_PASSWORD', { env: 'CLAW_TEST_UNSET' }, {});
    const typed = Secret.of('SUDO_PASSWORD', 'a-long-sudo-password');
    const key = Secret.of('ANTHROPIC_API_KEY', 'sk-ant-0123456789');
    expect(connectOptions(target, { ...choices, sudoPassword: unset, secrets: [unset, key] })).toMatchObject({ sudoPassword: undefined, secrets: [key] });
    expect(connectOptions(target, { ...choices, sudoPassword: typed }).sudoPassword).toBe(typed);
  });
});

describe('connect: an unreachable server', () => {
  it('names every port it tried (the given one and the moved-sshd fallback), with the real ssh client', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claw-unreach-'));
    try {
      writeFileSync(join(dir, 'kh'), '');
      writeFileSync(join(dir, 'id'), 'never read: nothing answers\n', { mode: 0o600 });
      const e = await connect({
        host: '127.0.0.1',
        port: 1,
        user: 'root',
        identityFile: join(dir, 'id'),
        sshOptions: [],
        knownHosts: join(dir, 'kh'),
        yes: true,
        force: false,
        confirmHostKey: async () => false,
        fallbackPort: 2,
        loginMemo: null,
      }).then(
        () => null,
        (x: Error) => x,
      );
      expect(e?.message).toMatch(/^cannot reach 127\.0\.0\.1 on port 1 \(.*Connection refused\) nor on port 2 \(.*Connection refused\)$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('openAdmin: straight to the login that worked last time', () => {
  const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'claw-order-'));
    writeFileSync(join(dir, 'kh'), `203.0.113.10 ${key}\n`);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const o = (): ConnectOptions => ({
    host: '203.0.113.10',
    port: 22,
    user: 'root',
    identityFile: '/k',
    sshOptions: [],
    knownHosts: join(dir, 'kh'),
    yes: true,
    force: false,
    confirmHostKey: async () => false,
    fallbackUser: 'deploy',
    fallbackPort: 2222,
    loginMemo: join(dir, 'logins.json'),
  });
  /** A server where only `works` logs in and only `listens` answers; records every attempt. */
  const server = (works: string, listens: number, tried: string[]) => async (x: SshConnectOptions) => {
    tried.push(`${x.user}@${x.port}${x.hostKeyAlias ? ` as ${x.hostKeyAlias}` : ''}`);
    if (x.port !== listens) throw new SshUnreachableError(x.host, x.port, 'Connection refused', 'refused');
    if (x.user !== works) throw new SshAuthRefusedError(x.user, x.host, 'Permission denied (publickey)');
    return { target: { port: x.port } } as unknown as SshExecutor;
  };

  it('after a first run: root is refused once, then the deploy user goes first', async () => {
    const tried: string[] = [];
    expect(await openAdmin(o(), server('deploy', 22, tried))).toMatchObject({ user: 'deploy', failed: 1 });
    expect(tried).toEqual(['root@22', 'deploy@22']);
    tried.length = 0;
    expect(await openAdmin(o(), server('deploy', 22, tried))).toMatchObject({ user: 'deploy', failed: 0 });
    expect(tried).toEqual(['deploy@22']);
  });

  it('the moved port too, with the host key still checked under the original name', async () => {
    const tried: string[] = [];
    await openAdmin(o(), server('deploy', 2222, tried));
    expect(tried).toEqual(['root@22', 'root@2222 as 203.0.113.10', 'deploy@2222 as 203.0.113.10']);
    tried.length = 0;
    expect(await openAdmin(o(), server('deploy', 2222, tried))).toMatchObject({ user: 'deploy', failed: 0 });
    expect(tried).toEqual(['deploy@2222 as 203.0.113.10']);
  });

  it('a remembered login that stopped working falls back to the usual order, and the memo follows', async () => {
    await openAdmin(o(), server('deploy', 22, []));
    const tried: string[] = [];
    expect(await openAdmin(o(), server('root', 22, tried))).toMatchObject({ user: 'root', failed: 1 });
    expect(tried).toEqual(['deploy@22', 'root@22']);
    tried.length = 0;
    await openAdmin(o(), server('root', 22, tried));
    expect(tried).toEqual(['root@22']);
  });

  it('a rebuilt server (another host key) is not the one remembered', async () => {
    await openAdmin(o(), server('deploy', 22, []));
    writeFileSync(join(dir, 'kh'), `203.0.113.10 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBq7Ak0Z9dvR1x4r4z8J3nq1bZPfx2v6QJ1Z2Yl6m8Qe\n`);
    const tried: string[] = [];
    await openAdmin(o(), server('deploy', 22, tried));
    expect(tried).toEqual(['root@22', 'deploy@22']);
  });

  it("every login refused: the error is the deploy user's, whatever went first", async () => {
    await openAdmin(o(), server('deploy', 22, []));
    const e = await openAdmin(o(), server('nobody', 22, [])).catch((x: Error) => x);
    expect((e as SshAuthRefusedError).user).toBe('deploy');
  });

  it('no memo without a choice of logins, nor with loginMemo null', async () => {
    await openAdmin({ ...o(), fallbackUser: undefined, fallbackPort: undefined }, server('root', 22, []));
    await openAdmin({ ...o(), loginMemo: null }, server('deploy', 22, []));
    expect(existsSync(join(dir, 'logins.json'))).toBe(false);
  });
});
