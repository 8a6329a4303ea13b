// steps/ssh.ts: the sshd drop-in, the reload (never a restart; ssh.socket when the port moves under
// Ubuntu's socket activation), the dead-man protocol around it and the gates that prove it, and the
// groups planned after it (onto the tailnet, the old port closed). The drop-in text itself is tested
// with the real sshd in test/templates.test.ts; the old-port group in test/steps/ssh-old-port.test.ts.
import { describe, expect, it } from 'vitest';
import { assumedFacts } from '../../src/plan/facts.js';
import type { GuardedGroup, Plan, RunAction } from '../../src/plan/action.js';
import { deadmanProtocol } from '../../src/plan/guard.js';
import { answersWith as answers, EXAMPLE, groupOf, planFor, printed, readAnswers, stepOf as step } from '../helpers.js';

const runs = (plan: Plan, id: string) =>
  groupOf(plan, id)!
    .actions.filter((a): a is RunAction => a.kind === 'run')
    .map((a) => a.argv.join(' '));

describe('ssh step', () => {
  it('reloads ssh.service, never restarts it, when the port stays', () => {
    const { plan } = planFor(answers());
    const cmds = runs(plan, 'ssh');
    expect(cmds).toContain('systemctl reload ssh');
    expect(cmds.join('\n')).not.toMatch(/restart ssh\b(?!\.socket)/);
  });

  it("moves the port through ssh.socket on Ubuntu 24.04's socket activation, and keeps both ports open in ufw", () => {
    const { plan } = planFor(answers({ ssh: { port: 2222 } }), assumedFacts('ubuntu-24.04', 'root', '198.51.100.7'));
    const cmds = runs(plan, 'ssh');
    expect(cmds.some((c) => c.includes('systemctl daemon-reload && systemctl restart ssh.socket'))).toBe(true);
    const fw = groupOf(plan, 'firewall')!.actions.map((a) => (a.kind === 'run' ? a.argv.join(' ') : ''));
    expect(fw).toContain('ufw limit 22/tcp comment claw-setup ssh');
    expect(fw).toContain('ufw limit 2222/tcp comment claw-setup ssh');
    expect(groupOf(plan, 'ssh')!.gates[0].check).toMatchObject({ type: 'fresh-login', port: 2222 });
  });

  it('a rerun after the port moved gates on the port sshd listens on now', () => {
    const moved = { ...assumedFacts('debian-12', 'deploy', '198.51.100.7'), source: 'probed' as const, sshd: { port: '2222' } };
    const { plan } = planFor(answers({ ssh: { port: 2222 } }), moved);
    expect(step(plan, 'login-gate')!.actions[0]).toMatchObject({ check: { type: 'fresh-login', port: 2222 } });
    const fw = groupOf(plan, 'firewall')!.actions.map((a) => (a.kind === 'run' ? a.argv.join(' ') : ''));
    expect(fw.filter((c) => c.startsWith('ufw limit'))).toEqual(['ufw limit 2222/tcp comment claw-setup ssh']);
  });

  it('on Debian 12 (no socket activation) a port change is a plain reload', () => {
    const { plan } = planFor(answers({ ssh: { port: 2222 } }), assumedFacts('debian-12', 'root', '198.51.100.7'));
    expect(runs(plan, 'ssh')).toContain('systemctl reload ssh');
  });

  it('plans the ssh.service reload on Debian 12 with the example answers', () => {
    const { plan: deb } = planFor(readAnswers(EXAMPLE), assumedFacts('debian-12', 'root', '198.51.100.7'));
    expect(printed(deb)).toContain('systemctl reload ssh');
  });

  it('the sshd group carries a skip probe for reruns', () => {
    const { plan } = planFor(answers());
    expect(groupOf(plan, 'ssh')!.skipIf).toBeDefined();
  });
});

describe('the dead-man switch around sshd (example answers)', () => {
  const { plan } = planFor(readAnswers(EXAMPLE));

  it('arms the dead-man timer before the risky actions and disarms it last', () => {
    const ssh = plan.steps.find((s) => s.id === 'ssh')!.actions[0] as GuardedGroup;
    const dm = deadmanProtocol(ssh);
    const script = '/var/lib/claw-setup/deadman/ssh/deadman.sh';
    expect(dm.prepare.at(-1)).toMatchObject({ kind: 'run', argv: ['/bin/sh', script, 'backup'] });
    expect(dm.arm.argv).toEqual(['/bin/sh', script, 'arm', String(ssh.timeoutSec)]);
    expect(dm.disarm.argv).toEqual(['/bin/sh', script, 'disarm']);
    expect(dm.restore.argv).toEqual(['/bin/sh', script, 'restore', 'now']);
    expect(ssh.gates.map((g) => g.check.type)).toEqual(['fresh-login', 'remote', 'login-refused', 'login-refused']);
    const acts = ssh.actions.map((a) => (a.kind === 'run' ? a.argv.join(' ') : `write ${a.path}`));
    expect(acts).toEqual([
      'write /etc/ssh/sshd_config.d/00-claw-setup.conf',
      expect.stringMatching(/^sh -c .* sh \/etc\/ssh\/moduli$/),
      'sshd -t',
      'systemctl reload ssh',
    ]);
    expect(acts.join('\n')).not.toMatch(/restart ssh(\.service)?$/m);
  });

  it('backs up the drop-in and the moduli, and reloads only after sshd -t passes when it restores them', () => {
    const ssh = plan.steps.find((s) => s.id === 'ssh')!.actions[0] as GuardedGroup;
    expect(ssh.backup).toEqual(['/etc/ssh/sshd_config.d/00-claw-setup.conf', '/etc/ssh/moduli']);
    expect(ssh.afterRestore).toEqual(['sshd -t && systemctl reload ssh']);
    // the negative probes: root by key, the deploy user by password, on the port sshd now listens on
    expect(ssh.gates.slice(2).map((g) => g.check)).toEqual([
      { type: 'login-refused', user: 'root', port: 22, method: 'publickey' },
      { type: 'login-refused', user: 'deploy', port: 22, method: 'password' },
    ]);
  });

  it('tells the operator how to log in from now on', () => {
    expect(step(plan, 'ssh')!.next).toEqual([
      { kind: 'login', text: 'log in from now on with', command: 'ssh -p 22 deploy@203.0.113.10', aside: '(root and password logins are off)' },
    ]);
  });
});

describe('SSH only over the tailnet, with a port change (issue 13 item 4)', () => {
  const a = answers({ ssh: { port: 2222 }, tailscale: { enabled: true, hostname: 'vps', sshOnlyOverTailscale: true }, access: { mode: 'ssh-tunnel' } });
  const { plan } = planFor(a, assumedFacts('debian-12', 'root', '198.51.100.7'));
  const runsOf = (acts: readonly { kind: string }[]) => (acts.filter((x) => x.kind === 'run') as RunAction[]).map((x) => x.argv.join(' '));

  it('moves SSH onto the tailnet only after sshd listens on its final port', () => {
    const ssh = step(plan, 'ssh')!;
    const groups = ssh.actions.filter((x): x is GuardedGroup => x.kind === 'guarded').map((g) => g.id);
    // then the old port's break-glass and tailscale0 rules go too (steps/ssh-old-port.ts)
    expect(groups).toEqual(['ssh', 'ssh-tailnet', 'ssh-old-port']);
    expect(step(plan, 'tailscale')!.actions.some((x) => x.kind === 'guarded')).toBe(false);
    const g = ssh.actions.find((x): x is GuardedGroup => x.kind === 'guarded' && x.id === 'ssh-tailnet')!;
    expect(g.gates.map((x) => x.check)).toEqual([{ type: 'fresh-login', user: 'deploy', port: 2222, via: 'tailnet', sudo: false }]);
    // both public rules go (the old port's too), each only if it is there
    expect(runsOf(g.actions)).toEqual(['ufw delete limit 22/tcp', 'ufw delete limit 2222/tcp']);
  });
});
