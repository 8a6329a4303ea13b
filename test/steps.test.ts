import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { answersSchema, type AnswersInput } from '../src/answers/schema.js';
import { assumedFacts } from '../src/plan/facts.js';
import type { GuardedGroup, Plan, RunAction } from '../src/plan/action.js';
import { printPlan } from '../src/plan/print.js';
import { planFor } from './helpers.js';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOzac/xuB9gNpgB4w5HHB6XCSigKaq1/D/1Wknm6DDhs you@laptop';
const answers = (extra: AnswersInput = {}) =>
  answersSchema.parse({ target: { host: '203.0.113.10' }, ...extra, deployUser: { authorizedKeys: [KEY], ...extra.deployUser } });
const text = (plan: Plan) => printPlan(plan, { host: '203.0.113.10', identityFile: '~/.ssh/id_ed25519' });
const step = (plan: Plan, id: string) => plan.steps.find((s) => s.id === id);
const group = (plan: Plan, id: string) => step(plan, id)!.actions.find((a): a is GuardedGroup => a.kind === 'guarded')!;

describe('ssh step', () => {
  it('reloads ssh.service, never restarts it, when the port stays', () => {
    const { plan } = planFor(answers());
    const cmds = group(plan, 'ssh')
      .actions.filter((a): a is RunAction => a.kind === 'run')
      .map((a) => a.argv.join(' '));
    expect(cmds).toContain('systemctl reload ssh');
    expect(cmds.join('\n')).not.toMatch(/restart ssh\b(?!\.socket)/);
  });

  it("moves the port through ssh.socket on Ubuntu 24.04's socket activation, and keeps both ports open in ufw", () => {
    const { plan } = planFor(answers({ ssh: { port: 2222 } }), assumedFacts('ubuntu-24.04', 'root', '198.51.100.7'));
    const cmds = group(plan, 'ssh')
      .actions.filter((a): a is RunAction => a.kind === 'run')
      .map((a) => a.argv.join(' '));
    expect(cmds.some((c) => c.includes('systemctl daemon-reload && systemctl restart ssh.socket'))).toBe(true);
    const fw = group(plan, 'firewall').actions.map((a) => (a.kind === 'run' ? a.argv.join(' ') : ''));
    expect(fw).toContain('ufw limit 22/tcp comment claw-setup ssh');
    expect(fw).toContain('ufw limit 2222/tcp comment claw-setup ssh');
    expect(group(plan, 'ssh').gates[0].check).toMatchObject({ type: 'fresh-login', port: 2222 });
  });

  it('a rerun after the port moved gates on the port sshd listens on now', () => {
    const moved = { ...assumedFacts('debian-12', 'deploy', '198.51.100.7'), source: 'probed' as const, sshd: { port: '2222' } };
    const { plan } = planFor(answers({ ssh: { port: 2222 } }), moved);
    expect(step(plan, 'login-gate')!.actions[0]).toMatchObject({ check: { type: 'fresh-login', port: 2222 } });
    const fw = group(plan, 'firewall').actions.map((a) => (a.kind === 'run' ? a.argv.join(' ') : ''));
    expect(fw.filter((c) => c.startsWith('ufw limit'))).toEqual(['ufw limit 2222/tcp comment claw-setup ssh']);
  });

  it('on Debian 12 (no socket activation) a port change is a plain reload', () => {
    const { plan } = planFor(answers({ ssh: { port: 2222 } }), assumedFacts('debian-12', 'root', '198.51.100.7'));
    const cmds = group(plan, 'ssh')
      .actions.filter((a): a is RunAction => a.kind === 'run')
      .map((a) => a.argv.join(' '));
    expect(cmds).toContain('systemctl reload ssh');
  });
});

describe('optional steps', () => {
  it('leaves out fail2ban, unattended upgrades, Docker, backups and monitoring when turned off', () => {
    const { plan } = planFor(
      answers({
        fail2ban: { enabled: false },
        updates: { unattended: false },
        docker: { install: false },
        backups: { enabled: false },
        monitoring: { enabled: false },
      }),
    );
    const ids = plan.steps.map((s) => s.id);
    expect(ids).not.toContain('fail2ban');
    expect(ids).not.toContain('docker');
    expect(ids).not.toContain('backups');
    expect(ids).not.toContain('monitoring');
    // nothing installs or configures them (the audit script the verify step writes only checks them, and skips what is off)
    const base = text({ ...plan, steps: plan.steps.filter((s) => s.id !== 'verify') });
    expect(base).not.toMatch(/unattended-upgrades|apt-get .*fail2ban/);
  });

  it('Tailscale-only SSH removes the public rule under a dead-man switch and keeps break-glass', () => {
    const { plan } = planFor(
      answers({ tailscale: { enabled: true, sshOnlyOverTailscale: true }, access: { mode: 'tailscale-serve', tailnetDomain: 'tail1234.ts.net' } }),
    );
    const g = step(plan, 'ssh')!.actions.find((a): a is GuardedGroup => a.kind === 'guarded' && a.id === 'ssh-tailnet')!;
    expect(g.id).toBe('ssh-tailnet');
    expect(g.actions.map((a) => (a.kind === 'run' ? a.argv.join(' ') : ''))).toEqual(['ufw delete limit 22/tcp']);
    expect(g.gates[0].check).toMatchObject({ type: 'fresh-login', via: 'tailnet' });
    const t = text(plan);
    expect(t).toContain('--auth-key=file:/run/claw-setup/ts-authkey');
    expect(t).not.toMatch(/--auth-key=tskey/);
    expect(t).toContain('tailscale serve --bg --https=443 http://127.0.0.1:18789');
  });

  it('Caddy opens 80 and 443 and validates its Caddyfile before reload', () => {
    const { plan } = planFor(answers({ access: { mode: 'caddy', domain: 'claw.example.com', email: 'ops@example.com' } }));
    const t = text(plan);
    expect(t).toContain('ufw allow 443/tcp');
    expect(t.indexOf('caddy validate')).toBeLessThan(t.indexOf('systemctl reload caddy'));
  });

  it('a rerun-safe plan: every run action in the firewall and ssh groups is guarded by a skip probe for the group', () => {
    const { plan } = planFor(answers());
    expect(group(plan, 'firewall').skipIf).toBeDefined();
    expect(group(plan, 'ssh').skipIf).toBeDefined();
  });
});

describe('packages.source and current releases', () => {
  const docker = (plan: Plan) =>
    step(plan, 'docker')!
      .actions.map((a) => (a.kind === 'run' ? a.argv.join(' ') : a.kind === 'write' ? `write ${a.path}` : a.kind))
      .join('\n');

  it('distro on Debian 13: docker.io, compose v2 and containerd from Debian, no vendor key or source', () => {
    const { plan } = planFor(answers({ packages: { source: 'distro' } }), assumedFacts('debian-13', 'root', '198.51.100.7'));
    const d = docker(plan);
    expect(d).toMatch(/apt-get -q -y .* install --no-install-recommends docker.io docker-cli docker-compose containerd$/m);
    expect(d).not.toContain('download.docker.com');
    expect(d).not.toContain('docker.sources');
    expect(step(plan, 'docker')!.summary[0]).toContain("Debian GNU/Linux 13 (trixie)'s own repositories");
  });

  it('distro on Ubuntu 24.04 and 26.04 uses docker-compose-v2; upstream stays the default', () => {
    for (const os of ['ubuntu-24.04', 'ubuntu-26.04'] as const) {
      const { plan } = planFor(answers({ packages: { source: 'distro' } }), assumedFacts(os, 'root', '198.51.100.7'));
      expect(docker(plan)).toMatch(/install --no-install-recommends docker.io docker-compose-v2 containerd$/m);
    }
    const { plan } = planFor(answers(), assumedFacts('debian-13', 'root', '198.51.100.7'));
    expect(docker(plan)).toContain('https://download.docker.com/linux/debian/gpg');
    expect(docker(plan)).toContain('docker-ce');
  });

  it('distro is refused where the release has no compose v2 (Debian 12) or no caddy (Ubuntu 22.04), naming the fix', () => {
    expect(() => planFor(answers({ packages: { source: 'distro' } }), assumedFacts('debian-12', 'root', '198.51.100.7'))).toThrow(
      /packages.source "distro" cannot be used on Debian GNU\/Linux 12 \(bookworm\): it has no Docker compose v2 package/,
    );
    const caddy = answers({ packages: { source: 'distro' }, access: { mode: 'caddy', domain: 'claw.example.com', email: 'me@example.com' } });
    expect(() => planFor(caddy, assumedFacts('ubuntu-22.04', 'root', '198.51.100.7'))).toThrow(/has no caddy package/);
    const { plan } = planFor(caddy, assumedFacts('debian-13', 'root', '198.51.100.7'));
    const access = step(plan, 'access')!
      .actions.map((a) => (a.kind === 'run' ? a.argv.join(' ') : ''))
      .join('\n');
    expect(access).toMatch(/install --no-install-recommends caddy$/m);
    expect(access).not.toContain('cloudsmith');
  });

  it('Ubuntu 24.04 and 26.04 start sshd from ssh.socket on a fresh install; Debian 13 does not', () => {
    expect(assumedFacts('ubuntu-26.04').sshSocket).toBe(true);
    expect(assumedFacts('ubuntu-24.04').sshSocket).toBe(true);
    expect(assumedFacts('debian-13').sshSocket).toBe(false);
    expect(assumedFacts('debian-13').os.codename).toBe('trixie');
    expect(assumedFacts('ubuntu-26.04').os.codename).toBe('resolute');
  });
});

describe('the agents model and tool policy', () => {
  const cfg = (extra: AnswersInput) =>
    JSON.parse(
      planFor(answers(extra))
        .plan.steps.flatMap((s) => s.actions)
        .flatMap((a) => (a.kind === 'write' && a.path.endsWith('openclaw.json') ? [String(a.content[0])] : []))[0],
    );

  it('follows the providers given: the first one is primary, the others fall back', () => {
    const one = cfg({ openclaw: { providers: { anthropic: { env: 'ANTHROPIC_API_KEY' } } } });
    expect(one.agents.defaults.model).toEqual({ primary: 'anthropic/claude-opus-5' });
    const two = cfg({ openclaw: { providers: { google: { env: 'GEMINI_API_KEY' }, openai: { env: 'OPENAI_API_KEY' } } } });
    expect(two.agents.defaults.model).toEqual({ primary: 'openai/gpt-6-astra', fallbacks: ['google/gemini-3.1-pro-preview'] });
    const chosen = cfg({ openclaw: { model: 'google/gemini-3.1-flash-lite', providers: { google: { env: 'GEMINI_API_KEY' } } } });
    // a chosen model falls back to its provider's default
    expect(chosen.agents.defaults.model).toEqual({ primary: 'google/gemini-3.1-flash-lite', fallbacks: ['google/gemini-3.1-pro-preview'] });
  });

  it('refuses a model whose provider has no key', () => {
    expect(() => answers({ openclaw: { model: 'openai/gpt-6-astra', providers: { anthropic: { env: 'ANTHROPIC_API_KEY' } } } })).toThrow(
      /model openai\/gpt-6-astra needs the openai provider's key/,
    );
  });

  it("defaults to OpenClaw's hardened baseline: messaging profile, automation, runtime, fs, nodes and UI denied", () => {
    const c = cfg({});
    expect(c.tools.profile).toBe('messaging');
    expect(c.tools.deny).toEqual(['group:automation', 'group:runtime', 'group:fs', 'group:nodes', 'group:ui', 'sessions_spawn', 'sessions_send']);
    expect(c.tools.exec).toEqual({ security: 'deny', ask: 'always' });
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

describe('SSH only over the tailnet, with a port change (issue 13 item 4)', () => {
  const a = answers({ ssh: { port: 2222 }, tailscale: { enabled: true, hostname: 'vps', sshOnlyOverTailscale: true }, access: { mode: 'ssh-tunnel' } });
  const { plan } = planFor(a, assumedFacts('debian-12', 'root', '198.51.100.7'));
  const runs = (acts: readonly { kind: string }[]) => (acts.filter((x) => x.kind === 'run') as RunAction[]).map((x) => x.argv.join(' '));

  it('moves SSH onto the tailnet only after sshd listens on its final port', () => {
    const ssh = step(plan, 'ssh')!;
    const groups = ssh.actions.filter((x): x is GuardedGroup => x.kind === 'guarded').map((g) => g.id);
    // then the old port's break-glass and tailscale0 rules go too (steps/ssh-old-port.ts)
    expect(groups).toEqual(['ssh', 'ssh-tailnet', 'ssh-old-port']);
    expect(step(plan, 'tailscale')!.actions.some((x) => x.kind === 'guarded')).toBe(false);
    const g = ssh.actions.find((x): x is GuardedGroup => x.kind === 'guarded' && x.id === 'ssh-tailnet')!;
    expect(g.gates.map((x) => x.check)).toEqual([{ type: 'fresh-login', user: 'deploy', port: 2222, via: 'tailnet', sudo: false }]);
    // both public rules go (the old port's too), each only if it is there
    expect(runs(g.actions)).toEqual(['ufw delete limit 22/tcp', 'ufw delete limit 2222/tcp']);
  });

  it('allows both ports on tailscale0 before anything closes', () => {
    const ts = runs(step(plan, 'tailscale')!.actions);
    expect(ts).toContain('ufw allow in on tailscale0 to any port 22 proto tcp comment claw-setup ssh over tailscale');
    expect(ts).toContain('ufw allow in on tailscale0 to any port 2222 proto tcp comment claw-setup ssh over tailscale');
  });
});

describe('a plan made offline without the operator IP (issue 13 item 10)', () => {
  it('refuses to run as it is, and says how to plan with the address', () => {
    const auto = text(planFor(answers(), assumedFacts('ubuntu-24.04', 'root')).plan);
    expect(auto).toContain('<operator-ip>');
    // On stdin: the whole plan is larger than one argument may be (128 KiB).
    const r = spawnSync('bash', ['-s'], { input: auto, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('plan again with --operator-ip IP');
    const known = text(planFor(answers({ operatorIp: '198.51.100.7' }), assumedFacts('ubuntu-24.04', 'root')).plan);
    expect(known).not.toContain('<operator-ip>');
    expect(known).not.toContain('CLAW_ALLOW_PLACEHOLDERS');
  });
});

describe('no model provider', () => {
  const keys = { authorizedKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB7n4h0o3J6w0wz0h0h0h0h0h0h0h0h0h0h0h0h0h0h0 x'] };
  const plan = (over: AnswersInput) => planFor(answersSchema.parse({ target: { host: '203.0.113.10' }, deployUser: keys, stopBefore: null, ...over })).plan;
  it('a plan that deploys OpenClaw without a provider key says so in its header (printed by plan, --plain and --yes)', () => {
    const none = plan({ openclaw: { providers: {} } });
    expect(none.header.join('\n')).toMatch(/WARNING: no model provider key .*cannot answer/);
    expect(printPlan(none, { host: '203.0.113.10', identityFile: '~/.ssh/id_ed25519' })).toContain('# WARNING: no model provider key');
    expect(plan({ openclaw: { providers: { anthropic: { env: 'ANTHROPIC_API_KEY' } } } }).header.join('\n')).not.toContain('no model provider');
    // Nothing to warn about when OpenClaw is not deployed by this run.
    expect(plan({ openclaw: { providers: {} }, stopBefore: 'docker' }).header.join('\n')).not.toContain('no model provider');
  });
});
