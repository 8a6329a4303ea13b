// steps/preflight.ts: read-only checks before anything changes, the state directory, and the settling
// of whatever an interrupted earlier run left armed.
import { describe, expect, it } from 'vitest';
import { actionLines, answersWith, EXAMPLE, planFor, readAnswers, stepOf } from '../helpers.js';

describe('preflight step', () => {
  it('comes first and settles what an interrupted run left armed', () => {
    const { plan } = planFor(readAnswers(EXAMPLE));
    const first = plan.steps[0];
    expect(first.id).toBe('preflight');
    const settle = first.actions.findIndex((a) => a.kind === 'run' && a.title.startsWith('restore what an interrupted earlier run left armed'));
    expect(settle).toBeGreaterThanOrEqual(0);
  });

  it('checks systemd and the current sshd config before it creates the state directory (root only), settling last', () => {
    const s = stepOf(planFor(answersWith()).plan, 'preflight')!;
    const lines = actionLines(s.actions);
    expect(lines.slice(0, 3)).toEqual([
      'gate systemd is PID 1 (the dead-man switch needs systemd-run)',
      'gate the current sshd config is valid, so a reload cannot break it',
      'install -d -m 0700 /var/lib/claw-setup',
    ]);
    expect(s.actions[2]).toMatchObject({ skipIf: ['test', '-d', '/var/lib/claw-setup'] });
    expect(s.actions).toHaveLength(4);
    expect(s.actions[3].title).toMatch(/^restore what an interrupted earlier run left armed/);
  });
});
