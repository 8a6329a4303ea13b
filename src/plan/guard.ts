import { renderDeadman, renderDeadmanBootUnit } from './deadman-script.js';
import { gate, run, write, type GateCheck, type GuardedGroup, type Plan, type RunAction, type WriteAction } from './action.js';

/** Where each guarded group keeps its backup and dead-man script on the server. */
export const DEADMAN_ROOT = '/var/lib/claw-setup/deadman';
/** The boot-time restore: a template unit, one instance enabled per armed group. */
export const DEADMAN_BOOT_UNIT_FILE = '/etc/systemd/system/claw-setup-deadman-boot@.service';

export const deadmanDir = (id: string) => `${DEADMAN_ROOT}/${id}`;
export const deadmanScript = (id: string) => `${deadmanDir(id)}/deadman.sh`;
export const deadmanUnit = (id: string) => `claw-setup-deadman-${id}`;
export const deadmanBootUnit = (id: string) => `claw-setup-deadman-boot@${id}.service`;

/**
 * Time budgets (seconds) inside a guarded group. The runner gives no action or
 * gate more than its budget, and never more than what is left of the window,
 * so a gate can never still be running when the server's restore fires.
 */
export const BUDGET = {
  /** A run or write inside a group (unless it sets a shorter timeoutSec). */
  action: 20,
  /** One brand-new SSH connection, reload-race retries included. */
  freshConnection: 30,
  /** One try of a remote gate command. */
  remoteTry: 20,
  /** disarm (it may wait on a restore holding the group's lock). */
  disarm: 20,
  /** Kept free at the end of the window: the runner stops and reverts before it. */
  margin: 15,
} as const;

export function gateBudgetSec(c: GateCheck): number {
  switch (c.type) {
    case 'fresh-login':
      // over the tailnet: one more command first (tailscale ip)
      return BUDGET.freshConnection + (c.via === 'tailnet' ? BUDGET.remoteTry : 0);
    case 'login-refused':
      return BUDGET.freshConnection;
    case 'remote': {
      const tries = 1 + (c.retries ?? 0);
      return tries * (c.timeoutSec ?? BUDGET.remoteTry) + (tries - 1) * (c.delaySec ?? 1);
    }
  }
}

/** The most a run or write inside a group may take: its own timeout when it sets one (the window grows with it), else the action budget. */
export function actionBudgetSec(a: RunAction | WriteAction): number {
  return a.kind === 'run' && a.timeoutSec ? a.timeoutSec : BUDGET.action;
}

/** The longest a group can take from arming to disarmed, when every command runs to its limit. */
export function groupWorstCaseSec(g: Pick<GuardedGroup, 'actions' | 'gates'>): number {
  const actions = g.actions.reduce((s, a) => s + actionBudgetSec(a), 0);
  const gates = g.gates.reduce((s, gt) => s + gateBudgetSec(gt.check), 0);
  return actions + gates + BUDGET.disarm;
}

/** The dead-man window for a group: its worst case plus the margin, rounded up to 10 s, at least 180 s. */
export function deadmanWindowSec(g: Pick<GuardedGroup, 'actions' | 'gates'>): number {
  return Math.max(180, Math.ceil((groupWorstCaseSec(g) + BUDGET.margin) / 10) * 10);
}

/**
 * The dead-man protocol of one group, as data: what prepares it (state dir,
 * script, boot unit, verified backup), the one action that arms it, the one
 * that disarms it, and the one that restores at once. The runner follows these
 * and the printer prints them, so the dry run shows exactly what runs.
 */
export interface DeadmanProtocol {
  prepare: (RunAction | WriteAction)[];
  arm: RunAction;
  disarm: RunAction;
  restore: RunAction;
}

export function deadmanProtocol(g: GuardedGroup): DeadmanProtocol {
  const dir = deadmanDir(g.id);
  const script = deadmanScript(g.id);
  return {
    prepare: [
      run(`prepare ${dir}`, ['install', '-d', '-m', '0700', dir], { skipIf: ['test', '-d', dir] }),
      write(script, renderDeadman({ id: g.id, dir, paths: g.backup, afterRestore: g.afterRestore, unit: deadmanUnit(g.id), bootUnit: deadmanBootUnit(g.id) }), {
        mode: 0o700,
        title: `dead-man script for ${g.id}`,
      }),
      write(DEADMAN_BOOT_UNIT_FILE, renderDeadmanBootUnit(DEADMAN_ROOT), { mode: 0o644, title: 'boot-time restore for groups left armed across a reboot' }),
      run(`back up ${g.backup.join(', ')} (every copy checked, with a manifest)`, ['/bin/sh', script, 'backup']),
    ],
    arm: run(`arm dead-man switch: restore in ${g.timeoutSec}s unless disarmed (also at boot)`, ['/bin/sh', script, 'arm', String(g.timeoutSec)]),
    disarm: run(`disarm dead-man switch ${g.id}`, ['/bin/sh', script, 'disarm'], { timeoutSec: BUDGET.disarm }),
    restore: run(`restore ${g.backup.join(', ')}`, ['/bin/sh', script, 'restore', 'now']),
  };
}

/** Every dead-man script on the server, for the settle step and the final check. */
const STATES = `${DEADMAN_ROOT}/*/state`;

/**
 * Run first, under the run lock: a group an earlier run left armed (the
 * laptop died, the CLI was killed) is restored now, so this run re-applies it
 * from a clean state instead of skipping it as "in place" while its timer is
 * still counting down.
 */
export function settleStaleGroups(): RunAction {
  return run(
    'restore what an interrupted earlier run left armed (its dead-man switch was never disarmed)',
    ['sh', '-c', `rc=0; for s in ${DEADMAN_ROOT}/*/deadman.sh; do [ -f "$s" ] || continue; /bin/sh "$s" restore stale || rc=1; done; exit "$rc"`],
    { skipIf: ['sh', '-c', `! grep -qsxE 'armed|restoring' ${STATES}`] },
  );
}

/** Exit 0 only when no group is armed and no claw-setup dead-man unit is active. */
export const NO_ARMED_GROUP: readonly string[] = [
  'sh',
  '-c',
  `! grep -qsxE 'armed|restoring' ${STATES} && ! systemctl list-units --no-legend --state=active,activating 'claw-setup-deadman-*' | grep -q .`,
];

/** A guarded group whose dead-man window is computed from what it runs (see deadmanWindowSec). */
export function guarded(g: Omit<GuardedGroup, 'kind' | 'timeoutSec'>): GuardedGroup {
  return { kind: 'guarded', ...g, timeoutSec: deadmanWindowSec(g) };
}

/**
 * A change to a running deployment (rotate, upgrade, add/remove-channel, restore), as the
 * rollout runs: first restore what an interrupted earlier run left armed (else its timer
 * fires after this change and puts its older files back over it: an add-channel killed while
 * armed would bring back the gateway token a later rotate replaced), and last, a gate that
 * nothing is left armed, so "done" never stands while a timer can still undo it.
 */
export function settledChange(plan: Plan): Plan {
  return {
    header: plan.header,
    steps: [
      {
        id: 'preflight',
        title: 'Settle what an interrupted earlier run left armed',
        summary: ['restores only groups whose dead-man switch an earlier run never disarmed; nothing when none is armed'],
        actions: [settleStaleGroups()],
      },
      ...plan.steps,
      {
        id: 'verify',
        title: 'Nothing left armed',
        summary: ['no dead-man timer is left that could undo this change later'],
        actions: [gate('no dead-man switch is left armed (nothing will be undone later)', { type: 'remote', argv: NO_ARMED_GROUP })],
      },
    ],
  };
}
