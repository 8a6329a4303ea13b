import type { PlanContext } from '../src/plan/context.js';
import { run, write, type Step } from '../src/plan/action.js';
import { egressAllowList } from '../src/answers/egress.js';
import { COMPOSE_BRIDGE } from '../src/plan/paths.js';
import {
  EGRESS_DNS_PATH,
  EGRESS_DNS_SERVICE,
  EGRESS_DNS_UNIT,
  EGRESS_SCRIPT,
  EGRESS_SERVICE,
  EGRESS_UNIT,
  renderEgressDnsPath,
  renderEgressDnsService,
  renderEgressScript,
  renderEgressService,
} from '../templates/egress.js';
import { unitEnabledAndActive } from '../src/plan/probes.js';

/**
 * What the gateway container may reach (DESIGN invariant 8: it reaches no metadata service,
 * private range or host address). Planned before the openclaw step, so the rules are in place
 * before the container first starts; the unit puts them back before Docker on every boot and
 * every restart of Docker, and a path unit applies them again when the host's nameservers change. A rerun with the same answers changes nothing: the script's --check
 * compares the live rules with the wanted ones.
 */
export function planEgress(ctx: PlanContext): Step {
  const e = ctx.answers.openclaw.egress;
  const allowed = egressAllowList(e).map((x) => `${x.cidr}${x.port ? ` port ${x.port}` : ''}`);
  return {
    id: 'egress',
    title: 'Container egress rules',
    summary: [
      e.mode === 'allowlist'
        ? `the gateway container (${COMPOSE_BRIDGE}) reaches only DNS and: ${allowed.join(', ')}`
        : `the gateway container (${COMPOSE_BRIDGE}) reaches the public internet and DNS${allowed.length ? ` and ${allowed.join(', ')}` : ''}; never the metadata service, private or CGNAT ranges`,
      'the host itself refuses new connections from the container (replies to the host, Caddy and Tailscale Serve pass)',
    ],
    actions: [
      write(EGRESS_SCRIPT, renderEgressScript(ctx.answers), { mode: 0o700, title: 'the egress rules (iptables and ip6tables)' }),
      write(EGRESS_SERVICE, renderEgressService(), { mode: 0o644, title: `${EGRESS_UNIT} (before Docker, again on each restart of Docker)` }),
      write(EGRESS_DNS_PATH, renderEgressDnsPath(), { mode: 0o644, title: `${EGRESS_DNS_UNIT}.path (the rules follow the host's nameservers)` }),
      write(EGRESS_DNS_SERVICE, renderEgressDnsService(), { mode: 0o644, title: `${EGRESS_DNS_UNIT}.service` }),
      run('reload systemd units', ['systemctl', 'daemon-reload'], { when: 'changed' }),
      run(`enable ${EGRESS_UNIT} (at boot and with Docker)`, ['systemctl', 'enable', EGRESS_UNIT], {
        skipIf: ['systemctl', 'is-enabled', '--quiet', EGRESS_UNIT],
      }),
      run(`watch the nameservers (${EGRESS_DNS_UNIT}.path)`, ['systemctl', 'enable', '--now', `${EGRESS_DNS_UNIT}.path`], {
        skipIf: unitEnabledAndActive(`${EGRESS_DNS_UNIT}.path`),
      }),
      run('apply the egress rules now', ['systemctl', 'restart', EGRESS_UNIT], { skipIf: [EGRESS_SCRIPT, '--check'] }),
    ],
  };
}
