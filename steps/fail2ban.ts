import type { PlanContext } from '../src/plan/context.js';
import { gate, run, write, type Step } from '../src/plan/action.js';
import { renderFail2banJail } from '../templates/fail2ban-jail.js';
import { unitActive } from '../src/plan/probes.js';

/** fail2ban's sshd jail on the systemd journal (Debian 12 has no auth.log), never banning the operator. */
export function planFail2ban(ctx: PlanContext): Step | null {
  const a = ctx.answers;
  if (!a.fail2ban.enabled) return null;
  const p = ctx.paths;
  return {
    id: 'fail2ban',
    title: 'fail2ban',
    summary: [`sshd jail: ${a.fail2ban.maxRetry} failures in ${a.fail2ban.findTime} → banned for ${a.fail2ban.banTime}; never bans ${ctx.operatorIp}`],
    actions: [
      write(p.fail2banJail, renderFail2banJail(a, ctx.operatorIp), { mode: 0o644, title: 'fail2ban sshd jail (backend systemd, ignoreip)' }),
      run('enable fail2ban at boot', ['systemctl', 'enable', 'fail2ban'], { skipIf: ['systemctl', 'is-enabled', '--quiet', 'fail2ban'] }),
      run('restart fail2ban to load the jail', ['systemctl', 'restart', 'fail2ban'], { when: 'changed' }),
      run('start fail2ban if it is not running', ['systemctl', 'start', 'fail2ban'], { skipIf: unitActive('fail2ban') }),
      gate('the sshd jail is active', { type: 'remote', argv: ['fail2ban-client', 'status', 'sshd'], retries: 15, delaySec: 1 }),
    ],
  };
}
