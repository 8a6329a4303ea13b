// src/plan/print.ts: a plan printed offline, before the operator's address is known, carries the
// placeholder and a guard that stops the script, so it cannot be run as it is.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { assumedFacts } from '../src/plan/facts.js';
import { answersWith as answers, planFor, printed as text } from './helpers.js';

describe('a plan made offline without the operator IP (issue 13 item 10)', () => {
  it('refuses to run as it is, and says how to plan with the address', () => {
    const auto = text(planFor(answers(), assumedFacts('ubuntu-24.04', 'root')).plan);
    expect(auto).toContain('<operator-ip>');
    // On stdin: the whole plan is larger than one argument may be (128 KiB).
    const r = spawnSync('bash', ['-s'], { input: auto, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('plan again with --operator-ip IP');
    const known = text(planFor(answers({ operatorIp: '198.51.100.7' }), assumedFacts('ubuntu-24.04', 'root')).plan);
    expect(known).not.toContain('<operator-ip>');
    expect(known).not.toContain('CLAW_ALLOW_PLACEHOLDERS');
  });
});
