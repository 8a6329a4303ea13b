import { expect } from 'vitest';
import { exitCode } from '../../src/ui/wizard/reducer.js';
import { answerUntil, fresh, run } from './helpers.js';
import { applying, reducerTable, review, type Row } from './reducer-kit.js';

/** The wizard reducer as a table at review and while applying: state × event → state. */
const TABLE: Row[] = [
  ['review × view-plan → plan view', review, { type: 'review', action: 'view-plan' }, (s) => expect([s.review.mode, s.review.scroll]).toEqual(['plan', 0])],
  [
    'plan view × back → summary',
    () => run(review(), { type: 'review', action: 'view-plan' }),
    { type: 'back' },
    (s) => expect([s.phase, s.review.mode]).toEqual(['review', 'summary']),
  ],
  ['review × back → last question', review, { type: 'back' }, (s) => expect([s.phase, s.cursor]).toEqual(['asking', 'monitoring.discord'])],
  [
    'plan view × scroll past end → clamped',
    () => run(review(), { type: 'review', action: 'view-plan' }),
    { type: 'scroll', delta: 500, max: 120 },
    (s) => expect(s.review.scroll).toBe(120),
  ],
  [
    'plan view × scroll before start → 0',
    () => run(review(), { type: 'review', action: 'view-plan' }),
    { type: 'scroll', delta: -Infinity, max: 120 },
    (s) => expect(s.review.scroll).toBe(0),
  ],
  ['review × save-answers → prompt', review, { type: 'review', action: 'save-answers' }, (s) => expect(s.review.mode).toBe('save-answers')],
  [
    'save × saved → summary with notice',
    () => run(review(), { type: 'review', action: 'save-plan' }),
    { type: 'saved', message: 'saved' },
    (s) => expect([s.review.mode, s.review.notice]).toEqual(['summary', 'saved']),
  ],
  [
    'save × failed → stays, error',
    () => run(review(), { type: 'review', action: 'save-plan' }),
    { type: 'save-failed', message: 'exists' },
    (s) => expect([s.review.mode, s.review.error]).toEqual(['save-plan', 'exists']),
  ],
  ['review × quit → cancelled', review, { type: 'review', action: 'quit' }, (s) => expect([s.phase, exitCode(s)]).toEqual(['cancelled', 130])],
  [
    'review × apply-start → applying',
    review,
    { type: 'apply-start', steps: [{ id: 'user', title: 'u', actions: 1 }], at: 5 },
    (s) => expect([s.phase, s.apply?.steps[0].status, s.apply?.startedAt]).toEqual(['applying', 'pending', 5]),
  ],
  [
    'review with plan error × apply-start → refused',
    () => run(review(), { type: 'plan-error', message: 'cannot read public key file' }),
    { type: 'apply-start', steps: [], at: 0 },
    (s) => expect(s.phase).toBe('review'),
  ],
  ['applying × cancel → asks to confirm', applying, { type: 'cancel' }, (s) => expect([s.phase, s.abort]).toEqual(['applying', 'confirming'])],
  ['confirming × abort no → carries on', () => run(applying(), { type: 'cancel' }), { type: 'abort', yes: false }, (s) => expect(s.abort).toBe('none')],
  ['confirming × abort yes → requested', () => run(applying(), { type: 'cancel' }), { type: 'abort', yes: true }, (s) => expect(s.abort).toBe('requested')],
  ['confirming × second Ctrl-C → requested', () => run(applying(), { type: 'cancel' }), { type: 'cancel' }, (s) => expect(s.abort).toBe('requested')],
  ['confirming × Esc → carries on', () => run(applying(), { type: 'cancel' }), { type: 'back' }, (s) => expect(s.abort).toBe('none')],
  ['applying × Esc → ignored', applying, { type: 'back' }, (s, b) => expect(s).toBe(b)],
  [
    'applying × step-started → running',
    applying,
    { type: 'rollout', at: 1100, event: { type: 'step-started', stepId: 'user', title: 'Deploy user' } },
    (s) => expect(s.apply?.steps[0].status).toBe('running'),
  ],
  [
    'applying × deadman armed → shown',
    applying,
    { type: 'rollout', at: 1200, event: { type: 'deadman', stepId: 'firewall', groupId: 'firewall', state: 'armed', timeoutSec: 180 } },
    (s) => expect(s.apply?.deadman).toEqual([{ groupId: 'firewall', state: 'armed', timeoutSec: 180, at: 1200 }]),
  ],
  [
    'applying × finished done → done (0)',
    applying,
    { type: 'finished', result: { status: 'done', report: [] } },
    (s) => expect([s.phase, exitCode(s)]).toEqual(['done', 0]),
  ],
  [
    'applying × finished failed → failed (2)',
    applying,
    { type: 'finished', result: { status: 'failed', report: ['x'] } },
    (s) => expect([s.phase, exitCode(s)]).toEqual(['failed', 2]),
  ],
  [
    'applying × finished cancelled → stopped (130)',
    applying,
    { type: 'finished', result: { status: 'cancelled', report: [] } },
    (s) => expect([s.phase, exitCode(s)]).toEqual(['failed', 130]),
  ],
  ['not busy × effect-done → ignored', () => answerUntil(fresh(), 'ssh.port'), { type: 'effect-done' }, (s, b) => expect(s).toBe(b)],
  [
    'done × cancel → ignored',
    () => run(applying(), { type: 'finished', result: { status: 'done', report: [] } }),
    { type: 'cancel' },
    (s) => expect(s.phase).toBe('done'),
  ],
];

reducerTable('wizard reducer, review and apply (state × event → state)', TABLE);
