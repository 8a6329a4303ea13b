import type { PlanContext } from '../src/plan/context.js';
import { gate, run, write, type Action, type Argv, type NextStep, type RunAction, type Step } from '../src/plan/action.js';
import { caddyAptSource } from '../templates/apt-source.js';
import { renderCaddyfile } from '../templates/caddyfile.js';
import { aptInstall, aptUpdate, fetchKey } from './helpers.js';
import { distroPackages } from './docker.js';
import { unitActive } from '../src/plan/probes.js';
import { sshHostAfter } from './tailscale.js';

/** How to reach the Control UI from the operator's laptop, as exact commands. */
export function accessInstructions(ctx: PlanContext, publicHost: string): NextStep[] {
  const a = ctx.answers;
  // Both commands log in over SSH: by the tailnet name when SSH is only open there.
  const host = sshHostAfter(ctx, publicHost);
  const port = a.openclaw.gatewayPort;
  const token: NextStep = {
    kind: 'token',
    text: `the gateway token is in ${ctx.paths.env} (OPENCLAW_GATEWAY_TOKEN); read it with`,
    command: `ssh -p ${a.ssh.port} ${a.deployUser.name}@${host} sudo grep OPENCLAW_GATEWAY_TOKEN ${ctx.paths.env}`,
  };
  switch (a.access.mode) {
    case 'ssh-tunnel':
      return [
        { kind: 'connect', text: 'open a tunnel', command: `ssh -N -L ${port}:127.0.0.1:${port} -p ${a.ssh.port} ${a.deployUser.name}@${host}` },
        { kind: 'connect', text: `then browse to http://localhost:${port}/` },
        token,
      ];
    case 'tailscale-serve':
      return [{ kind: 'connect', text: `from any device on your tailnet: https://${a.tailscale.hostname}.${a.access.tailnetDomain}/` }, token];
    case 'caddy':
      return [{ kind: 'connect', text: `https://${a.access.domain}/ (point the DNS A/AAAA record at the server first)` }, token];
  }
}

/** `tailscale serve`: the gateway on the tailnet only, over HTTPS (the access step; unlock puts it back). */
export const tailscaleServeArgv = (port: number): Argv => ['tailscale', 'serve', '--bg', '--https=443', `http://127.0.0.1:${port}`];

/** The firewall rules Caddy needs (the access step; lockdown removes them, unlock puts them back). */
export const CADDY_PORTS = ['80/tcp', '443/tcp'] as const;
export const caddyPortsOpen = (): RunAction[] => [
  run('allow HTTP (certificate challenges, redirect)', ['ufw', 'allow', CADDY_PORTS[0], 'comment', 'claw-setup caddy']),
  run('allow HTTPS', ['ufw', 'allow', CADDY_PORTS[1], 'comment', 'claw-setup caddy']),
];

/** SSH tunnel (nothing to install), `tailscale serve`, or Caddy with automatic HTTPS. */
export function planAccess(ctx: PlanContext, host: string): Step {
  const a = ctx.answers;
  const port = a.openclaw.gatewayPort;
  const actions: Action[] = [];
  if (a.access.mode === 'tailscale-serve') {
    actions.push(
      run('publish the gateway on the tailnet only (HTTPS)', tailscaleServeArgv(port), {
        skipIf: ['sh', '-c', `tailscale serve status | grep -q '127.0.0.1:${port}'`],
      }),
    );
  } else if (a.access.mode === 'caddy') {
    const src = caddyAptSource();
    const distro = a.packages.source === 'distro';
    const pkgs = distro ? distroPackages(ctx, 'caddy') : ['caddy'];
    actions.push(
      ...(distro
        ? []
        : [...fetchKey(src.keyUrl, src.keyringPath), write(src.sourcePath, src.text, { mode: 0o644, title: "Caddy's apt source (signed-by its keyring)" })]),
      aptUpdate(pkgs),
      aptInstall(pkgs),
      write(ctx.paths.caddyfile, renderCaddyfile(a), { mode: 0o644, title: 'Caddyfile (HTTPS, security headers, proxy to 127.0.0.1)' }),
      gate('Caddy accepts the Caddyfile', { type: 'remote', argv: ['caddy', 'validate', '--config', ctx.paths.caddyfile, '--adapter', 'caddyfile'] }),
      ...caddyPortsOpen(),
      run('start Caddy', ['systemctl', 'enable', '--now', 'caddy'], { skipIf: unitActive('caddy') }),
      run('reload Caddy with the new Caddyfile', ['systemctl', 'reload', 'caddy'], { when: 'changed' }),
    );
  }
  return {
    id: 'access',
    title: 'Access to the Control UI',
    summary: [
      a.access.mode === 'ssh-tunnel'
        ? 'SSH tunnel: nothing is exposed, nothing to install'
        : a.access.mode === 'tailscale-serve'
          ? 'tailscale serve: HTTPS on your tailnet only'
          : `Caddy: https://${a.access.domain} with automatic certificates and security headers`,
    ],
    actions,
    next: accessInstructions(ctx, host),
  };
}
