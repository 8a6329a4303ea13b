import { providedPaths } from '../init.js';
import { walkAll } from '../questions/index.js';
import type { HomeEvent, HomeInfo } from '../home/home-state.js';
import { clone, pathKey, type Draft } from './draft.js';
import { fieldsOf, reducer, type WizardEvent, type WizardState } from './reducer.js';
import { SCREENS, screenTitle, type ScreenId, type WalkContext } from './types.js';

export type AnyEvent = WizardEvent | HomeEvent;

const targetOf = (s: Pick<WizardState, 'base' | 'values' | 'ctx'>): string => JSON.stringify(walkAll(s.base, s.values, s.ctx).draft.target ?? {});

/**
 * The wizard's reducer with the deployed server's home around it (issue 21): after the first
 * connection finds a journal, the summary and menu; Keep and Modify load the journal's answers;
 * Modify and Review's "back" (when every answer was given) pick a section to change. Everything
 * else is the question reducer's (reducer.ts).
 */
export function wizardReducer(s: WizardState, e: AnyEvent): WizardState {
  switch (e.type) {
    case 'effect-done': {
      const first = s.busy?.kind === 'connect' && s.home && !s.home.checked;
      const r = reducer(s, e);
      if (!first || !s.home) return r;
      if (!e.home) return { ...r, home: { ...s.home, checked: true } };
      return { ...r, phase: 'home', cursor: null, busy: null, error: null, home: { info: e.home, checked: true, chosen: null } };
    }
    case 'menu':
      if (s.phase !== 'home' || !s.home?.info) return s;
      if (e.action === 'keep') return reducer({ ...fromJournal(s, s.home.info), phase: 'welcome' }, { type: 'start' });
      if (e.action === 'modify') return { ...fromJournal(s, s.home.info), phase: 'sections', error: null };
      return { ...s, phase: 'handoff', home: { ...s.home, chosen: e.action } };
    case 'section':
      if (s.phase !== 'sections') return s;
      return e.screen === null ? leaveSections(s) : reopen(s, e.screen as ScreenId);
    case 'back':
      if (s.phase === 'sections') return leaveSections(s);
      return s.phase === 'home' || s.phase === 'handoff' ? s : reducer(s, e);
    default:
      return reducer(s, e);
  }
}

/**
 * The journal's answers as the wizard's starting point: every one given (shown, not asked),
 * with the target as typed (it is what reached the server). A secret the server's .env holds
 * counts as available: the plan reads it from there (rollout/session.ts planRun), never here.
 */
function fromJournal(s: WizardState, info: HomeInfo): WizardState {
  const draft = walkAll(s.base, s.values, s.ctx).draft;
  const base: Draft = { ...clone(info.journalAnswers), target: { ...(info.journalAnswers.target as object), ...(draft.target as object) } };
  const held = new Set(info.envKeys);
  const available: WalkContext['available'] = (ref) => s.ctx.available(ref) || ('env' in ref && held.has(ref.env));
  const next = { ...s, base, ctx: { ...s.ctx, provided: providedPaths(base), available }, answers: null, history: [] };
  // The same server, already connected: no second connection for a target that only changed its key order.
  return { ...next, connectedTo: s.connectedTo ? targetOf(next) : null };
}

/** Back from the section picker: to the menu when nothing was reviewed yet (Modify), else on to Review. */
function leaveSections(s: WizardState): WizardState {
  if (s.home?.info && !s.answers) return { ...s, phase: 'home', error: null };
  return reducer({ ...s, phase: 'welcome', error: null }, { type: 'start' });
}

/** Makes one section's answers questions again (their values as they are now), from its first question. */
function reopen(s: WizardState, screen: ScreenId): WizardState {
  const keys = fieldsOf(s)
    .filter((f) => f.screen === screen)
    .map((f) => (f.path ? pathKey(f.path) : f.id));
  const provided = new Set([...s.ctx.provided].filter((p) => !keys.some((k) => p === k || p.startsWith(`${k}.`))));
  const next = { ...s, ctx: { ...s.ctx, provided } };
  const first = fieldsOf(next).find((f) => f.screen === screen && !f.given);
  if (!first) return { ...s, error: `nothing on the ${screenTitle(screen)} screen can be changed here` };
  return { ...next, phase: 'asking', cursor: first.id, history: [], error: null, answers: null };
}

/** The sections the picker offers: those with a question (given or not) in this walk. */
export function sectionsOf(s: WizardState): { id: ScreenId; title: string; given: number }[] {
  const fields = fieldsOf(s);
  return SCREENS.filter(([id]) => fields.some((f) => f.screen === id)).map(([id, title]) => ({
    id,
    title,
    given: fields.filter((f) => f.screen === id && f.given).length,
  }));
}
