import type { PlanStepId } from '../../plan/action.js';
import type { Action, Plan } from '../../plan/action.js';
import type { RolloutEvent } from '../../rollout/events.js';

/** What the apply screen shows, folded from RolloutEvents. Pure. */
export type StepStatus = 'pending' | 'running' | 'done' | 'skipped' | 'failed' | 'reverted';

export interface ApplyStep {
  id: PlanStepId;
  title: string;
  status: StepStatus;
  /** Estimated number of actions (for the progress bar) and how many have finished. */
  actions: number;
  finished: number;
  /** Only checks (gates): "skipped" then means "checked, nothing to change". */
  checksOnly?: boolean;
}
export interface GateLine {
  stepId: PlanStepId;
  title: string;
  status: 'running' | 'passed' | 'failed';
  detail?: string;
}
export interface DeadmanLine {
  groupId: string;
  state: 'armed' | 'disarmed' | 'reverted';
  timeoutSec?: number;
  at: number;
}
export interface ApplyState {
  steps: ApplyStep[];
  action: { stepId: PlanStepId; title: string; kind: 'run' | 'write' | 'gate' } | null;
  tail: string[];
  gates: GateLine[];
  deadman: DeadmanLine[];
  startedAt: number;
}

export const TAIL_LINES = 4;
const MAX_LINE = 200;

function countActions(a: Action): number {
  // A guarded group also runs its setup (5 actions) and the disarm.
  return a.kind === 'guarded' ? 6 + a.actions.length + a.gates.length : 1;
}

/** The step list for the apply screen, from the plan. */
export type PlannedStep = Pick<ApplyStep, 'id' | 'title' | 'actions' | 'checksOnly'>;

export function planSteps(plan: Plan): PlannedStep[] {
  return plan.steps.map((s) => ({
    id: s.id,
    title: s.title,
    actions: Math.max(
      1,
      s.actions.reduce((n, a) => n + countActions(a), 0),
    ),
    checksOnly: s.actions.every((a) => a.kind === 'gate'),
  }));
}

export function initApply(steps: PlannedStep[], at: number): ApplyState {
  return { steps: steps.map((s) => ({ ...s, status: 'pending', finished: 0 })), action: null, tail: [], gates: [], deadman: [], startedAt: at };
}

const clip = (s: string) => (s.length > MAX_LINE ? `${s.slice(0, MAX_LINE - 1)}…` : s).replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '?');

function updateStep(s: ApplyState, id: PlanStepId, f: (x: ApplyStep) => ApplyStep): ApplyStep[] {
  return s.steps.map((x) => (x.id === id ? f(x) : x));
}

export function applyEvent(s: ApplyState, e: RolloutEvent, at: number): ApplyState {
  switch (e.type) {
    case 'step-started':
      return { ...s, steps: updateStep(s, e.stepId, (x) => ({ ...x, status: 'running' })) };
    case 'step-finished':
      return {
        ...s,
        action: s.action?.stepId === e.stepId ? null : s.action,
        steps: updateStep(s, e.stepId, (x) => ({ ...x, status: e.status, finished: e.status === 'done' || e.status === 'skipped' ? x.actions : x.finished })),
      };
    case 'action-started':
      return { ...s, action: { stepId: e.stepId, title: e.title, kind: e.kind } };
    case 'action-finished':
      return { ...s, steps: updateStep(s, e.stepId, (x) => ({ ...x, finished: Math.min(x.actions, x.finished + 1) })) };
    case 'output':
      return { ...s, tail: [...s.tail, ...e.line.split('\n').filter(Boolean).map(clip)].slice(-TAIL_LINES) };
    case 'gate': {
      const line: GateLine = { stepId: e.stepId, title: e.title, status: e.status, ...(e.detail ? { detail: clip(e.detail) } : {}) };
      const rest = s.gates.filter((g) => !(g.stepId === e.stepId && g.title === e.title));
      return { ...s, gates: [...rest, line].slice(-3) };
    }
    case 'deadman': {
      const line: DeadmanLine = { groupId: e.groupId, state: e.state, at, ...(e.timeoutSec ? { timeoutSec: e.timeoutSec } : {}) };
      return { ...s, deadman: [...s.deadman.filter((d) => d.groupId !== e.groupId), line] };
    }
  }
}

/** 0–100 for the progress bar: finished steps plus the share of the current one. */
export function progress(s: ApplyState): number {
  if (!s.steps.length) return 100;
  const done = s.steps.reduce((n, x) => n + (x.status === 'pending' ? 0 : x.status === 'running' ? x.finished / x.actions : 1), 0);
  return Math.round((done / s.steps.length) * 100);
}
