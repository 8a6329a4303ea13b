import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { answersSchema } from '../src/answers/schema.js';
import { auditExitCode, buildReport, formatScorecard, parseAuditOutput, type AuditCheck } from '../src/plan/audit.js';
import { renderAuditScript } from '../templates/audit-script.js';
import { needTool, run, tempDir } from './tool-runner.js';
import { writeFileSync } from 'node:fs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const schema = JSON.parse(readFileSync(join(ROOT, 'docs/audit-schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true }).compile(schema);
/** What the audit script printed on a freshly deployed Debian 13 test server (test/e2e/audit.e2e.test.ts). */
const SAMPLE = readFileSync(join(ROOT, 'test/fixtures/audit-output.jsonl'), 'utf8');
const NOW = new Date('2026-11-30T09:00:00Z');

const tmp = tempDir('audit');
afterAll(() => tmp.cleanup());

const check = (id: string, status: AuditCheck['status']): AuditCheck => ({
  id,
  group: id.split('.')[0],
  status,
  check: id,
  evidence: 'e',
  fix: status === 'pass' ? '' : 'f',
});

describe('the scorecard (src/plan/audit.ts)', () => {
  it('reads the real script output: every line a check, timings apart, exit code from the worst status', () => {
    const { checks, timing } = parseAuditOutput(SAMPLE);
    expect(checks).toHaveLength(37);
    expect(checks.every((c) => c.id.startsWith(`${c.group}.`))).toBe(true);
    expect(timing).toEqual({ checksMs: 1123, openclawAuditMs: 5824, scriptMs: 5849 });
    expect(checks.filter((c) => c.status !== 'pass').map((c) => c.id)).toEqual(['backups.recent', 'monitoring.alerts']);
    expect(auditExitCode(checks)).toBe(1);
    // evidence is trimmed (the script leaves trailing blanks in lists)
    expect(checks.find((c) => c.id === 'container.ports')!.evidence).toBe('127.0.0.1:18789 127.0.0.1:18790');
  });

  it('exit code: 0 all pass, 1 any warning, 2 any failure', () => {
    expect(auditExitCode([check('a.b', 'pass'), check('a.c', 'pass')])).toBe(0);
    expect(auditExitCode([check('a.b', 'pass'), check('a.c', 'warn')])).toBe(1);
    expect(auditExitCode([check('a.b', 'warn'), check('a.c', 'fail'), check('a.d', 'pass')])).toBe(2);
  });

  it('a script cut short, or a line that is not a check, is never dropped silently', () => {
    const cut = SAMPLE.split('\n').slice(0, 5).join('\n');
    const a = parseAuditOutput(cut, 'bash: line 80: docker: command not found\nKilled\n', 137);
    expect(a.checks.at(-1)).toMatchObject({ id: 'audit.complete', status: 'fail' });
    expect(a.checks.at(-1)!.evidence).toContain('Killed');
    expect(auditExitCode(a.checks)).toBe(2);
    const b = parseAuditOutput(`{"id":"BAD ID","status":"pass"}\n{"id":"ssh.x","status":"maybe"}\nnot json\n{"meta":"end"}\n`);
    expect(b.checks).toEqual([expect.objectContaining({ id: 'audit.output', status: 'warn', evidence: '3 line(s) of the audit output were not checks' })]);
  });

  it('--json: the report validates against docs/audit-schema.json; a wrong one does not', () => {
    const { checks, timing } = parseAuditOutput(SAMPLE);
    const report = JSON.parse(JSON.stringify(buildReport('203.0.113.10', checks, timing, NOW)));
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report).toMatchObject({ result: 'warn', exitCode: 1, counts: { pass: 35, warn: 2, fail: 0 }, generatedAt: '2026-11-30T09:00:00.000Z' });
    for (const bad of [
      { ...report, exitCode: 3 },
      { ...report, extra: 1 },
      { ...report, checks: [{ ...report.checks[0], status: 'ok' }] },
      { ...report, checks: [{ ...report.checks[0], group: 'other' }] },
      { ...report, checks: [] },
    ])
      expect(validate(bad)).toBe(false);
  });

  it('prints "STATUS  id  evidence  (fix: …)" lines and the counts', () => {
    const { checks, timing } = parseAuditOutput(SAMPLE);
    const out = formatScorecard(buildReport('h', checks, timing, NOW));
    expect(out[0]).toMatch(/^PASS {2}ssh\.root-login +permitrootlogin no$/);
    expect(out.find((l) => l.includes('backups.recent'))).toMatch(
      /^WARN {2}backups\.recent +no backup yet .*\(fix: sudo systemctl start openclaw-backup\.service/,
    );
    // only the first line of multi-line evidence
    expect(out.find((l) => l.includes('attack_surface'))).toMatch(/groups: open=0, allowlist=0$/);
    expect(out.at(-1)).toBe('37 checks: 35 pass, 2 warn, 0 fail (exit 1)');
  });
});

describe('the audit script (templates/audit-script.ts)', () => {
  const a = answersSchema.parse({});
  const script = renderAuditScript(a);

  it('passes shellcheck', (ctx) => {
    const sc = needTool(ctx, 'shellcheck', 'shellcheck');
    const f = join(tmp.dir, 'audit.sh');
    writeFileSync(f, script);
    const r = run(sc, ['-s', 'bash', '-S', 'style', f]);
    expect(r.status, r.stdout).toBe(0);
  });

  it('checks what the rollout set up, from the same sources (sshd drop-in settings, dead-man check, pinned image)', () => {
    expect(script).toContain('image_ref=ghcr.io/openclaw/openclaw:2026.9.6');
    expect(script).toMatch(/^sshd_expect='port 22\npermitrootlogin no\npasswordauthentication no\n/m);
    expect(script).toContain("deadman_check='! grep -qsxE ");
    expect(script).not.toContain('@{');
    // the token leaves the script only as its length; Config.Env is never read
    expect(script).toContain('tok_len=${#tok}\nunset tok');
    expect(script).not.toMatch(/\{\{[^}]*Config\.Env|cat "\$env_file"/);
  });

  // The helper functions at the top of the real script, run on their own with bash.
  const prelude = script.slice(0, script.indexOf('# The gateway container, inspected once'));
  const bash = (body: string) => {
    const f = join(tmp.dir, `t-${Math.random().toString(36).slice(2)}.sh`);
    writeFileSync(f, `${prelude}\n${body}\n`);
    const r = run('bash', [f]);
    expect(r.stderr).toBe('');
    return r.stdout;
  };
  const emitted = (out: string) =>
    out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as AuditCheck);

  it('emit writes valid JSON whatever the evidence holds (quotes, backslashes, newlines, control characters)', () => {
    const [c] = emitted(bash(`emit x.y warn 'a "check"' $'line1\\nline2 \\\\ back\\ttab\\x01\\x1b[31m' 'fix "it"'`));
    expect(c).toEqual({ id: 'x.y', status: 'warn', check: 'a "check"', evidence: 'line1\nline2 \\ back tab  [31m', fix: 'fix "it"' });
  });

  it('covers: the break-glass rule covers the operator address (IPv4 prefixes, exact IPv6), and refuses junk', () => {
    const cases: [string, string, boolean][] = [
      ['203.0.113.7', '203.0.113.7', true],
      ['203.0.113.7/32', '203.0.113.7', true],
      ['203.0.113.0/24', '203.0.113.200', true],
      ['203.0.113.0/24', '203.0.114.1', false],
      ['10.0.0.0/8', '10.255.1.1', true],
      ['203.0.113.7', '203.0.113.8', false],
      ['2001:db8::1', '2001:db8::1', true],
      ['2001:db8::/48', '2001:db8::1', false],
      ['a[$(touch /tmp/x)]', '1.2.3.4', false],
    ];
    const out = bash(cases.map(([net, ip]) => `covers '${net.replace(/'/g, '')}' '${ip}' && echo yes || echo no`).join('\n'));
    expect(out.trim().split('\n')).toEqual(cases.map(([, , want]) => (want ? 'yes' : 'no')));
    expect(bash(`covers_any '198.51.100.1 203.0.113.0/24' 203.0.113.9 && echo yes`).trim()).toBe('yes');
  });

  describe('Tailscale (only where enabled; no tailnet here: the parsing of `tailscale status --json`)', () => {
    const day = 86400_000;
    // The shape tailscale prints (json.MarshalIndent, two spaces); Peer entries carry KeyExpiry too and must not be read.
    const status = (state: string, self: string | null) =>
      JSON.stringify(
        {
          Version: '1.90.1',
          BackendState: state,
          Self: { ID: 'n1', HostName: 'openclaw', ...(self ? { KeyExpiry: self } : {}), Online: true },
          Peer: { 'nodekey:1': { HostName: 'laptop', KeyExpiry: new Date(Date.now() - 5 * day).toISOString() } },
        },
        null,
        2,
      );
    const ts = (json: string) => emitted(bash(`tailscale_checks "$(cat <<'JSON'\n${json}\nJSON\n)"`));

    it('a key far from expiry passes; within 30 days warns; expired fails; no expiry passes', () => {
      const far = ts(status('Running', new Date(Date.now() + 90 * day).toISOString()));
      expect(far.map((c) => [c.id, c.status])).toEqual([
        ['tailscale.up', 'pass'],
        ['tailscale.key-expiry', 'pass'],
      ]);
      expect(far[1].evidence).toMatch(/in (89|90) days/);
      const soon = ts(status('Running', new Date(Date.now() + 10 * day).toISOString()))[1];
      expect(soon).toMatchObject({ status: 'warn', evidence: expect.stringMatching(/in (9|10) days/) });
      expect(soon.fix).toMatch(/disable key expiry|force-reauth/);
      expect(ts(status('Running', new Date(Date.now() - day).toISOString()))[1]).toMatchObject({
        status: 'fail',
        evidence: expect.stringMatching(/^expired on/),
      });
      expect(ts(status('Running', null))[1]).toMatchObject({ status: 'pass', evidence: 'key expiry is disabled for this node' });
    });

    it('logged out or no tailscaled: one failure, no expiry line', () => {
      expect(ts(status('NeedsLogin', null))).toEqual([expect.objectContaining({ id: 'tailscale.up', status: 'fail', evidence: 'BackendState NeedsLogin' })]);
      expect(ts('')).toEqual([expect.objectContaining({ id: 'tailscale.up', status: 'fail' })]);
    });
  });
});
