import type { PlanContext } from '../src/plan/context.js';
import { gate, run, write, type Action, type Step } from '../src/plan/action.js';
import { joinText } from '../src/core/secret.js';
import { tailscaleAptSource } from '../templates/index.js';
import { UFW_AFTER_RESTORE, UFW_FILES } from './firewall.js';
import { aptInstall, aptUpdate, fetchKey } from './helpers.js';
import { unitActive } from '../src/plan/probes.js';
import { guarded } from '../src/plan/guard.js';

const AUTHKEY_FILE = '/run/claw-setup/ts-authkey';

/**
 * Tailscale from its signed apt repo, joined with the auth key read from a
 * mode-600 file (`--auth-key=file:`), never argv. With sshOnlyOverTailscale the
 * public SSH rule is removed under a dead-man switch; the break-glass rule stays.
 */
export function planTailscale(ctx: PlanContext): Step | null {
  const a = ctx.answers;
  if (!a.tailscale.enabled) return null;
  const src = tailscaleAptSource(ctx.facts.os);
  const port = a.ssh.port;
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
  ];
  if (a.tailscale.sshOnlyOverTailscale) {
    actions.push(
      guarded({
        id: 'ssh-tailnet',
        title: 'move SSH onto the tailnet',
        backup: UFW_FILES,
        afterRestore: UFW_AFTER_RESTORE,
        skipIf: ['sh', '-c', `! ufw show added | grep -qE 'ufw limit ${port}/tcp'`],
        actions: [run(`remove the public SSH rule for ${port} (break-glass for ${ctx.operatorIp} stays)`, ['ufw', 'delete', 'limit', `${port}/tcp`])],
        gates: [
          gate(`log in as ${a.deployUser.name} over the tailnet from a fresh connection`, {
            type: 'fresh-login',
            user: a.deployUser.name,
            port,
            via: 'tailnet',
            sudo: false,
          }),
        ],
      }),
    );
  }
  return {
    id: 'tailscale',
    title: 'Tailscale',
    summary: [
      `installs Tailscale from pkgs.tailscale.com and joins as "${a.tailscale.hostname}"`,
      a.tailscale.sshOnlyOverTailscale ? `SSH only over the tailnet (guarded); break-glass for ${ctx.operatorIp} stays` : 'public SSH stays open as well',
    ],
    actions,
  };
}
