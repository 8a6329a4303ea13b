// steps/monitoring.ts: the health check and the weekly audit as timer jobs, alert settings mode 600,
// and the ntfy topic (a secret: whoever knows it reads the alerts) never shown.
import { describe, expect, it } from 'vitest';
import type { WriteAction } from '../../src/plan/action.js';
import { actionLines, answersWith, fixture, planFor, printed, stepOf } from '../helpers.js';

describe('monitoring step', () => {
  it('is left out when monitoring.enabled is false', () => {
    expect(stepOf(planFor(answersWith({ monitoring: { enabled: false } })).plan, 'monitoring')).toBeUndefined();
  });

  it('the private directory first, then the health job with its settings, then the weekly audit job with the audit checks', () => {
    const s = stepOf(planFor(fixture('full')).plan, 'monitoring')!;
    expect(actionLines(s.actions).filter((l) => !l.startsWith('systemctl'))).toEqual([
      'install -d -m 0700 /etc/claw-setup',
      'write /usr/local/sbin/openclaw-health',
      'write /etc/claw-setup/monitoring.env',
      'write /etc/systemd/system/openclaw-health.service',
      'write /etc/systemd/system/openclaw-health.timer',
      'write /usr/local/sbin/claw-setup-audit-weekly',
      'write /usr/local/sbin/claw-setup-audit',
      'write /etc/systemd/system/claw-setup-audit.service',
      'write /etc/systemd/system/claw-setup-audit.timer',
    ]);
    const env = s.actions.find((a): a is WriteAction => a.kind === 'write' && a.path === '/etc/claw-setup/monitoring.env')!;
    expect(env.mode).toBe(0o600);
  });

  it('names where alerts go without showing the ntfy topic', () => {
    const { plan } = planFor(fixture('full'));
    const s = stepOf(plan, 'monitoring')!;
    expect(s.summary[0]).toContain('alerts to ntfy (https://ntfy.sh, topic <secret:');
    expect(s.summary[0]).toContain('and a Discord webhook');
    expect(printed(plan)).not.toContain('claw-alerts-7f3k2');
  });
});
