// OpenClaw's own doctor, mapped onto scorecard lines by the script the audit runs in the container
// (here with this machine's node, on real `doctor --lint --json` output saved from OpenClaw 2026.9.6).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OPENCLAW_DOCTOR_MAPPER } from '../templates/audit-openclaw.js';
import { AUDIT_GATE } from '../steps/verify.js';

const map = (fixture: string) => {
  const input = readFileSync(new URL(`./fixtures/${fixture}`, import.meta.url), 'utf8');
  const r = spawnSync(process.execPath, ['-e', OPENCLAW_DOCTOR_MAPPER], { input, encoding: 'utf8' });
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { id: string; status: string; evidence: string; fix: string });
};

describe('OpenClaw doctor in the audit', () => {
  it('warnings are advice: one pass line that counts them', () => {
    expect(map('openclaw-doctor-warnings.json')).toEqual([
      { id: 'app.openclaw-doctor', status: 'pass', check: 'OpenClaw doctor (lint)', evidence: '0 error(s), 3 warning(s) (advice)', fix: '' },
    ]);
  });
  it('an error fails, with a line of its own and the fix OpenClaw gives', () => {
    const lines = map('openclaw-doctor-error.json');
    expect(lines[0]).toMatchObject({ id: 'app.openclaw-doctor', status: 'fail', evidence: '1 error(s), 0 warning(s) (advice)' });
    expect(lines[1]).toMatchObject({ id: 'app.doctor.core-doctor-lint-inspection', status: 'fail' });
    expect(lines[1].fix).toMatch(/doctor --lint/);
  });
  it('output that is not JSON is a warning, not a crash', () => {
    const r = spawnSync(process.execPath, ['-e', OPENCLAW_DOCTOR_MAPPER], { input: 'Error: boom', encoding: 'utf8' });
    expect(JSON.parse(r.stdout)).toMatchObject({ id: 'app.openclaw-doctor', status: 'warn' });
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
  const real = readFileSync(new URL('./fixtures/audit-output.jsonl', import.meta.url), 'utf8').trim();
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
