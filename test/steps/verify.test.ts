// steps/verify.ts: the final checks from the server's side (health, every check of the audit through
// AUDIT_GATE, nothing left armed), then the journal, written last and without secrets.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NO_ARMED_GROUP } from '../../src/plan/guard.js';
import { AUDIT_GATE, planVerify } from '../../steps/verify.js';
import type { WriteAction } from '../../src/plan/action.js';
import { revealText } from '../../src/core/secret.js';
import { actionLines, answersWith, EXAMPLE, planFor, readAnswers, stepOf } from '../helpers.js';

describe('verify step', () => {
  it('comes last and fails while any dead-man group is armed', () => {
    const { plan } = planFor(readAnswers(EXAMPLE));
    const verify = plan.steps.at(-1)!;
    expect(verify.actions.some((a) => a.kind === 'gate' && a.check.type === 'remote' && a.check.argv === NO_ARMED_GROUP)).toBe(true);
  });

  it('health, the audit script (written here only without monitoring), the audit gate, nothing armed, then the journal', () => {
    const without = stepOf(planFor(answersWith({ monitoring: { enabled: false } })).plan, 'verify')!;
    expect(actionLines(without.actions).map((l) => l.replace(/^(gate [^(]*?) ?\(.*$/, '$1'))).toEqual([
      'gate the gateway is healthy',
      'write /usr/local/sbin/claw-setup-audit',
      'gate every check of claw-setup audit passes',
      'gate no dead-man switch is left armed',
      'write /var/lib/claw-setup/journal.json',
    ]);
    const withMonitoring = stepOf(planFor(answersWith({ monitoring: { enabled: true, ntfyTopic: 'claw-alerts-7f3k2' } })).plan, 'verify')!;
    expect(withMonitoring.actions.filter((a) => a.kind === 'write').map((a) => (a.kind === 'write' ? a.path : ''))).toEqual([
      '/var/lib/claw-setup/journal.json',
    ]);
  });

  it('without the openclaw step: only the dead-man check, then the journal (mode 600) with the steps and the checks that ran', () => {
    const { ctx } = planFor(answersWith());
    const s = planVerify(ctx, ['preflight', 'base']);
    const armed = 'no dead-man switch is left armed (nothing will be undone later)';
    expect(actionLines(s.actions)).toEqual([`gate ${armed}`, 'write /var/lib/claw-setup/journal.json']);
    const journal = s.actions[1] as WriteAction;
    expect(journal.mode).toBe(0o600);
    const j = JSON.parse(revealText(journal.content));
    expect([j.tool, j.steps, j.verified]).toEqual(['claw-setup', ['preflight', 'base'], [armed]]);
    expect(JSON.stringify(j)).not.toContain('SENTINEL_');
  });
});

describe("the rollout's verify step runs the audit's checks (AUDIT_GATE, run here with sh)", () => {
  const dir = mkdtempSync(join(tmpdir(), 'claw-gate-'));
  const fake = (lines: string) => {
    const f = join(dir, 'audit');
    writeFileSync(
      f,
      `#!/bin/sh\n[ "$1" = 198.51.100.7 ] || echo '{"id":"arg","status":"fail","check":"operator ip passed","evidence":"","fix":""}'\ncat <<'EOF2'\n${lines}\nEOF2\n`,
      { mode: 0o700 },
    );
    return spawnSync('sh', ['-c', AUDIT_GATE, 'sh', f, '198.51.100.7'], { encoding: 'utf8' });
  };
  const real = readFileSync(new URL('../fixtures/audit-output.jsonl', import.meta.url), 'utf8').trim();
  it('passes on a real clean audit, with the counts', () => {
    const r = fake(real);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^audit: \d+ pass, \d+ warn, no failure$/m);
  });
  it('fails on any failing check, printing it with its fix', () => {
    const r = fake(`${real}\n{"id":"firewall.active","status":"fail","check":"ufw is active","evidence":"Status: inactive","fix":"sudo ufw enable"}`);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('"fix":"sudo ufw enable"');
  });
  it('fails when the audit stopped before its end', () => {
    const r = fake(real.split('\n').slice(0, 5).join('\n'));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('the audit did not finish');
  });
});
