// OpenClaw's own doctor, mapped onto scorecard lines by the script the audit runs in the container
// (here with this machine's node, on real `doctor --lint --json` output saved from OpenClaw 2026.9.6).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPENCLAW_DOCTOR_MAPPER } from '../templates/audit-openclaw.js';

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
