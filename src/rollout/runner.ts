import type { PlanStepId } from '../plan/action.js';
import type { ExecResult, Executor } from '../exec/types.js';
import type { Action, GateAction, GuardedGroup, Plan, RunAction, Step, WriteAction } from '../plan/action.js';
import { actionBudgetSec, gateBudgetSec } from '../plan/guard.js';
import { redactKnown, type Secret } from '../core/secret.js';
import { terminalSafe } from '../core/terminal-text.js';
import type { RolloutEvent, RolloutListener, RolloutResult } from './events.js';
import { checkGate, tail } from './gates.js';
import { walkGuardedGroup, type GroupHost } from './guarded-walk.js';
import { collectProbes, runProbes } from './probe-batch.js';
import { errText, sentence, Stop, type Outcome } from './stop.js';

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

  /** A guarded group, walked by guarded-walk.ts with this runner's actions, gates and report lines. */
  async #runGroup(g: GuardedGroup): Promise<boolean> {
    const stepChanged = this.#changed;
    this.#changed = false;
    const host: GroupHost = {
      exec: this.exec,
      step: this.#step,
      cancelled: () => this.#cancelled,
      emit: (e) => this.#emit(e),
      ask: (key) => this.#ask(key),
      action: (a, limitSec) => this.#action(a, true, limitSec),
      gate: (gt, limitSec) => this.#gate(gt, limitSec),
      cancelStop: (where, extra) => this.#cancelStop(where, extra),
      stateNow: () => this.#stateNow(),
      markUnchanged: () => (this.#changed = false),
    };
    const changed = await walkGuardedGroup(host, g);
    // A when:"changed" action later in the step runs when the step or the group changed a file.
    this.#changed = stepChanged || this.#changed;
    return changed;
  }
}
