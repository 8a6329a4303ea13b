import type { Key } from 'ink';
import { currentField, type WizardEvent, type WizardState } from './wizard/reducer.js';
import type { Field } from './wizard/types.js';

export interface KeyContext {
  /** Rows the plan view can scroll and its page height. */
  planMax: number;
  page: number;
}

/**
 * The root key bindings, as a pure function: Ctrl-C cancels (or asks to stop
 * during apply), Esc goes back, Enter starts from the welcome screen, and the
 * plan view scrolls. Everything else belongs to the focused input widget.
 */
export function keyToEvent(s: WizardState, input: string, key: Key, k: KeyContext): WizardEvent | null {
  if (key.ctrl && input === 'c') return { type: 'cancel' };
  // On Welcome there is nothing to go back to: Esc leaves, as its key hint says.
  if (key.escape) return s.phase === 'welcome' ? { type: 'cancel' } : { type: 'back' };
  // An Enter typed before Ink put the terminal in raw mode was turned into "\n" by the tty (ICRNL).
  if (s.phase === 'welcome' && (key.return || input === '\n')) return { type: 'start' };
  if (s.phase === 'review' && s.review.mode === 'plan') {
    const scroll = (delta: number): WizardEvent => ({ type: 'scroll', delta, max: k.planMax });
    if (key.downArrow || input === 'j') return scroll(1);
    if (key.upArrow || input === 'k') return scroll(-1);
    if (key.pageDown || input === ' ') return scroll(k.page);
    if (key.pageUp || input === 'b') return scroll(-k.page);
    if (key.home || input === 'g') return scroll(-Infinity);
    if (key.end || input === 'G') return scroll(Infinity);
    if (input === 'q') return { type: 'back' };
  }
  return null;
}

/** Field kinds typed on the line editor (the others are @inkjs/ui choices). */
const LINE_KINDS: ReadonlySet<Field['kind']> = new Set(['text', 'number', 'list', 'secret']);

/**
 * Whether what is typed now is meant for a line input: one is in focus, or one
 * just took Enter and the wizard is busy before the next question. Anything
 * else (a choice, the host-key question, the review) drops what was typed ahead.
 */
export function typesLine(s: WizardState): boolean {
  if (s.hostKey !== null) return false;
  if (s.phase === 'asking') {
    if (s.busy) return true;
    const f = currentField(s);
    return f !== undefined && LINE_KINDS.has(f.kind);
  }
  return s.phase === 'review' && (s.review.mode === 'save-answers' || s.review.mode === 'save-plan');
}
