import { describe, expect, it } from 'vitest';
import { printPlan } from '../../src/plan/print.js';
import { planWizardRun } from '../../src/ui/plan-build.js';
import { joinRows, planRows } from '../../src/ui/views/plan-lines.js';
import { answerUntil, keyDir, stateFor } from './helpers.js';

describe('plan rows', () => {
  const { key } = keyDir();
  const s = answerUntil(stateFor(['--dry-run'], {}, key), null);
  it('the review shows exactly printPlan output at any width', async () => {
    const b = await planWizardRun(s.answers!, {}, null, 'ubuntu-24.04', {});
    expect(b.text).toBe(printPlan(b.plan, { host: '203.0.113.10', identityFile: key }));
    for (const w of [40, 80, 100, 237]) {
      const rows = planRows(b.text, w);
      expect(rows.every((r) => r.text.length <= w)).toBe(true);
      expect(joinRows(rows)).toBe(b.text);
    }
  });
});
