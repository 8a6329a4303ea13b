import type { Executor } from '../exec/types.js';
import type { GateAction, GuardedGroup, RunAction, Step, WriteAction } from '../plan/action.js';
import { BUDGET, deadmanProtocol } from '../plan/guard.js';
import type { RolloutEvent } from './events.js';
import { sentence, Stop, type Outcome } from './stop.js';

/**
 * What the group walk borrows from the runner that meets the group: its way of
 * running one action or gate (events, timeouts, batched checks), its report
 * lines, and its flag for "a write changed a file".
 */
export interface GroupHost {
  readonly exec: Executor;
  readonly step: Step;
  cancelled(): boolean;
  emit(e: RolloutEvent): void;
  /** The batched answer for a check, undefined when it must be asked alone. */
  ask(key: object): Promise<boolean | undefined>;
  /** Runs one action of the group: never abandoned on cancel; `limitSec` caps it to what is left of the window. */
  action(a: RunAction | WriteAction, limitSec?: number): Promise<Outcome>;
  gate(g: GateAction, limitSec: number): Promise<Outcome>;
  cancelStop(where: string, extra: string[]): Stop;
  stateNow(): string;
  /** Forgets the writes so far (the dead-man script's own) so only the group's own changes count. */
  markUnchanged(): void;
}

/**
 * A guarded group (design invariant 4): skipped when its check says it is in
 * place; otherwise prepared, armed on the server before its first change, its
 * actions and gates run inside the dead-man window, then disarmed only after
 * every gate passed. Anything failing, running out of time or cancelled after
 * arming reverts at once. Returns whether it changed anything; throws Stop
 * when it failed or was cancelled (after reverting).
 */
export async function walkGuardedGroup(host: GroupHost, g: GuardedGroup): Promise<boolean> {
  if (await inPlace(host, g)) return false;
  return new GroupWalk(host, g).run();
}

/** The group's own skipIf: asked in the batch when known, else alone; an error means "not in place". */
async function inPlace(host: GroupHost, g: GuardedGroup): Promise<boolean> {
  if (!g.skipIf) return false;
  const known = await host.ask(g.skipIf);
  let done = known === true;
  if (known === undefined) {
    try {
      done = (await host.exec.run(g.skipIf, { purpose: 'probe', timeoutSec: 60 })).code === 0;
    } catch {
      done = false;
    }
  }
  if (done) {
    const title = `${g.title} (already in place)`;
    host.emit({ type: 'action-started', stepId: host.step.id, title, kind: 'run' });
    host.emit({ type: 'action-finished', stepId: host.step.id, title, status: 'skipped' });
  }
  return done;
}

class GroupWalk {
  /** Counted as armed from the arm command on: a half-done arm is reverted like a done one. */
  #armed = false;
  /** When the runner must have stopped and reverted; the server's restore comes BUDGET.margin later. */
  #deadline = 0;
  readonly #dm;

  constructor(
    readonly host: GroupHost,
    readonly g: GuardedGroup,
  ) {
    this.#dm = deadmanProtocol(g);
  }

  get #id() {
    return this.host.step.id;
  }

  /** Seconds left before the runner must stop and revert. */
  #left(): number {
    return Math.floor((this.#deadline - Date.now()) / 1000);
  }

  async run(): Promise<boolean> {
    await this.#arm();
    await this.#body();
    await this.#disarm();
    return true;
  }

  /** Backs up what the group touches and starts the server's own restore timer. */
  async #arm(): Promise<void> {
    const { host, g } = this;
    for (const a of this.#dm.prepare) {
      if (host.cancelled()) await this.#fail(a.title, 'cancelled', true);
      const out = await host.action(a);
      if (!out.ok) await this.#fail(a.title, out.why);
    }
    if (host.cancelled()) await this.#fail(this.#dm.arm.title, 'cancelled', true);
    // The window is counted from just before arming: the server's clock starts no earlier.
    this.#deadline = Date.now() + (g.timeoutSec - BUDGET.margin) * 1000;
    // Counted as armed from here: if arming fails half-way (e.g. the connection drops), the revert's
    // restore either undoes it or finds the group never armed and does nothing.
    this.#armed = true;
    const armOut = await host.action(this.#dm.arm);
    if (!armOut.ok) await this.#fail(this.#dm.arm.title, armOut.why);
    host.emit({ type: 'deadman', stepId: this.#id, groupId: g.id, state: 'armed', timeoutSec: g.timeoutSec });
    host.markUnchanged();
  }

  /** The risky actions, then the gates that prove a way in still works, each within what is left of the window. */
  async #body(): Promise<void> {
    const { host, g } = this;
    const outOfTime = (what: string) =>
      this.#fail(what, `the dead-man window of ${g.timeoutSec}s is nearly over (the server restores by itself then), so the group is reverted now`);
    for (const a of g.actions) {
      if (host.cancelled()) await this.#fail(a.title, 'cancelled', true);
      if (this.#left() < 1) await outOfTime(a.title);
      const out = await host.action(a, this.#left());
      if (!out.ok) await this.#fail(a.title, this.#left() < 1 ? `${out.why} (out of time)` : out.why);
    }
    for (const gt of g.gates) {
      if (host.cancelled()) await this.#fail(gt.title, 'cancelled', true);
      if (this.#left() < 1) await outOfTime(gt.title);
      const out = await host.gate(gt, this.#left());
      if (!out.ok) await this.#fail(gt.title, out.why);
    }
  }

  /**
   * Every gate passed: keep the change. disarm fails when the server's restore already started
   * (then the change is gone and the run must say so); a lost answer is retried while time is left.
   */
  async #disarm(): Promise<void> {
    const { host, g } = this;
    let disarmed: Outcome = { ok: false, why: 'not tried' };
    for (let i = 0; i < 3 && !disarmed.ok; i++) {
      disarmed = await host.action(this.#dm.disarm, Math.max(1, this.#left() + BUDGET.margin));
      if (!disarmed.ok && /too late to disarm/.test(disarmed.why)) break;
    }
    if (!disarmed.ok) {
      host.emit({ type: 'step-finished', stepId: this.#id, status: 'failed' });
      const tooLate = /too late to disarm/.test(disarmed.why);
      throw new Stop('failed', [
        tooLate
          ? `What failed: step "${this.#id}": every check passed, but the server's dead-man switch had already started restoring before it could be disarmed: ${sentence(disarmed.why)}`
          : `What failed: step "${this.#id}": every check passed, but the dead-man switch could not be disarmed: ${sentence(disarmed.why)}`,
        tooLate
          ? `What was reverted: the server put ${g.backup.join(', ')} back by itself; your old way in is back.`
          : `What happens next: the server restores ${g.backup.join(', ')} by itself within ${g.timeoutSec}s of arming; your old way in comes back.`,
        host.stateNow(),
        tooLate
          ? 'How to retry: run the same command again; it re-applies this group.'
          : 'How to retry: wait that long, check you can log in, then run the same command again.',
      ]);
    }
    host.emit({ type: 'deadman', stepId: this.#id, groupId: g.id, state: 'disarmed' });
  }

  /** Ends the walk: reverts first when armed, then stops the run with what failed and what was put back. */
  async #fail(what: string, why: string, cancelled = false): Promise<never> {
    const { host, g } = this;
    const id = this.#id;
    if (!this.#armed) {
      const what2 = `Nothing was reverted: the dead-man switch for "${g.id}" was not armed yet and nothing in the group had changed.`;
      if (cancelled) throw host.cancelStop(`before "${g.title}" started changing anything`, [what2]);
      host.emit({ type: 'step-finished', stepId: id, status: 'failed' });
      throw new Stop('failed', [
        `What failed: step "${id}" (${host.step.title}): "${what}": ${sentence(why)}`,
        what2,
        host.stateNow(),
        'How to retry: fix the cause above and run the same command again.',
      ]);
    }
    const reverted = await this.#revert();
    host.emit({ type: 'step-finished', stepId: id, status: reverted.ok ? 'reverted' : 'failed' });
    if (cancelled) throw host.cancelStop(`during "${g.title}"`, [reverted.text]);
    throw new Stop('failed', [
      `What failed: step "${id}" (${host.step.title}): "${what}": ${sentence(why)}`,
      reverted.text,
      host.stateNow(),
      'How to retry: fix the cause above and run the same command again; what is already in place is skipped.',
    ]);
  }

  /**
   * Puts the group's files back now. The restore runs before the timer is
   * stopped: if the admin connection is gone, the timer is still there to do it.
   */
  async #revert(): Promise<{ ok: boolean; text: string }> {
    const { host, g } = this;
    const restored = await host.action(this.#dm.restore);
    if (!restored.ok) {
      return {
        ok: false,
        text: `What was reverted: the revert could not run to the end now (${restored.why}). The server's own dead-man switch restores ${g.backup.join(', ')} within ${g.timeoutSec}s of arming where its backup allows; wait that long, then log in as before.`,
      };
    }
    host.emit({ type: 'deadman', stepId: this.#id, groupId: g.id, state: 'reverted' });
    return {
      ok: true,
      text: `What was reverted: ${g.backup.join(', ')} ${g.backup.length > 1 ? 'are' : 'is'} back as before "${g.title}"${g.afterRestore.length ? ` and the live change was undone (${g.afterRestore.join('; ')})` : ''}.`,
    };
  }
}
