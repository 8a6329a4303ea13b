import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { answersSchema } from '../src/answers/schema.js';
import { renderAuditWeeklyScript } from '../templates/audit-weekly.js';
import { needTool, run, tempDir } from './tool-runner.js';

// The weekly audit wrapper run for real with bash: the audit script replaced by a stub that prints
// given JSON lines, the state file in a temp dir, and a stub curl that records each alert.

const tmp = tempDir('audit-weekly');
afterAll(() => tmp.cleanup());

const line = (id: string, status: string, evidence = 'e', fix = '') => JSON.stringify({ id, status, check: `check ${id}`, evidence, fix });
const END = '{"meta":"timing","checks_ms":1,"openclaw_audit_ms":1,"total_ms":2}\n{"meta":"end"}';

function setup() {
  const dir = join(tmp.dir, Math.random().toString(36).slice(2));
  mkdirSync(join(dir, 'bin'), { recursive: true });
  const log = join(dir, 'alerts.log');
  writeFileSync(
    join(dir, 'bin', 'curl'),
    `#!/bin/sh\ncat >/dev/null\nfor a; do last=$a; done\nprintf '%s\\n---\\n' "$last" >> ${log}\nexit \${CURL_EXIT:-0}\n`,
  );
  chmodSync(join(dir, 'bin', 'curl'), 0o755);
  const script = renderAuditWeeklyScript(answersSchema.parse({}))
    .replace(/^audit=.*$/m, `audit=${join(dir, 'audit')}`)
    .replace(/^state_file=.*$/m, `state_file=${join(dir, 'state')}`);
  writeFileSync(join(dir, 'weekly.sh'), script);
  /** One timer run with the audit printing `out`; returns the exit code and the alerts sent this time. */
  return (out: string, curlExit = 0) => {
    writeFileSync(join(dir, 'audit'), `#!/bin/sh\ncat <<'EOF'\n${out}\nEOF\n`);
    chmodSync(join(dir, 'audit'), 0o755);
    const before = existsSync(log) ? readFileSync(log, 'utf8') : '';
    const r = run('bash', [join(dir, 'weekly.sh')], {
      env: { ...process.env, PATH: `${join(dir, 'bin')}:${process.env.PATH}`, NTFY_URL: 'https://ntfy.example/t', CURL_EXIT: String(curlExit) },
    });
    const after = existsSync(log) ? readFileSync(log, 'utf8') : '';
    return { code: r.status, stderr: r.stderr, alerts: after.slice(before.length).split('---\n').filter(Boolean) };
  };
}

describe('the weekly audit (claw-setup-audit.timer)', () => {
  it('no alert while all pass; one alert per run listing only the new failures, with evidence and fix', () => {
    const timer = setup();
    expect(timer([line('ssh.root-login', 'pass'), line('host.disk', 'warn'), END].join('\n'))).toMatchObject({ code: 0, alerts: [] });
    const two = timer(
      [
        line('firewall.active', 'fail', 'Status: inactive', 'sudo ufw enable'),
        line('app.env-file', 'fail', '.env: mode 644 "world"\nreadable', 'sudo chmod 600 .env'),
        line('host.disk', 'warn'),
        END,
      ].join('\n'),
    );
    expect(two.code).toBe(1);
    expect(two.alerts).toHaveLength(1);
    expect(two.alerts[0]).toBe(
      'firewall.active: Status: inactive (fix: sudo ufw enable)\napp.env-file: .env: mode 644 "world" readable (fix: sudo chmod 600 .env)\n',
    );
    // the same failures next week: nothing new, no alert
    const same = [line('firewall.active', 'fail'), line('app.env-file', 'fail'), END].join('\n');
    expect(timer(same)).toMatchObject({ code: 1, alerts: [] });
    // one more: only it is sent
    const more = timer([line('firewall.active', 'fail'), line('app.env-file', 'fail'), line('backups.recent', 'fail', 'gone', 'run a backup'), END].join('\n'));
    expect(more.alerts).toEqual(['backups.recent: gone (fix: run a backup)\n']);
    // all fixed: silent; the same failure coming back later is new again
    expect(timer(END)).toMatchObject({ code: 0, alerts: [] });
    expect(timer([line('firewall.active', 'fail', 'x', 'y'), END].join('\n')).alerts).toEqual(['firewall.active: x (fix: y)\n']);
  });

  it('an alert that could not be delivered is sent again at the next run', () => {
    const timer = setup();
    const out = [line('deadman.none-armed', 'fail', 'armed', 'rerun'), END].join('\n');
    const failed = timer(out, 22);
    expect(failed.alerts).toHaveLength(1);
    expect(failed.stderr).toContain('could not deliver the alert');
    expect(timer(out).alerts).toHaveLength(1);
    expect(timer(out).alerts).toHaveLength(0);
  });

  it('an audit that stops early is a failure of its own', () => {
    const timer = setup();
    const r = timer(line('ssh.root-login', 'pass'));
    expect(r.code).toBe(1);
    expect(r.alerts[0]).toMatch(/^audit\.complete: the audit script stopped early/);
  });

  it('passes shellcheck', (ctx) => {
    const sc = needTool(ctx, 'shellcheck', 'shellcheck');
    const f = join(tmp.dir, 'weekly.sh');
    writeFileSync(f, renderAuditWeeklyScript(answersSchema.parse({})));
    const r = run(sc, ['-s', 'bash', '-S', 'style', f]);
    expect(r.status, r.stdout).toBe(0);
  });
});
