// steps/access.ts: how the Control UI is reached. An SSH tunnel installs nothing; Tailscale Serve
// publishes on the tailnet only; Caddy opens 80/443 and validates its Caddyfile before reloading.
import { describe, expect, it } from 'vitest';
import { actionLines, answersWith as answers, planFor, printed, stepOf as step } from '../helpers.js';

describe('access step', () => {
  it('Caddy opens 80 and 443 and validates its Caddyfile before reload', () => {
    const { plan } = planFor(answers({ access: { mode: 'caddy', domain: 'claw.example.com', email: 'ops@example.com' } }));
    const t = printed(plan);
    expect(t).toContain('ufw allow 443/tcp');
    expect(t.indexOf('caddy validate')).toBeLessThan(t.indexOf('systemctl reload caddy'));
  });

  it('an SSH tunnel plans no action, and tells the operator the tunnel command and the token', () => {
    const s = step(planFor(answers()).plan, 'access')!;
    expect(s.actions).toEqual([]);
    expect(s.next?.map((n) => n.command ?? n.text)).toEqual([
      'ssh -N -L 18789:127.0.0.1:18789 -p 22 deploy@203.0.113.10',
      'then browse to http://localhost:18789/',
      'ssh -p 22 deploy@203.0.113.10 sudo grep OPENCLAW_GATEWAY_TOKEN /home/deploy/openclaw/.env',
    ]);
  });

  it('Tailscale Serve: one command, skipped when it already publishes the gateway', () => {
    const a = answers({ tailscale: { enabled: true, hostname: 'vps' }, access: { mode: 'tailscale-serve', tailnetDomain: 'tail1234.ts.net' } });
    const s = step(planFor(a).plan, 'access')!;
    expect(actionLines(s.actions)).toEqual(['tailscale serve --bg --https=443 http://127.0.0.1:18789']);
    expect(s.actions[0]).toMatchObject({ skipIf: ['sh', '-c', "tailscale serve status | grep -q '127.0.0.1:18789'"] });
    expect(s.next?.[0].text).toBe('from any device on your tailnet: https://vps.tail1234.ts.net/');
  });

  it('Caddy: the Caddyfile is written, validated, the ports opened, then Caddy started and reloaded only on change', () => {
    const s = step(planFor(answers({ access: { mode: 'caddy', domain: 'claw.example.com', email: 'ops@example.com' } })).plan, 'access')!;
    const lines = actionLines(s.actions);
    expect(lines.slice(lines.indexOf('write /etc/caddy/Caddyfile'))).toEqual([
      'write /etc/caddy/Caddyfile',
      'gate Caddy accepts the Caddyfile',
      'ufw allow 80/tcp comment claw-setup caddy',
      'ufw allow 443/tcp comment claw-setup caddy',
      'systemctl enable --now caddy',
      'systemctl reload caddy',
    ]);
    expect(s.actions.at(-1)).toMatchObject({ when: 'changed' });
  });
});

describe('caddy certificates', () => {
  const caddyfile = (extra: object) => {
    const { plan } = planFor(answers({ access: { mode: 'caddy', domain: 'claw.internal', email: 'me@example.com', ...extra } }));
    const w = plan.steps.flatMap((s) => s.actions).find((a) => a.kind === 'write' && a.path === '/etc/caddy/Caddyfile');
    return w?.kind === 'write' ? String(w.content[0]) : '';
  };

  it('"internal" uses Caddy\'s own CA instead of ACME (private names); "acme" stays the default', () => {
    expect(caddyfile({ certificates: 'internal' })).toMatch(/^\ttls internal$/m);
    expect(caddyfile({})).toMatch(/^\ttls me@example\.com$/m);
  });
});
