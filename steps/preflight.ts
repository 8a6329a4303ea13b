import type { PlanContext } from '../src/plan/context.js';
import { gate, run, type Step } from '../src/plan/action.js';
import { settleStaleGroups } from '../src/plan/guard.js';

/** Read-only checks before anything changes: systemd, a valid sshd config, our state directory. */
export function planPreflight(ctx: PlanContext): Step {
  return {
    id: 'preflight',
    title: 'Preflight checks',
    summary: [
      `${ctx.facts.os.pretty} (${ctx.facts.source}); checks systemd and the current sshd config; undoes only what an interrupted earlier run left armed`,
    ],
    actions: [
      gate('systemd is PID 1 (the dead-man switch needs systemd-run)', { type: 'remote', argv: ['test', '-d', '/run/systemd/system'] }),
      gate('the current sshd config is valid, so a reload cannot break it', { type: 'remote', argv: ['sshd', '-t'] }),
      run('create the claw-setup state directory (root only)', ['install', '-d', '-m', '0700', ctx.paths.stateDir], {
        skipIf: ['test', '-d', ctx.paths.stateDir],
      }),
      settleStaleGroups(),
    ],
  };
}
