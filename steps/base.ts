import type { PlanContext } from '../src/plan/context.js';
import { run, write, type Action, type Step } from '../src/plan/action.js';
import { renderAutoUpgrades, renderUnattendedUpgrades } from '../templates/unattended-upgrades.js';
import { aptInstall, aptUpdate } from './helpers.js';

/** Packages the later steps need. */
export function basePackages(ctx: PlanContext): string[] {
  const a = ctx.answers;
  const pkgs = ['ca-certificates', 'curl', 'gnupg', 'sudo', 'ufw'];
  if (a.fail2ban.enabled) pkgs.push('fail2ban', 'python3-systemd');
  if (a.updates.unattended) pkgs.push('unattended-upgrades', 'apt-listchanges');
  return pkgs;
}

/** Base packages and unattended security upgrades (Docker's and Tailscale's origins included). */
export function planBase(ctx: PlanContext): Step {
  const a = ctx.answers;
  const p = ctx.paths;
  const actions: Action[] = [aptUpdate(basePackages(ctx)), aptInstall(basePackages(ctx), 'install base packages')];
  if (a.updates.unattended) {
    actions.push(
      write(p.autoUpgrades, renderAutoUpgrades(a), { mode: 0o644, title: 'turn on daily unattended upgrades' }),
      write(p.unattended, renderUnattendedUpgrades(a, ctx.facts.os), {
        mode: 0o644,
        title: 'unattended-upgrades origins (security, Docker) and reboot policy',
      }),
      // A fresh image can be months behind (OpenSSH, the kernel): patch before anything is hardened,
      // with the same origins the daily run uses. Skipped when apt sees no security update pending.
      run('install the pending security updates now', ['unattended-upgrade'], {
        timeoutSec: 1800,
        skipIf: ['sh', '-c', "! apt-get -s -o Debug::NoLocking=true upgrade 2>/dev/null | grep -qi '^Inst .*security'"],
      }),
    );
  }
  return {
    id: 'base',
    title: 'Base packages and unattended upgrades',
    summary: [
      `apt install ${basePackages(ctx).join(' ')}`,
      a.updates.unattended
        ? `pending security updates install now, then daily${a.updates.autoReboot ? `, reboot at ${a.updates.rebootTime} when needed` : ', no automatic reboot'}`
        : 'unattended upgrades stay off',
    ],
    actions,
  };
}
