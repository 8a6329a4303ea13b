import type { PlanContext } from '../src/plan/context.js';
import { gate, run, write, type Action, type GuardedGroup, type Step } from '../src/plan/action.js';
import { joinText } from '../src/core/secret.js';
import { tailscaleAptSource } from '../templates/apt-source.js';
import { sshPorts, UFW_AFTER_RESTORE, UFW_FILES } from './firewall.js';
import { aptInstall, aptUpdate, fetchKey } from './helpers.js';
import { unitActive } from '../src/plan/probes.js';
import { guarded } from '../src/plan/guard.js';

const AUTHKEY_FILE = '/run/claw-setup/ts-authkey';

/**
 * Tailscale from its signed apt repo, joined with the auth key read from a
 * mode-600 file (`--auth-key=file:`), never argv. SSH is allowed on tailscale0;
 * with sshOnlyOverTailscale the public rules go later, after sshd has its final
 * port (tailnetOnlyGroup, run by the ssh step).
 */
export function planTailscale(ctx: PlanContext): Step | null {
  const a = ctx.answers;
  if (!a.tailscale.enabled) return null;
  const src = tailscaleAptSource(ctx.facts.os);
  const actions: Action[] = [
    ...fetchKey(src.keyUrl, src.keyringPath),
    write(src.sourcePath, src.text, { mode: 0o644, title: 'Tailscale apt source (signed-by its keyring)' }),
    aptUpdate(['tailscale']),
    aptInstall(['tailscale']),
    run('start tailscaled', ['systemctl', 'enable', '--now', 'tailscaled'], { skipIf: unitActive('tailscaled') }),
    run('make a private runtime directory for the auth key', ['install', '-d', '-m', '0700', '/run/claw-setup'], {
      skipIf: ['tailscale', 'ip', '-4'],
    }),
    write(AUTHKEY_FILE, joinText([ctx.secrets.tailscaleAuthKey, '\n']), {
      mode: 0o600,
      title: 'Tailscale auth key (mode 600, removed after use)',
      skipIf: ['tailscale', 'ip', '-4'],
    }),
    run('join the tailnet (key read from the file)', ['tailscale', 'up', `--auth-key=file:${AUTHKEY_FILE}`, `--hostname=${a.tailscale.hostname}`], {
      skipIf: ['tailscale', 'ip', '-4'],
      timeoutSec: 120,
    }),
    run('remove the auth key file', ['rm', '-f', AUTHKEY_FILE], { skipIf: ['sh', '-c', `! test -e ${AUTHKEY_FILE}`] }),
    // Both the port we came in on and the one sshd moves to: the move to the tailnet comes after sshd's move.
    ...sshPorts(ctx).map((port) =>
      run(`allow SSH on ${port} over tailscale0`, [
        'ufw',
        'allow',
        'in',
        'on',
        'tailscale0',
        'to',
        'any',
        'port',
        String(port),
        'proto',
        'tcp',
        'comment',
        'claw-setup ssh over tailscale',
      ]),
    ),
  ];
  return {
    id: 'tailscale',
    title: 'Tailscale',
    summary: [
      `installs Tailscale from pkgs.tailscale.com and joins as "${a.tailscale.hostname}"`,
      a.tailscale.sshOnlyOverTailscale
        ? `SSH only over the tailnet once sshd is tightened (guarded, in the ssh step); break-glass for ${ctx.operatorIp} stays`
        : 'public SSH stays open as well',
    ],
    actions,
  };
}

/**
 * Moving SSH onto the tailnet: the public `limit` rules for every SSH port (the one we came in
 * on and the one sshd listens on now) are removed under a dead-man switch, and a fresh login
 * over the tailnet on sshd's final port must pass. The break-glass rule stays. Planned after
 * the sshd group, so the gate tries the port sshd really listens on.
 */
/**
 * The name to reach SSH by once the run is over: with SSH only over Tailscale the public address
 * no longer answers on the SSH port, so the server's tailnet (MagicDNS) name; otherwise `host`.
 */
export function sshHostAfter(ctx: PlanContext, host: string): string {
  const { tailscale: t, access } = ctx.answers;
  if (!t.enabled || !t.sshOnlyOverTailscale) return host;
  // The full name when the answers know the tailnet's domain (Tailscale Serve), else the short MagicDNS name.
  return access.mode === 'tailscale-serve' ? `${t.hostname}.${access.tailnetDomain}` : t.hostname;
}

export function tailnetOnlyGroup(ctx: PlanContext): GuardedGroup | null {
  const a = ctx.answers;
  if (!a.tailscale.enabled || !a.tailscale.sshOnlyOverTailscale) return null;
  const ports = sshPorts(ctx);
  const hasRule = (p: number) => `ufw show added | grep -qE 'ufw limit ${p}/tcp'`;
  return guarded({
    id: 'ssh-tailnet',
    title: 'move SSH onto the tailnet',
    backup: UFW_FILES,
    afterRestore: UFW_AFTER_RESTORE,
    skipIf: ['sh', '-c', `! { ${ports.map(hasRule).join(' || ')}; }`],
    actions: ports.map((p) =>
      run(`remove the public SSH rule for ${p} (break-glass for ${ctx.operatorIp} stays)`, ['ufw', 'delete', 'limit', `${p}/tcp`], {
        skipIf: ['sh', '-c', `! ${hasRule(p)}`],
      }),
    ),
    gates: [
      gate(`log in as ${a.deployUser.name} over the tailnet on port ${a.ssh.port} from a fresh connection`, {
        type: 'fresh-login',
        user: a.deployUser.name,
        port: a.ssh.port,
        via: 'tailnet',
        sudo: false,
      }),
    ],
  });
}
