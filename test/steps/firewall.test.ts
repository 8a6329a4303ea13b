// steps/firewall.ts: default deny, the break-glass rule for the operator and the SSH rules before
// `ufw enable`, all in one guarded group that a fresh login through the firewall must disarm.
import { describe, expect, it } from 'vitest';
import { assumedFacts } from '../../src/plan/facts.js';
import type { GuardedGroup } from '../../src/plan/action.js';
import { sshPorts, UFW_FILES } from '../../steps/firewall.js';
import { actionLines, answersWith, EXAMPLE, groupOf, planFor, readAnswers } from '../helpers.js';

describe('firewall step', () => {
  it('allows SSH (break-glass first) before ufw enable, inside a guarded group', () => {
    const { plan } = planFor(readAnswers(EXAMPLE));
    const fw = plan.steps.find((s) => s.id === 'firewall')!.actions[0] as GuardedGroup;
    expect(fw.kind).toBe('guarded');
    const argvs = fw.actions.map((a) => (a.kind === 'run' ? a.argv.join(' ') : ''));
    const enable = argvs.findIndex((a) => a.startsWith('ufw --force enable'));
    const breakGlass = argvs.findIndex((a) => a.includes('from 198.51.100.7') && a.includes('port 22'));
    const sshRule = argvs.findIndex((a) => a.startsWith('ufw limit 22/tcp'));
    expect(breakGlass).toBeGreaterThanOrEqual(0);
    expect(breakGlass).toBeLessThan(enable);
    expect(sshRule).toBeLessThan(enable);
    expect(fw.gates[0].check).toMatchObject({ type: 'fresh-login', user: 'deploy' });
  });

  it('plans exactly: deny in, allow out, break-glass and rate limit per SSH port, then enable (the last action)', () => {
    const { plan } = planFor(answersWith({ ssh: { port: 2222 } }), assumedFacts('debian-13', 'root', '198.51.100.7'));
    expect(actionLines(groupOf(plan, 'firewall')!.actions)).toEqual([
      'ufw default deny incoming',
      'ufw default allow outgoing',
      'ufw allow proto tcp from 198.51.100.7 to any port 22 comment claw-setup break-glass',
      'ufw allow proto tcp from 198.51.100.7 to any port 2222 comment claw-setup break-glass',
      'ufw limit 22/tcp comment claw-setup ssh',
      'ufw limit 2222/tcp comment claw-setup ssh',
      'ufw --force enable',
    ]);
  });

  it("backs up ufw's own files, and its skip probe checks every port and the operator's rule", () => {
    const { plan } = planFor(answersWith({ ssh: { port: 2222 } }), assumedFacts('debian-13', 'root', '198.51.100.7'));
    const g = groupOf(plan, 'firewall')!;
    expect(g.backup).toEqual(UFW_FILES);
    expect(g.skipIf).toBeDefined();
    const probe = g.skipIf!.join(' ');
    expect(probe).toContain("grep -qF -- '22'");
    expect(probe).toContain("grep -qF -- '2222'");
    expect(probe).toContain('"from 198.51.100.7"');
    expect(probe).toContain("'^Status: active'");
  });

  it('keeps one port when it does not move (sshPorts has no duplicate)', () => {
    const { ctx } = planFor(answersWith());
    expect(sshPorts(ctx)).toEqual([22]);
    const { ctx: moving } = planFor(answersWith({ ssh: { port: 2222 } }));
    expect(sshPorts(moving)).toEqual([22, 2222]);
  });
});
