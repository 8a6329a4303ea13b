import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { answersSchema } from '../src/answers/schema.js';
import { alertTestReport, parseAlertTest } from '../src/plan/alert-test.js';
import { renderAlertTestScript } from '../templates/alert-test-script.js';
import { needTool, run, tempDir } from './tool-runner.js';

// The alert-test script run for real with bash: monitoring.env pointed into a temp dir and a
// stub curl on PATH that records its argv and stdin (where the URL must travel) and can fail.

const tmp = tempDir('alert-test');
afterAll(() => tmp.cleanup());

const WEBHOOK = 'https://discord.com/api/webhooks/123/secret-webhook-token-9f8e';
const NTFY = 'https://ntfy.example.com/secret-topic-4b1a';

function runScript(env: string, curlExit = 0) {
  const dir = join(tmp.dir, Math.random().toString(36).slice(2));
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  const log = join(dir, 'curl.log');
  writeFileSync(join(bin, 'curl'), `#!/bin/sh\n{ echo "ARGV: $*"; echo "STDIN: $(cat)"; } >> ${log}\nexit ${curlExit}\n`);
  chmodSync(join(bin, 'curl'), 0o755);
  writeFileSync(join(dir, 'monitoring.env'), env);
  const script = renderAlertTestScript(answersSchema.parse({})).replaceAll('/etc/claw-setup/monitoring.env', join(dir, 'monitoring.env'));
  const r = run('bash', ['-c', script], { env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
  let calls = '';
  try {
    calls = readFileSync(log, 'utf8');
  } catch {
    // curl never ran
  }
  return { ...r, calls };
}

describe('claw-setup alert-test', () => {
  it('sends through each configured target, the URL only on curl stdin, never in argv', () => {
    const r = runScript(`NTFY_URL='${NTFY}'\nDISCORD_WEBHOOK_URL='${WEBHOOK}'\n`);
    expect(r.stdout).toBe('ntfy ok\ndiscord ok\n');
    const calls = r.calls.split('\n');
    expect(calls.filter((l) => l.startsWith('ARGV')).join('\n')).not.toMatch(/secret/);
    expect(calls).toContain(`STDIN: url = "${NTFY}"`);
    expect(calls).toContain(`STDIN: url = "${WEBHOOK}"`);
    // one target per send: exactly two posts
    expect(calls.filter((l) => l.startsWith('ARGV'))).toHaveLength(2);
    expect(r.calls).toMatch(/ARGV: .*-H Title: OpenClaw on .*: test alert -H Tags: test_tube/);
  });

  it('a target that cannot be reached is reported failed; none configured is "none"', () => {
    expect(runScript(`NTFY_URL='${NTFY}'\n`, 7).stdout).toBe('ntfy failed\ndiscord none\n');
    const none = runScript('');
    expect(none.stdout).toBe('ntfy none\ndiscord none\n');
    expect(none.calls).toBe('');
  });

  it('exit codes: 0 delivered, 2 any failed, none configured is a user error', () => {
    expect(alertTestReport(parseAlertTest('ntfy ok\ndiscord none\n')).code).toBe(0);
    expect(alertTestReport(parseAlertTest('ntfy ok\ndiscord failed\n')).code).toBe(2);
    expect(alertTestReport(parseAlertTest('ntfy none\ndiscord none\n')).code).toBeNull();
    expect(alertTestReport(parseAlertTest('garbage')).code).toBeNull();
    expect(alertTestReport(parseAlertTest('ntfy ok\ndiscord none\n')).lines).toEqual(['ntfy     delivered: check that it arrived', 'discord  not configured']);
  });

  it('passes shellcheck', (ctx) => {
    const sc = needTool(ctx, 'shellcheck', 'shellcheck');
    const f = join(tmp.dir, 'alert-test.sh');
    writeFileSync(f, renderAlertTestScript(answersSchema.parse({})));
    const r = run(sc, ['-s', 'bash', f]);
    expect(r.status, r.stdout).toBe(0);
  });
});
