import { answersSchema, type Answers } from '../../answers/schema.js';
import type { Facts } from '../../plan/facts.js';
import { alertTargets, type AlertResults, type AlertTarget } from '../../rollout/alert-test.js';
import type { RolloutEvent, RolloutResult } from '../../rollout/events.js';
import { walkAll } from '../questions/index.js';
import { applyEvent, initApply, type ApplyState, type PlannedStep } from './apply-state.js';
import type { Draft } from './draft.js';
import { liveError, parseField, parseSecret, type RawInput } from './parse-field.js';
import { locateIssue } from './locate-issue.js';
import type { Field, Values, WalkContext } from './types.js';
import type { HomeInfo, HomeState } from '../home/home-state.js';

/**
 * The wizard as a pure reducer: (state, event) → state. Views dispatch
 * events; side effects (keygen, connect, plan, save, apply) live in the app's
 * effects and report back with events. Cancel is a value (phase "cancelled").
 */
/** home, sections, handoff: the deployed server's menu, the Modify section picker, a menu action handed to the caller (home-reducer.ts). */
export type Phase = 'welcome' | 'asking' | 'review' | 'applying' | 'done' | 'failed' | 'cancelled' | 'home' | 'sections' | 'handoff';
export type ReviewMode = 'summary' | 'plan' | 'save-answers' | 'save-plan';
export type Busy = { kind: 'keygen'; path: string } | { kind: 'connect'; then: string | null };

/**
 * The test alert after a successful apply (phase stays "done"): offered, sent over the open
 * connection, then "did it arrive?". A dry run only says it would. Holds no secret: results and
 * report lines only.
 */
export type AlertStage = 'dry-run' | 'offer' | 'sending' | 'ask' | 'arrived' | 'missing' | 'skipped';
export interface AlertState {
  stage: AlertStage;
  targets: AlertTarget[];
  results: AlertResults | null;
  /** One line per target once sent (never a URL or topic). */
  lines: string[];
  /** Why it could not be sent or checked (connection lost, nothing configured on the server). */
  error: string | null;
}
/** Stages where nothing more is asked or sent. */
export const alertSettled = (a: AlertState | null): boolean => !a || ['dry-run', 'arrived', 'missing', 'skipped'].includes(a.stage);

export interface WizardState {
  phase: Phase;
  dryRun: boolean;
  /** A real connection will be made once the target is known (not a dry run). */
  online: boolean;
  base: Draft;
  ctx: WalkContext;
  values: Values;
  cursor: string | null;
  history: string[];
  error: string | null;
  busy: Busy | null;
  connectedTo: string | null;
  /** The host-key question while connecting, or null. */
  hostKey: string | null;
  answers: Answers | null;
  review: { mode: ReviewMode; scroll: number; notice: string | null; error: string | null };
  apply: ApplyState | null;
  abort: 'none' | 'confirming' | 'requested';
  result: RolloutResult | null;
  /** Could not go on (unreachable host with the target given by flags): exit 1. */
  fatal: string | null;
  /** The test alert after a successful apply with an alert target; null when there is none to send. */
  alert: AlertState | null;
  /** The deployed server's summary and menu (src/ui/home/); null when the wizard runs without them. */
  home: HomeState | null;
}

export type ReviewAction = 'view-plan' | 'save-answers' | 'save-plan' | 'back' | 'quit';

export type WizardEvent =
  | { type: 'start' }
  | { type: 'edit'; fieldId: string; text: string }
  | { type: 'answer'; raw: RawInput }
  | { type: 'field-error'; message: string | null }
  | { type: 'back' }
  | { type: 'cancel' }
  | { type: 'effect-done'; facts?: Facts; home?: HomeInfo | null }
  | { type: 'effect-failed'; message: string }
  | { type: 'host-key'; text: string | null }
  | { type: 'review'; action: ReviewAction }
  | { type: 'scroll'; delta: number; max: number }
  | { type: 'saved'; message: string }
  | { type: 'save-failed'; message: string }
  | { type: 'plan-error'; message: string | null }
  | { type: 'apply-start'; steps: PlannedStep[]; at: number }
  | { type: 'rollout'; event: RolloutEvent; at: number }
  | { type: 'finished'; result: RolloutResult }
  | { type: 'abort'; yes: boolean }
  /** The answer to the open test-alert question ("Send a test alert now?", then "Did it arrive?"). */
  | { type: 'alert'; yes: boolean }
  | { type: 'alert-sent'; results: AlertResults; lines: string[]; code: 0 | 2 | null }
  | { type: 'alert-failed'; message: string };

export function initWizard(o: { base: Draft; ctx: WalkContext; dryRun: boolean; online: boolean; home?: HomeState }): WizardState {
  return {
    phase: 'welcome',
    dryRun: o.dryRun,
    online: o.online,
    base: o.base,
    ctx: o.ctx,
    values: {},
    cursor: null,
    history: [],
    error: null,
    busy: null,
    connectedTo: null,
    hostKey: null,
    answers: null,
    review: { mode: 'summary', scroll: 0, notice: null, error: null },
    apply: null,
    abort: 'none',
    result: null,
    fatal: null,
    alert: null,
    home: o.home ?? null,
  };
}

export const fieldsOf = (s: Pick<WizardState, 'base' | 'values' | 'ctx'>): Field[] => walkAll(s.base, s.values, s.ctx).fields;
export const currentField = (s: WizardState): Field | undefined => (s.cursor ? fieldsOf(s).find((f) => f.id === s.cursor) : undefined);

function nextAskable(s: WizardState, afterId: string | null): string | null {
  const fields = fieldsOf(s);
  const from = afterId === null ? -1 : fields.findIndex((f) => f.id === afterId);
  return fields.slice(from + 1).find((f) => !f.given)?.id ?? null;
}

const targetKey = (s: WizardState): string => JSON.stringify(walkAll(s.base, s.values, s.ctx).draft.target ?? {});

/** Moves to `next` (null = past the last question), connecting first when the target screen is left. */
function goto(s: WizardState, next: string | null): WizardState {
  const history = s.cursor ? [...s.history, s.cursor] : s.history;
  const field = next ? fieldsOf(s).find((f) => f.id === next) : undefined;
  const leavingTarget = !field || field.screen !== 'target';
  if (s.online && leavingTarget && s.connectedTo !== targetKey(s)) return { ...s, phase: 'asking', error: null, busy: { kind: 'connect', then: next } };
  if (next) return { ...s, phase: 'asking', cursor: next, history, error: null, busy: null };
  return finish({ ...s, history, busy: null });
}

/** Past the last question: the whole draft must pass the answers schema (cross-field rules included). */
function finish(s: WizardState): WizardState {
  const walk = walkAll(s.base, s.values, s.ctx);
  const r = answersSchema.safeParse(walk.draft);
  if (r.success)
    return { ...s, phase: 'review', cursor: null, error: null, answers: r.data, review: { mode: 'summary', scroll: 0, notice: null, error: null } };
  const issue = r.error.issues[0];
  const at = locateIssue(walk.fields, issue);
  if (at && !at.given) return { ...s, phase: 'asking', cursor: at.id, error: issue.message };
  return {
    ...s,
    phase: 'review',
    cursor: null,
    answers: null,
    review: {
      mode: 'summary',
      scroll: 0,
      notice: null,
      error: `${issue.message} (this comes from your flags, environment or answers file: fix it there and run again)`,
    },
  };
}

function answer(s: WizardState, raw: RawInput): WizardState {
  const field = currentField(s);
  if (!field || s.busy) return s;
  if (field.kind === 'secret') {
    const prior = s.values[field.id];
    if (raw === '' && prior !== undefined) return goto(s, nextAskable(s, field.id));
    const r = parseSecret(field, String(raw));
    if (!r.ok) return { ...s, error: r.error };
    return goto({ ...s, values: { ...s.values, [field.id]: r.value } }, nextAskable({ ...s, values: { ...s.values, [field.id]: r.value } }, field.id));
  }
  const r = parseField(field, raw);
  if (!r.ok) return { ...s, error: r.error };
  const next = { ...s, values: { ...s.values, [field.id]: r.value }, error: null };
  if (field.effect === 'keygen') return { ...next, busy: { kind: 'keygen', path: String(r.value) } };
  return goto(next, nextAskable(next, field.id));
}

function back(s: WizardState): WizardState {
  if (s.phase === 'applying') return s.abort === 'confirming' ? { ...s, abort: 'none' } : s;
  if (s.busy || s.hostKey) return s;
  if (s.phase === 'review' && s.review.mode !== 'summary') return { ...s, review: { ...s.review, mode: 'summary', error: s.answers ? null : s.review.error } };
  if (s.phase !== 'asking' && s.phase !== 'review') return s;
  const fields = fieldsOf(s);
  const history = [...s.history];
  while (history.length) {
    const id = history.pop()!;
    if (fields.some((f) => f.id === id && !f.given)) return { ...s, phase: 'asking', cursor: id, history, error: null };
  }
  // Every answer was given (answers file, Keep): the questions to go back to are a section to pick.
  if (s.phase === 'review') return { ...s, phase: 'sections', cursor: null, history: [], error: null };
  return { ...s, phase: 'welcome', cursor: null, history: [], error: null };
}

function cancel(s: WizardState): WizardState {
  if (s.phase === 'done' && s.alert?.stage === 'offer') return { ...s, alert: { ...s.alert, stage: 'skipped' } };
  if (s.phase === 'done' && s.alert?.stage === 'ask') return { ...s, alert: { ...s.alert, stage: 'missing' } };
  if (s.phase === 'applying') return { ...s, abort: s.abort === 'none' ? 'confirming' : 'requested' };
  if (s.phase === 'done' || s.phase === 'failed' || s.phase === 'cancelled') return s;
  return { ...s, phase: 'cancelled', busy: null, hostKey: null };
}

export function reducer(s: WizardState, e: WizardEvent): WizardState {
  switch (e.type) {
    case 'start':
      return s.phase === 'welcome' ? goto({ ...s, cursor: null }, nextAskable(s, null)) : s;
    case 'edit': {
      const f = currentField(s);
      return f && s.phase === 'asking' && f.id === e.fieldId && !s.busy ? { ...s, error: liveError(f, e.text) } : s;
    }
    case 'answer':
      return s.phase === 'asking' ? answer(s, e.raw) : s;
    case 'field-error':
      return s.phase === 'asking' ? { ...s, error: e.message } : s;
    case 'back':
      return back(s);
    case 'cancel':
      return cancel(s);
    case 'effect-done': {
      if (!s.busy) return s;
      if (s.busy.kind === 'keygen') return goto({ ...s, busy: null }, nextAskable(s, s.cursor));
      const wanted = s.busy.then;
      const connected = { ...s, busy: null, hostKey: null, connectedTo: targetKey(s), ctx: e.facts ? { ...s.ctx, facts: e.facts } : s.ctx };
      const then = wanted && fieldsOf(connected).some((f) => f.id === wanted) ? wanted : nextAskable(connected, s.cursor);
      return goto(connected, then);
    }
    case 'effect-failed': {
      if (!s.busy) return s;
      if (s.busy.kind === 'keygen') return { ...s, busy: null, error: e.message };
      const host = fieldsOf(s).find((f) => f.screen === 'target' && !f.given);
      if (!host) return { ...s, busy: null, hostKey: null, phase: 'failed', fatal: e.message };
      return {
        ...s,
        busy: null,
        hostKey: null,
        phase: 'asking',
        cursor: host.id,
        history: s.cursor && s.cursor !== host.id ? [...s.history, s.cursor] : s.history,
        error: e.message,
      };
    }
    case 'host-key':
      return { ...s, hostKey: e.text };
    case 'review':
      if (s.phase !== 'review') return s;
      if (e.action === 'quit') return cancel(s);
      if (e.action === 'back') return back({ ...s, review: { ...s.review, mode: 'summary' } });
      return { ...s, review: { ...s.review, mode: e.action === 'view-plan' ? 'plan' : e.action, scroll: 0, notice: null } };
    case 'scroll':
      return { ...s, review: { ...s.review, scroll: Math.max(0, Math.min(e.max, s.review.scroll + e.delta)) } };
    case 'saved':
      return { ...s, review: { ...s.review, mode: 'summary', notice: e.message, error: null } };
    case 'save-failed':
      return { ...s, review: { ...s.review, error: e.message } };
    case 'plan-error':
      return { ...s, review: { ...s.review, error: e.message } };
    case 'apply-start':
      return s.phase === 'review' && s.answers && !s.review.error ? { ...s, phase: 'applying', apply: initApply(e.steps, e.at), abort: 'none' } : s;
    case 'rollout':
      return s.apply ? { ...s, apply: applyEvent(s.apply, e.event, e.at) } : s;
    case 'finished': {
      const done = e.result.status === 'done';
      return { ...s, phase: done ? 'done' : 'failed', result: e.result, abort: 'none', alert: done ? alertOffer(s) : null };
    }
    case 'abort':
      return s.phase === 'applying' && s.abort === 'confirming' ? { ...s, abort: e.yes ? 'requested' : 'none' } : s;
    case 'alert':
      if (s.phase !== 'done' || !s.alert) return s;
      if (s.alert.stage === 'offer') return { ...s, alert: { ...s.alert, stage: e.yes ? 'sending' : 'skipped' } };
      if (s.alert.stage === 'ask') return { ...s, alert: { ...s.alert, stage: e.yes ? 'arrived' : 'missing' } };
      return s;
    case 'alert-sent': {
      if (s.alert?.stage !== 'sending') return s;
      const sent = { ...s.alert, results: e.results, lines: e.lines };
      if (e.code === null) return { ...s, alert: { ...sent, stage: 'missing', error: 'no alert target is configured on the server' } };
      // Nothing was delivered: no point asking whether it arrived.
      if (!Object.values(e.results).includes('ok')) return { ...s, alert: { ...sent, stage: 'missing' } };
      return { ...s, alert: { ...sent, stage: 'ask' } };
    }
    case 'alert-failed':
      return s.alert?.stage === 'sending' ? { ...s, alert: { ...s.alert, stage: 'missing', error: e.message } } : s;
  }
}

/** After a successful apply: offer the test alert when the plan set up an alert target (a dry run only says it would). */
function alertOffer(s: WizardState): AlertState | null {
  const targets = s.answers ? alertTargets(s.answers) : [];
  if (!targets.length || (!s.dryRun && !s.online)) return null;
  return { stage: s.dryRun ? 'dry-run' : 'offer', targets, results: null, lines: [], error: null };
}

/** The process exit code for a finished wizard (DESIGN: 0 done, 1 user error, 2 failed and reverted, 130 cancelled). */
export function exitCode(s: WizardState): number {
  if (s.phase === 'done') return 0;
  if (s.phase === 'cancelled') return 130;
  if (s.fatal) return 1;
  return s.result?.status === 'cancelled' ? 130 : 2;
}
