// steps/fail2ban.ts: the sshd jail on the journal, never banning the operator, loaded (restart only
// when the jail changed) and proven active by fail2ban itself.
import { describe, expect, it } from 'vitest';
import { revealText } from '../../src/core/secret.js';
import type { WriteAction } from '../../src/plan/action.js';
import { actionLines, answersWith, planFor, stepOf } from '../helpers.js';

describe('fail2ban step', () => {
  it('is left out when fail2ban.enabled is false', () => {
    expect(stepOf(planFor(answersWith({ fail2ban: { enabled: false } })).plan, 'fail2ban')).toBeUndefined();
  });

  it('writes the jail, enables, restarts only on change, starts, then gates on the sshd jail', () => {
    const s = stepOf(planFor(answersWith()).plan, 'fail2ban')!;
    expect(actionLines(s.actions)).toEqual([
      'write /etc/fail2ban/jail.d/claw-setup.local',
      'systemctl enable fail2ban',
      'systemctl restart fail2ban',
      'systemctl start fail2ban',
      'gate the sshd jail is active',
    ]);
    expect(s.actions[2]).toMatchObject({ when: 'changed' });
    expect(s.actions[4]).toMatchObject({ check: { type: 'remote', argv: ['fail2ban-client', 'status', 'sshd'] } });
  });

  it("never bans the operator: the jail's ignoreip holds the operator's address", () => {
    const s = stepOf(planFor(answersWith({ operatorIp: '192.0.2.44' })).plan, 'fail2ban')!;
    expect(revealText((s.actions[0] as WriteAction).content)).toMatch(/^ignoreip = .*192\.0\.2\.44/m);
    expect(s.summary[0]).toContain('never bans 192.0.2.44');
  });
});
