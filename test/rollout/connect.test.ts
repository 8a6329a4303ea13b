import { describe, expect, it } from 'vitest';
import { secretsFor } from '../../src/answers/secrets.js';
import { RecordingExecutor } from '../../src/exec/recording.js';
import { revealText, Secret } from '../../src/core/secret.js';
import { secretFromRef } from '../../src/answers/secrets.js';
import { connect, connectOptions, readGatewayToken } from '../../src/rollout/connect.js';
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
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'claw-unreach-'));
    try {
      writeFileSync(join(dir, 'kh'), '');
      const e = await connect({
        host: '127.0.0.1',
        port: 1,
        user: 'root',
        identityFile: join(dir, 'none'),
        sshOptions: [],
        knownHosts: join(dir, 'kh'),
        yes: true,
        force: false,
        confirmHostKey: async () => false,
        fallbackPort: 2,
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
