// The wizard reducer as a table, state × event → state: the shared runner and the states the
// tables start from (reducer.test.ts: asking; reducer-review.test.ts: review and apply).
import { describe, expect, it } from 'vitest';
import { assumedFacts } from '../../src/plan/facts.js';
import { Secret } from '../../src/core/secret.js';
import { reducer, type WizardEvent, type WizardState } from '../../src/ui/wizard/reducer.js';
import { answerUntil, fresh, run } from './helpers.js';

export const facts = { ...assumedFacts('debian-12', 'root', '198.51.100.7'), source: 'probed' as const };
export const review = () => answerUntil(fresh(), null);
export const applying = () =>
  run(review(), {
    type: 'apply-start',
    steps: [
      { id: 'user', title: 'Deploy user', actions: 2 },
      { id: 'firewall', title: 'Firewall', actions: 4 },
    ],
    at: 1000,
  });

export type Row = [name: string, given: () => WizardState, event: WizardEvent, expect: (s: WizardState, before: WizardState) => void];

/** Runs a table: each row's check on the state after its event; the input state is never mutated (pure). */
export function reducerTable(title: string, table: Row[]): void {
  describe(title, () => {
    it.each(table)('%s', (_name, given, event, check) => {
      const before = given();
      const frozen = JSON.stringify(before.values, (_k, v) => (v instanceof Secret ? v.placeholder : v));
      const after = reducer(before, event);
      check(after, before);
      expect(JSON.stringify(before.values, (_k, v) => (v instanceof Secret ? v.placeholder : v))).toBe(frozen);
    });
  });
}
