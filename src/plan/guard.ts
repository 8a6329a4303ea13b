import { renderDeadman } from '../../templates/deadman.js';
import { run, write, type GuardedGroup, type RunAction, type WriteAction } from './action.js';

/** Where each guarded group keeps its backup and dead-man script on the server. */
export const DEADMAN_ROOT = '/var/lib/claw-setup/deadman';

export const deadmanDir = (id: string) => `${DEADMAN_ROOT}/${id}`;
export const deadmanScript = (id: string) => `${deadmanDir(id)}/deadman.sh`;
export const deadmanUnit = (id: string) => `claw-setup-deadman-${id}`;

/**
 * What runs before a guarded group's actions: write the dead-man script, back
 * up the files, clear a stale timer from an earlier run, arm the timer.
 */
export function guardSetup(g: GuardedGroup): (RunAction | WriteAction)[] {
  const dir = deadmanDir(g.id);
  const unit = deadmanUnit(g.id);
  return [
    run(`prepare ${dir}`, ['install', '-d', '-m', '0700', dir]),
    write(deadmanScript(g.id), renderDeadman({ id: g.id, dir, paths: g.backup, afterRestore: g.afterRestore }), {
      mode: 0o700,
      title: `dead-man script for ${g.id}`,
    }),
    run(`back up ${g.backup.join(', ')}`, ['/bin/sh', deadmanScript(g.id), 'backup']),
    run('clear a stale dead-man timer from an earlier run', ['sh', '-c', `systemctl stop ${unit}.timer ${unit}.service 2>/dev/null; systemctl reset-failed ${unit}.timer ${unit}.service 2>/dev/null; true`]),
    run(`arm dead-man switch: restore in ${g.timeoutSec}s unless disarmed`, [
      'systemd-run',
      `--unit=${unit}`,
      `--description=claw-setup dead-man switch (${g.id})`,
      `--on-active=${g.timeoutSec}`,
      '--timer-property=AccuracySec=1s',
      '/bin/sh',
      deadmanScript(g.id),
      'restore',
    ]),
  ];
}

/** Disarm after every gate passed: the change stays. */
export function guardDisarm(g: GuardedGroup): RunAction {
  return run(`disarm dead-man switch ${g.id}`, ['systemctl', 'stop', `${deadmanUnit(g.id)}.timer`]);
}

/**
 * Revert at once after a failed gate: restore first, then stop the timer, so
 * that if the connection dies in between the timer still restores on its own.
 */
export function guardRevertNow(g: GuardedGroup): RunAction[] {
  return [
    run(`restore ${g.backup.join(', ')}`, ['/bin/sh', deadmanScript(g.id), 'restore']),
    run(`stop dead-man timer ${g.id}`, ['sh', '-c', `systemctl stop ${deadmanUnit(g.id)}.timer 2>/dev/null; true`]),
  ];
}
