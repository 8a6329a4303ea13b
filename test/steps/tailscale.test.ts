// steps/tailscale.ts: Tailscale from its signed repository, joined with the auth key from a mode-600
// file (never argv), SSH allowed on tailscale0; and tailnetOnlyGroup, which the ssh step plans to
// move SSH onto the tailnet under a dead-man switch.
import { describe, expect, it } from 'vitest';
import { assumedFacts } from '../../src/plan/facts.js';
import type { GuardedGroup, RunAction, WriteAction } from '../../src/plan/action.js';
import { revealText } from '../../src/core/secret.js';
import { answersWith as answers, planFor, printed, stepOf as step } from '../helpers.js';

describe('tailscale step', () => {
  it('is left out unless tailscale.enabled', () => {
    expect(step(planFor(answers()).plan, 'tailscale')).toBeUndefined();
  });

  it('Tailscale-only SSH removes the public rule under a dead-man switch and keeps break-glass', () => {
    const { plan } = planFor(
      answers({ tailscale: { enabled: true, sshOnlyOverTailscale: true }, access: { mode: 'tailscale-serve', tailnetDomain: 'tail1234.ts.net' } }),
    );
    const g = step(plan, 'ssh')!.actions.find((a): a is GuardedGroup => a.kind === 'guarded' && a.id === 'ssh-tailnet')!;
    expect(g.id).toBe('ssh-tailnet');
    expect(g.actions.map((a) => (a.kind === 'run' ? a.argv.join(' ') : ''))).toEqual(['ufw delete limit 22/tcp']);
    expect(g.gates[0].check).toMatchObject({ type: 'fresh-login', via: 'tailnet' });
    const t = printed(plan);
    expect(t).toContain('--auth-key=file:/run/claw-setup/ts-authkey');
    expect(t).not.toMatch(/--auth-key=tskey/);
    expect(t).toContain('tailscale serve --bg --https=443 http://127.0.0.1:18789');
  });

  it('writes the auth key mode 600 before tailscale up and removes it after; each skipped once the node has an address', () => {
    const { plan } = planFor(answers({ tailscale: { enabled: true, hostname: 'vps' } }));
    const acts = step(plan, 'tailscale')!.actions;
    const key = acts.findIndex((a) => a.kind === 'write' && a.path === '/run/claw-setup/ts-authkey');
    const up = acts.findIndex((a) => a.kind === 'run' && a.argv[1] === 'up');
    const rm = acts.findIndex((a) => a.kind === 'run' && a.argv.join(' ') === 'rm -f /run/claw-setup/ts-authkey');
    expect([key > 0, key < up, up < rm]).toEqual([true, true, true]);
    const w = acts[key] as WriteAction;
    expect(w.mode).toBe(0o600);
    expect(revealText(w.content)).toBe('SENTINEL_TS_AUTHKEY_7f3a9c\n');
    expect((acts[up] as RunAction).argv).toEqual(['tailscale', 'up', '--auth-key=file:/run/claw-setup/ts-authkey', '--hostname=vps']);
    expect((acts[up] as RunAction).skipIf).toEqual(['tailscale', 'ip', '-4']);
  });

  it('without sshOnlyOverTailscale, public SSH stays: no ssh-tailnet group', () => {
    const { plan } = planFor(answers({ tailscale: { enabled: true } }));
    expect(step(plan, 'ssh')!.actions.map((a) => (a.kind === 'guarded' ? a.id : a.kind))).toEqual(['ssh']);
  });
});

describe('SSH only over the tailnet, with a port change (issue 13 item 4)', () => {
  const a = answers({ ssh: { port: 2222 }, tailscale: { enabled: true, hostname: 'vps', sshOnlyOverTailscale: true }, access: { mode: 'ssh-tunnel' } });
  const { plan } = planFor(a, assumedFacts('debian-12', 'root', '198.51.100.7'));
  const runs = (acts: readonly { kind: string }[]) => (acts.filter((x) => x.kind === 'run') as RunAction[]).map((x) => x.argv.join(' '));

  it('allows both ports on tailscale0 before anything closes', () => {
    const ts = runs(step(plan, 'tailscale')!.actions);
    expect(ts).toContain('ufw allow in on tailscale0 to any port 22 proto tcp comment claw-setup ssh over tailscale');
    expect(ts).toContain('ufw allow in on tailscale0 to any port 2222 proto tcp comment claw-setup ssh over tailscale');
  });
});
