// The live dry run: two read-only round trips, commands and diffs, and no secret value in its text.
import { describe, expect, it } from 'vitest';
import { Secret } from '../../src/core/secret.js';
import { RecordingExecutor } from '../../src/exec/recording.js';
import { fileDiff, previewPlan } from '../../src/rollout/preview.js';
import { planOffline } from '../../src/rollout/session.js';
import { write } from '../../src/plan/action.js';
import { secretText } from '../../src/core/secret.js';
import { readAnswers } from '../helpers.js';

const EXAMPLE = new URL('../../examples/answers.json5', import.meta.url).pathname;
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGz3bWxuYXhqZ2l6eW5wYnNvZ2lmdGJ4cW5sa3V6cXk1 me@laptop';

describe('live dry run (previewPlan)', () => {
  it('asks the server twice, writes nothing, and prints a diff per changed file', async () => {
    const answers = { ...readAnswers(EXAMPLE), stopBefore: 'docker' as const };
    const run = planOffline({ answers, keys: [KEY], env: { CLAW_SUDO_PASSWORD: 'pw-sentinel-1' }, os: 'debian-12' });
    const jail = '/etc/fail2ban/jail.d/claw-setup.local';
    const exec = new RecordingExecutor((c) => {
      if (c.op !== 'run') return undefined;
      // the file read: the jail exists with other settings
      if (c.argv.join(' ').includes('base64 -w0'))
        return { code: 0, stdout: `claw-file ${jail} ${Buffer.from('[sshd]\nenabled = true\nmaxretry = 9\n').toString('base64')}\n` };
      return { code: 0, stdout: '' }; // the probe batch: no answer → nothing is known to be done
    });
    const pv = await previewPlan(run.plan, exec, 'h');
    expect(exec.calls.filter((c) => c.op === 'write')).toEqual([]);
    expect(exec.calls.filter((c) => c.op === 'run').length).toBe(2);
    expect(exec.calls.every((c) => c.op !== 'run' || c.purpose === 'probe')).toBe(true);
    expect(pv.text).toContain(`write  ${jail}`);
    expect(pv.text).toMatch(/^\s+-maxretry = 9$/m);
    expect(pv.text).toMatch(/\(new file\)/);
    expect(pv.files).toBeGreaterThan(3);
    expect(pv.commands).toBeGreaterThan(3);
    expect(pv.text).toMatch(/guard {2}.*dead-man switch armed for \d+s/);
    expect(pv.text).not.toContain('pw-sentinel-1');
  });

  it('a secret-bearing file: matching lines show the placeholder, other values only their name', () => {
    const tok = Secret.of('OPENCLAW_GATEWAY_TOKEN', 'tok-sentinel-0123456789abcdef', 'test');
    const w = write('/x/.env', secretText`# head\nOPENCLAW_GATEWAY_TOKEN='${tok}'\nTZ=UTC\n`, { mode: 0o600 });
    const same = fileDiff(w, "# head\nOPENCLAW_GATEWAY_TOKEN='tok-sentinel-0123456789abcdef'\nTZ=UTC\n");
    expect(same).toBe('');
    const other = fileDiff(w, "# head\nOPENCLAW_GATEWAY_TOKEN='old-secret-value-xyz'\nEXTRA_KEY=also-secret\nTZ=UTC\n");
    expect(other).not.toContain('old-secret-value-xyz');
    expect(other).not.toContain('also-secret');
    expect(other).not.toContain('tok-sentinel');
    expect(other).toContain('-OPENCLAW_GATEWAY_TOKEN=<secret: differs>');
    expect(other).toContain("+OPENCLAW_GATEWAY_TOKEN='<secret:OPENCLAW_GATEWAY_TOKEN>'");
    expect(other).toContain('-EXTRA_KEY=<secret: differs>');
  });
});
