import type { PlanStepId } from '../plan/action.js';
import type { ExecResult, Executor } from '../exec/types.js';
import type { Action, GateAction, GuardedGroup, Plan, RunAction, Step, WriteAction } from '../plan/action.js';
import { actionBudgetSec, BUDGET, deadmanProtocol, gateBudgetSec } from '../plan/guard.js';
import { redactKnown, type Secret } from '../core/secret.js';
import { terminalSafe } from '../core/terminal-text.js';
import type { RolloutEvent, RolloutListener, RolloutResult } from './events.js';
import { checkGate, tail } from './gates.js';
import { collectProbes, runProbes } from './probe-batch.js';

export interface RunPlanOptions {
  /** Abort = SIGINT/SIGTERM: stop before the next action; inside an armed group, revert it first. */
  signal?: AbortSignal;
  /** Every secret the plan holds: scrubbed from every event and report line. */
  secrets: Secret[];
  /** Waits between gate retries (tests pass a fast one). */
  wait?: (ms: number) => Promise<void>;
  /**
   * Answer the checks of what is left of the plan in one round trip, until
   * something changes (src/rollout/probe-batch.ts). Real runs set it; the
   * runner's unit tests leave it off to see every single check.
   */
  batchProbes?: boolean;
  /**
   * Awaited before each step and each top-level action (never inside a guarded group, whose
   * dead-man window is running): a front end holds the run here while it asks whether to stop.
   */
  hold?: () => Promise<void>;
}

/** How one action ended. */
type Outcome = { ok: true; did: boolean } | { ok: false; why: string };

/** Raised inside the walk to stop it; carries the plain-words report. */
class Stop {
  constructor(
    readonly status: 'failed' | 'cancelled',
    readonly report: string[],
  ) {}
}

/** Ends a clause with exactly one full stop. */
const sentence = (s: string) => `${s.replace(/[.\s]+$/, '')}.`;

const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Applies a plan through an executor, step by step, in order. Gates stop
 * everything after them when they fail. A guarded group is armed on the
 * server before its first change, reverted at once when anything in it fails
 * (or the run is cancelled), and disarmed only after every gate passed.
 */
export async function runPlan(plan: Plan, exec: Executor, onEvent: RolloutListener, opts: RunPlanOptions): Promise<RolloutResult> {
  return new Runner(exec, onEvent, opts).run(plan);
}

class Runner {
  readonly #done: PlanStepId[] = [];
  #step!: Step;
  /** Anything in this run changed the server (a finished step did something): gates with `onlyAfterChange` run. */
  #runChanged = false;
  /** Something earlier in the current step changed the server. */
  #stepDid = false;
  /** A write in the current step (or group) changed a file: `when: "changed"` actions run. */
  #changed = false;
  /** Every top-level action of the plan in order, and how far the run is: what a probe batch covers. */
  #all: Action[] = [];
  #pos = 0;
  /** Answers of the last probe batch; null once anything changed (the next check asks again). */
  #known: Map<object, boolean> | null = null;

  constructor(
    readonly exec: Executor,
    readonly listener: RolloutListener,
    readonly opts: RunPlanOptions,
  ) {}

  #emit(e: RolloutEvent): void {
    const clean = { ...e } as Record<string, unknown>;
    for (const k of ['title', 'detail', 'line'] as const) if (typeof clean[k] === 'string') clean[k] = this.#redact(clean[k] as string);
    this.listener(clean as unknown as RolloutEvent);
  }

  #redact(s: string): string {
    // Event lines and reports carry server output (docker logs, stderr): never raw to a terminal.
    return terminalSafe(redactKnown(s, this.opts.secrets));
  }

  get #cancelled(): boolean {
    return Boolean(this.opts.signal?.aborted);
  }

  async run(plan: Plan): Promise<RolloutResult> {
    this.#all = plan.steps.flatMap((s) => s.actions);
    try {
      for (const step of plan.steps) {
        if (this.opts.hold) await this.opts.hold();
        if (this.#cancelled) throw this.#cancelStop('before the next step');
        await this.#runStep(step);
      }
    } catch (e) {
      if (e instanceof Stop) return { status: e.status, report: e.report.map((l) => this.#redact(l)) };
      throw e;
    }
    return {
      status: 'done',
      report: [`All ${plan.steps.length} steps are in place: ${plan.steps.map((s) => s.id).join(', ')}.`],
    };
  }

  #cancelStop(where: string, extra: string[] = []): Stop {
    return new Stop('cancelled', [
      `Cancelled ${where} (step "${this.#step?.id ?? 'none'}").`,
      ...extra,
      this.#stateNow(),
      'How to go on: run the same command again; what is already in place is skipped.',
    ]);
  }

  #stateNow(): string {
    return this.#done.length
      ? `State now: these steps are in place: ${this.#done.join(', ')}; nothing after them ran. Your login works as it did after them.`
      : 'State now: no step was completed; nothing risky was changed.';
  }

  async #runStep(step: Step): Promise<void> {
    this.#step = step;
    this.#changed = false;
    this.#stepDid = false;
    this.#emit({ type: 'step-started', stepId: step.id, title: step.title });
    for (const a of step.actions) {
      if (this.opts.hold) await this.opts.hold();
      if (this.#cancelled) throw this.#cancelStop('before the next action');
      this.#pos = this.#all.indexOf(a);
      if (a.kind === 'guarded') {
        const changed = await this.#runGroup(a);
        if (changed) this.#known = null;
        this.#stepDid ||= changed;
        continue;
      }
      const out = a.kind === 'gate' ? await this.#gate(a) : await this.#action(a, false);
      if (!out.ok && this.#cancelled)
        throw this.#cancelStop(`while "${a.title}" ran`, ['That command was stopped where it was; it is not one that can lock you out.']);
      if (!out.ok) {
        this.#emit({ type: 'step-finished', stepId: step.id, status: 'failed' });
        throw new Stop('failed', [
          `What failed: step "${step.id}" (${step.title}): ${a.kind === 'gate' ? 'the check' : 'the action'} "${a.title}": ${sentence(out.why)}`,
          'What was reverted: nothing needed reverting: this action is not one that can lock you out, and nothing after it ran.',
          this.#stateNow(),
          'How to retry: fix the cause above and run the same command again; what is already in place is skipped.',
        ]);
      }
      if (out.did) this.#known = null;
      this.#stepDid ||= out.did;
    }
    if (this.#stepDid) this.#runChanged = true;
    this.#done.push(step.id);
    this.#emit({ type: 'step-finished', stepId: step.id, status: this.#stepDid ? 'done' : 'skipped' });
  }

  /**
   * The batched answer for a check of a top-level action (its skipIf, a
   * write's "already exactly this", a remote gate), asking for all remaining
   * ones at once when the last answers are stale; undefined = check it alone.
   */
  async #ask(key: object | undefined): Promise<boolean | undefined> {
    if (!this.opts.batchProbes || !key) return undefined;
    if (!this.#known) {
      try {
        this.#known = await runProbes(this.exec, collectProbes(this.#all.slice(this.#pos)));
      } catch {
        this.#known = new Map();
      }
    }
    return this.#known.get(key);
  }

  /**
   * A run or write. `inGroup`: not abandoned on cancel (a half-applied guarded
   * change must be reverted, not cut). `limitSec`: the most this may take (what
   * is left of a dead-man window); a run's own timeoutSec is kept when shorter.
   */
  async #action(a: RunAction | WriteAction, inGroup: boolean, limitSec?: number): Promise<Outcome> {
    const id = this.#step.id;
    this.#emit({ type: 'action-started', stepId: id, title: a.title, kind: a.kind });
    const finish = (o: Outcome, status: 'done' | 'skipped' | 'failed'): Outcome => {
      this.#emit({ type: 'action-finished', stepId: id, title: a.title, status });
      return o;
    };
    try {
      if (a.kind === 'run' && a.when === 'changed' && !this.#changed) return finish({ ok: true, did: false }, 'skipped');
      const cap = (own: number) => (limitSec === undefined ? own : Math.max(1, Math.min(own, limitSec)));
      if (a.skipIf) {
        const known = inGroup ? undefined : await this.#ask(a.skipIf);
        if (known === true) return finish({ ok: true, did: false }, 'skipped');
        if (known === undefined) {
          const p = await this.exec.run(a.skipIf, { purpose: 'probe', timeoutSec: cap(60) });
          if (p.code === 0) return finish({ ok: true, did: false }, 'skipped');
        }
      }
      if (a.kind === 'write' && !inGroup && (await this.#ask(a)) === true) return finish({ ok: true, did: false }, 'skipped');
      if (a.kind === 'write') {
        const { changed } = await this.exec.write(a, limitSec === undefined ? {} : { timeoutSec: cap(actionBudgetSec(a)) });
        if (changed) this.#changed = true;
        return finish({ ok: true, did: changed }, changed ? 'done' : 'skipped');
      }
      const signal = inGroup ? undefined : this.opts.signal;
      const timeoutSec = limitSec === undefined ? a.timeoutSec : cap(actionBudgetSec(a));
      const r = await this.exec.run(a.argv, { stdin: a.stdin, timeoutSec, purpose: 'action', ...(signal ? { signal } : {}) });
      if (r.code !== 0) {
        for (const line of `${r.stderr}\n${r.stdout}`
          .split('\n')
          .filter((l) => l.trim())
          .slice(-8))
          this.#emit({ type: 'output', stepId: id, line });
        return finish({ ok: false, why: `exit ${r.code}${tail(r) ? `: ${tail(r)}` : ''}` }, 'failed');
      }
      return finish({ ok: true, did: true }, 'done');
    } catch (e) {
      return finish({ ok: false, why: errText(e) }, 'failed');
    }
  }

  /** `limitSec`: what is left of a dead-man window; the gate gets no more than that. */
  async #gate(g: GateAction, limitSec?: number): Promise<Outcome> {
    const id = this.#step.id;
    this.#emit({ type: 'action-started', stepId: id, title: g.title, kind: 'gate' });
    this.#emit({ type: 'gate', stepId: id, title: g.title, status: 'running' });
    if (g.check.type === 'remote' && g.check.onlyAfterChange && !this.#runChanged && !this.#stepDid) {
      this.#emit({
        type: 'gate',
        stepId: id,
        title: g.title,
        status: 'passed',
        detail: 'not run: nothing changed in this run (claw-setup audit runs it on demand)',
      });
      this.#emit({ type: 'action-finished', stepId: id, title: g.title, status: 'skipped' });
      return { ok: true, did: false };
    }
    let r: ExecResult;
    try {
      if (limitSec === undefined && (await this.#ask(g.check)) === true) r = { code: 0, stdout: '', stderr: '' };
      else
        r = await checkGate(this.exec, g.check, limitSec === undefined ? gateBudgetSec(g.check) : Math.min(gateBudgetSec(g.check), limitSec), this.opts.wait);
    } catch (e) {
      r = { code: 1, stdout: '', stderr: errText(e) };
    }
    const detail = tail(r, 2);
    const passed = r.code === 0;
    this.#emit({ type: 'gate', stepId: id, title: g.title, status: passed ? 'passed' : 'failed', ...(detail ? { detail } : {}) });
    this.#emit({ type: 'action-finished', stepId: id, title: g.title, status: passed ? 'done' : 'failed' });
    return passed ? { ok: true, did: false } : { ok: false, why: detail || `exit ${r.code}` };
  }

  /**
   * A guarded group. Returns whether it changed anything; throws Stop when it
   * failed (after reverting) or was cancelled (after reverting).
   */
  async #runGroup(g: GuardedGroup): Promise<boolean> {
    const id = this.#step.id;
    if (g.skipIf) {
      const known = await this.#ask(g.skipIf);
      let inPlace = known === true;
      if (known === undefined) {
        try {
          inPlace = (await this.exec.run(g.skipIf, { purpose: 'probe', timeoutSec: 60 })).code === 0;
        } catch {
          inPlace = false;
        }
      }
      if (inPlace) {
        this.#emit({ type: 'action-started', stepId: id, title: `${g.title} (already in place)`, kind: 'run' });
        this.#emit({ type: 'action-finished', stepId: id, title: `${g.title} (already in place)`, status: 'skipped' });
        return false;
      }
    }
    const stepChanged = this.#changed;
    this.#changed = false;
    let armed = false;
    const fail = async (what: string, why: string, cancelled = false): Promise<never> => {
      if (!armed) {
        const what2 = `Nothing was reverted: the dead-man switch for "${g.id}" was not armed yet and nothing in the group had changed.`;
        if (cancelled) throw this.#cancelStop(`before "${g.title}" started changing anything`, [what2]);
        this.#emit({ type: 'step-finished', stepId: id, status: 'failed' });
        throw new Stop('failed', [
          `What failed: step "${id}" (${this.#step.title}): "${what}": ${sentence(why)}`,
          what2,
          this.#stateNow(),
          'How to retry: fix the cause above and run the same command again.',
        ]);
      }
      const reverted = await this.#revert(g);
      this.#emit({ type: 'step-finished', stepId: id, status: reverted.ok ? 'reverted' : 'failed' });
      if (cancelled) throw this.#cancelStop(`during "${g.title}"`, [reverted.text]);
      throw new Stop('failed', [
        `What failed: step "${id}" (${this.#step.title}): "${what}": ${sentence(why)}`,
        reverted.text,
        this.#stateNow(),
        'How to retry: fix the cause above and run the same command again; what is already in place is skipped.',
      ]);
    };

    const dm = deadmanProtocol(g);
    for (const a of dm.prepare) {
      if (this.#cancelled) await fail(a.title, 'cancelled', true);
      const out = await this.#action(a, true);
      if (!out.ok) await fail(a.title, out.why);
    }
    if (this.#cancelled) await fail(dm.arm.title, 'cancelled', true);
    // The window is counted from just before arming: the server's clock starts no earlier.
    const deadline = Date.now() + (g.timeoutSec - BUDGET.margin) * 1000;
    // Counted as armed from here: if arming fails half-way (e.g. the connection drops), the revert's
    // restore either undoes it or finds the group never armed and does nothing.
    armed = true;
    const armOut = await this.#action(dm.arm, true);
    if (!armOut.ok) await fail(dm.arm.title, armOut.why);
    this.#emit({ type: 'deadman', stepId: id, groupId: g.id, state: 'armed', timeoutSec: g.timeoutSec });
    /** Seconds left before the runner must stop and revert; the server's restore comes BUDGET.margin later. */
    const left = () => Math.floor((deadline - Date.now()) / 1000);
    const outOfTime = (what: string) =>
      fail(what, `the dead-man window of ${g.timeoutSec}s is nearly over (the server restores by itself then), so the group is reverted now`);
    this.#changed = false;
    for (const a of g.actions) {
      if (this.#cancelled) await fail(a.title, 'cancelled', true);
      if (left() < 1) await outOfTime(a.title);
      const out = await this.#action(a, true, left());
      if (!out.ok) await fail(a.title, left() < 1 ? `${out.why} (out of time)` : out.why);
    }
    for (const gt of g.gates) {
      if (this.#cancelled) await fail(gt.title, 'cancelled', true);
      if (left() < 1) await outOfTime(gt.title);
      const out = await this.#gate(gt, left());
      if (!out.ok) await fail(gt.title, out.why);
    }
    // Every gate passed: keep the change. disarm fails when the server's restore already started
    // (then the change is gone and the run must say so); a lost answer is retried while time is left.
    let disarmed: Outcome = { ok: false, why: 'not tried' };
    for (let i = 0; i < 3 && !disarmed.ok; i++) {
      disarmed = await this.#action(dm.disarm, true, Math.max(1, left() + BUDGET.margin));
      if (!disarmed.ok && /too late to disarm/.test(disarmed.why)) break;
    }
    if (!disarmed.ok) {
      this.#emit({ type: 'step-finished', stepId: id, status: 'failed' });
      const tooLate = /too late to disarm/.test(disarmed.why);
      throw new Stop('failed', [
        tooLate
          ? `What failed: step "${id}": every check passed, but the server's dead-man switch had already started restoring before it could be disarmed: ${sentence(disarmed.why)}`
          : `What failed: step "${id}": every check passed, but the dead-man switch could not be disarmed: ${sentence(disarmed.why)}`,
        tooLate
          ? `What was reverted: the server put ${g.backup.join(', ')} back by itself; your old way in is back.`
          : `What happens next: the server restores ${g.backup.join(', ')} by itself within ${g.timeoutSec}s of arming; your old way in comes back.`,
        this.#stateNow(),
        tooLate
          ? 'How to retry: run the same command again; it re-applies this group.'
          : 'How to retry: wait that long, check you can log in, then run the same command again.',
      ]);
    }
    this.#emit({ type: 'deadman', stepId: id, groupId: g.id, state: 'disarmed' });
    this.#changed = stepChanged || this.#changed;
    return true;
  }

  /**
   * Puts the group's files back now. The restore runs before the timer is
   * stopped: if the admin connection is gone, the timer is still there to do it.
   */
  async #revert(g: GuardedGroup): Promise<{ ok: boolean; text: string }> {
    const restored = await this.#action(deadmanProtocol(g).restore, true);
    if (!restored.ok) {
      return {
        ok: false,
        text: `What was reverted: the revert could not run to the end now (${restored.why}). The server's own dead-man switch restores ${g.backup.join(', ')} within ${g.timeoutSec}s of arming where its backup allows; wait that long, then log in as before.`,
      };
    }
    this.#emit({ type: 'deadman', stepId: this.#step.id, groupId: g.id, state: 'reverted' });
    return {
      ok: true,
      text: `What was reverted: ${g.backup.join(', ')} ${g.backup.length > 1 ? 'are' : 'is'} back as before "${g.title}"${g.afterRestore.length ? ` and the live change was undone (${g.afterRestore.join('; ')})` : ''}.`,
    };
  }
}
