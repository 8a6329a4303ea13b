// steps/base.ts: the packages later steps need, and unattended security upgrades (turned on, then the
// pending ones installed now, before anything is hardened).
import { describe, expect, it } from 'vitest';
import { basePackages } from '../../steps/base.js';
import { actionLines, answersWith, planFor, stepOf } from '../helpers.js';

describe('base step', () => {
  it('installs fail2ban and unattended-upgrades only when they are on', () => {
    expect(basePackages(planFor(answersWith()).ctx)).toEqual([
      'ca-certificates',
      'curl',
      'gnupg',
      'sudo',
      'ufw',
      'fail2ban',
      'python3-systemd',
      'unattended-upgrades',
      'apt-listchanges',
    ]);
    const off = planFor(answersWith({ fail2ban: { enabled: false }, updates: { unattended: false } })).ctx;
    expect(basePackages(off)).toEqual(['ca-certificates', 'curl', 'gnupg', 'sudo', 'ufw']);
  });

  it('refreshes, installs, writes both apt settings, then installs the pending security updates (skipped when none is pending)', () => {
    const s = stepOf(planFor(answersWith()).plan, 'base')!;
    const lines = actionLines(s.actions);
    expect(lines[0]).toMatch(/apt-get -q update$/);
    expect(lines[1]).toMatch(/install --no-install-recommends ca-certificates curl gnupg sudo ufw fail2ban/);
    expect(lines.slice(2)).toEqual([
      'write /etc/apt/apt.conf.d/20auto-upgrades',
      'write /etc/apt/apt.conf.d/52claw-setup-unattended-upgrades',
      'unattended-upgrade',
    ]);
    expect(s.actions[4]).toMatchObject({ skipIf: ['sh', '-c', expect.stringContaining("grep -qi '^Inst .*security'")] });
  });

  it('with updates.unattended false: only the packages, and the summary says upgrades stay off', () => {
    const s = stepOf(planFor(answersWith({ updates: { unattended: false } })).plan, 'base')!;
    expect(s.actions).toHaveLength(2);
    expect(s.summary[1]).toBe('unattended upgrades stay off');
  });

  it('says when it reboots', () => {
    const s = stepOf(planFor(answersWith({ updates: { autoReboot: true, rebootTime: '04:30' } })).plan, 'base')!;
    expect(s.summary[1]).toBe('pending security updates install now, then daily, reboot at 04:30 when needed');
  });
});
