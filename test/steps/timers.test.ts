// steps/timers.ts: the shape backups and monitoring share. A script root-only, its extra files, the
// service and timer; systemd reloaded only when a unit changed; the timer enabled unless it runs.
import { describe, expect, it } from 'vitest';
import { Secret, secretText } from '../../src/core/secret.js';
import type { WriteAction } from '../../src/plan/action.js';
import { timerJobActions } from '../../steps/timers.js';
import { actionLines } from '../helpers.js';

const job = {
  name: 'demo',
  script: { path: '/usr/local/sbin/demo', text: '#!/bin/sh\n' },
  service: { path: '/etc/systemd/system/demo.service', text: '[Service]\n' },
  timer: { path: '/etc/systemd/system/demo.timer', text: '[Timer]\n' },
};

describe('timerJobActions', () => {
  it('script, service, timer, daemon-reload (on change), then enable --now (skipped when enabled and active)', () => {
    const acts = timerJobActions(job);
    expect(actionLines(acts)).toEqual([
      'write /usr/local/sbin/demo',
      'write /etc/systemd/system/demo.service',
      'write /etc/systemd/system/demo.timer',
      'systemctl daemon-reload',
      'systemctl enable --now demo.timer',
    ]);
    expect(acts.map((a) => (a.kind === 'write' ? a.mode : a.kind === 'run' ? (a.when ?? a.skipIf?.join(' ')) : ''))).toEqual([
      0o700,
      0o644,
      0o644,
      'changed',
      expect.stringContaining('demo.timer'),
    ]);
  });

  it('extra files go after the script with their own mode; secret content stays a secret', () => {
    const env = secretText`TOKEN=${Secret.of('DEMO_TOKEN', 'SENTINEL_DEMO')}\n`;
    const acts = timerJobActions({ ...job, extraFiles: [{ path: '/etc/claw-setup/demo.env', content: env, mode: 0o600, title: 'demo settings' }] });
    const extra = acts[1] as WriteAction;
    expect([extra.path, extra.mode, extra.title]).toEqual(['/etc/claw-setup/demo.env', 0o600, 'demo settings']);
    expect(JSON.stringify(acts)).not.toContain('SENTINEL_DEMO');
  });
});
