import { describe, expect, it } from 'vitest';
import { secretsFor } from '../../src/answers/secrets.js';
import { RecordingExecutor } from '../../src/exec/recording.js';
import { revealText } from '../../src/core/secret.js';
import { readGatewayToken } from '../../src/rollout/api.js';
import { eventPrinter } from '../../src/rollout/event-lines.js';
import { renderEnvFile } from '../../templates/index.js';
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

describe('the plain progress log', () => {
  it('prints one line per finished thing and a gate once', () => {
    const p = eventPrinter();
    const lines = [
      p({ type: 'step-started', stepId: 'ssh', title: 'SSH tightening (guarded)' }),
      p({ type: 'deadman', stepId: 'ssh', groupId: 'ssh', state: 'armed', timeoutSec: 180 }),
      p({ type: 'action-started', stepId: 'ssh', title: 'reload sshd', kind: 'run' }),
      p({ type: 'action-finished', stepId: 'ssh', title: 'reload sshd', status: 'done' }),
      p({ type: 'action-started', stepId: 'ssh', title: 'root refused', kind: 'gate' }),
      p({ type: 'gate', stepId: 'ssh', title: 'root refused', status: 'running' }),
      p({ type: 'gate', stepId: 'ssh', title: 'root refused', status: 'passed', detail: 'Permission denied (publickey)' }),
      p({ type: 'action-finished', stepId: 'ssh', title: 'root refused', status: 'done' }),
      p({ type: 'deadman', stepId: 'ssh', groupId: 'ssh', state: 'disarmed' }),
      p({ type: 'step-finished', stepId: 'ssh', status: 'done' }),
    ].filter((l) => l !== null);
    expect(lines).toEqual([
      '==> ssh: SSH tightening (guarded)',
      '    dead-man switch "ssh" armed: the server undoes this group in 180s unless every check passes',
      '    done    reload sshd',
      '    PASSED  check: root refused (Permission denied (publickey))',
      '    dead-man switch "ssh" disarmed',
      '<== ssh: done',
    ]);
  });
});

describe('connect: an unreachable server', () => {
  it('names every port it tried (the given one and the moved-sshd fallback), with the real ssh client', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { connect } = await import('../../src/rollout/api.js');
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
