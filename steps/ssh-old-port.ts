import type { PlanContext } from '../src/plan/context.js';
import { gate, run, type GuardedGroup, type RunAction } from '../src/plan/action.js';
import { guarded } from '../src/plan/guard.js';
import { UFW_AFTER_RESTORE, UFW_FILES } from './firewall.js';

/**
 * The SSH ports claw-setup opened that sshd no longer listens on once it moved
 * to ssh.port: the port we came in on and the answers' target.port. On a rerun
 * loginPort is already the new port, but target.port still names the old one,
 * so the group is planned again and its probe finds nothing left (idempotent),
 * or removes what a run before this fix left open.
 */
export function oldSshPorts(ctx: PlanContext): number[] {
  return [...new Set([ctx.loginPort, ctx.answers.target.port])].filter((p) => p !== ctx.answers.ssh.port);
}

/** `ufw show added` lines of one kind of claw-setup SSH rule on `port` (the same text the firewall and tailscale steps add). */
function ruleProbe(kind: 'limit' | 'break-glass' | 'tailscale', port: number, operatorIp: string): string {
  const onPort = `grep -qE ' port ${port}( |$)'`;
  switch (kind) {
    case 'limit':
      return `ufw show added | grep -qE '^ufw limit ${port}/tcp( |$)'`;
    case 'break-glass':
      return `ufw show added | grep -F 'claw-setup break-glass' | grep -F ${JSON.stringify(` from ${operatorIp} `)} | ${onPort}`;
    case 'tailscale':
      return `ufw show added | grep -F 'on tailscale0' | grep -F 'claw-setup ssh over tailscale' | ${onPort}`;
  }
}

/**
 * After a port move, closes the old port: its rate-limited allow rule, its
 * break-glass rule and (with Tailscale) its tailscale0 rule would otherwise stay
 * open for good although nothing listens there any more. Planned after the sshd
 * group (and after the move onto the tailnet), so the new port has already been
 * proven from a fresh login; still guarded like every firewall change, with a
 * fresh login on the new port as its own gate. Null when the port does not move.
 */
export function oldPortGroup(ctx: PlanContext): GuardedGroup | null {
  const a = ctx.answers;
  const ports = oldSshPorts(ctx);
  if (!ports.length) return null;
  const kinds = a.tailscale.enabled ? (['limit', 'break-glass', 'tailscale'] as const) : (['limit', 'break-glass'] as const);
  const actions: RunAction[] = [];
  const probes: string[] = [];
  for (const p of ports) {
    for (const kind of kinds) {
      const probe = ruleProbe(kind, p, ctx.operatorIp);
      probes.push(probe);
      const [title, rule] =
        kind === 'limit'
          ? [`remove the rate-limited SSH rule for the old port ${p}`, ['limit', `${p}/tcp`]]
          : kind === 'break-glass'
            ? [
                `remove the break-glass rule for the old port ${p} (the one for ${a.ssh.port} stays)`,
                ['allow', 'proto', 'tcp', 'from', ctx.operatorIp, 'to', 'any', 'port', String(p)],
              ]
            : [`remove the tailscale0 SSH rule for the old port ${p}`, ['allow', 'in', 'on', 'tailscale0', 'to', 'any', 'port', String(p), 'proto', 'tcp']];
      actions.push(run(title, ['ufw', 'delete', ...rule], { skipIf: ['sh', '-c', `! { ${probe}; }`] }));
    }
  }
  const tailnetOnly = a.tailscale.enabled && a.tailscale.sshOnlyOverTailscale;
  return guarded({
    id: 'ssh-old-port',
    title: `close the old SSH port${ports.length > 1 ? 's' : ''} ${ports.join(', ')}`,
    backup: UFW_FILES,
    afterRestore: UFW_AFTER_RESTORE,
    skipIf: ['sh', '-c', `! { ${probes.join(' || ')}; }`],
    actions,
    gates: [
      gate(`log in as ${a.deployUser.name} on port ${a.ssh.port} from a fresh connection${tailnetOnly ? ' over the tailnet' : ''}`, {
        type: 'fresh-login',
        user: a.deployUser.name,
        port: a.ssh.port,
        via: tailnetOnly ? 'tailnet' : 'public',
        sudo: false,
      }),
    ],
  });
}
