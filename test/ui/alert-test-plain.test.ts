import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCli } from '../../src/cli/args.js';
import type { Io } from '../../src/core/io.js';
import type { WizardDeps } from '../../src/ui/deps.js';
import { runPlain } from '../../src/ui/run-plain.js';
import { dryRunDeps, isAlertTest, monitoringEnvWrite, onlineDeps, sentOnApplyConnection, TOPIC } from './alert-fakes.js';
import { keyDir, scripted } from './helpers.js';

// --plain: the same test alert after the apply as the Ink wizard (see alert-test.test.tsx).

const { key } = keyDir();

function io(): Io & { out: () => string } {
  let out = '';
  return { stdout: (s) => (out += s), stderr: (s) => (out += s), env: {}, isTTY: true, out: () => out };
}

/** Answers every question (the topic when given), trusts the host key, applies; `alert` answers the two test-alert questions. */
function answers(topic: string | null, alert: { send: string[]; arrived: string[] }) {
  return scripted((kind, m) => {
    if (/^Server address/.test(m)) return ['203.0.113.10', '\r'];
    if (/^Host key/.test(m)) return ['y', '\r'];
    if (/^ntfy topic/.test(m)) return topic ? [topic, '\r'] : ['\r'];
    if (/^Send a test alert now/.test(m)) return alert.send;
    if (/^Did it arrive/.test(m)) return alert.arrived;
    if (kind === 'password') return ['long-enough-secret-value-1234567890', '\r'];
    return ['\r'];
  });
}

async function run(argv: string[], deps: WizardDeps, s: ReturnType<typeof scripted>) {
  const term = io();
  const code = await runPlain(parseCli(['--plain', '--identity', key, ...argv]), term, s.prompts, deps);
  return { code, out: term.out() + s.output(), said: term.out() };
}

describe('--plain: the test alert after the apply', () => {
  it('with ntfy: asks, sends alert-test over the open connection, asks "Did it arrive?", on no prints where to look', async () => {
    const { deps, exec, state } = onlineDeps();
    const s = answers(TOPIC, { send: ['\r'], arrived: ['n', '\r'] });
    const { code, said } = await run([], deps, s);
    expect(code).toBe(0);
    expect(s.seen).toContain('confirm: Send a test alert now through ntfy?');
    expect(s.seen).toContain('confirm: Did it arrive?');
    expect(s.seen.indexOf('confirm: Did it arrive?')).toBeGreaterThan(s.seen.indexOf('confirm: Send a test alert now through ntfy?'));
    const sent = exec.calls.filter(isAlertTest);
    expect(sent).toHaveLength(1);
    // Over the apply's connection, after the apply, before it closed; the URL never in the command.
    expect(sentOnApplyConnection(exec.calls, sent[0])).toBe(true);
    expect(state.closed).toBe(2);
    expect(JSON.stringify(sent[0])).not.toContain(TOPIC);
    expect(sent[0].stdin).toBeUndefined();
    // The topic is a secret (issue 13): monitoring.env gets it, the recording shows only its placeholder.
    expect(monitoringEnvWrite(exec.calls)?.content).toContain("NTFY_URL='https://ntfy.sh/<secret:NTFY_TOPIC>'");
    expect(monitoringEnvWrite(exec.calls)?.content).not.toContain(TOPIC);
    // The topic was typed and reviewed above; from the test alert on it is never printed.
    const after = said.slice(said.indexOf('== Test alert =='));
    expect(after).not.toBe(said);
    expect(after).toContain('ntfy     delivered: check that it arrived');
    expect(after).toContain('The test alert did not reach you. What to check:');
    expect(after).toContain('open your ntfy topic on https://ntfy.sh');
    expect(after).toContain('claw-setup alert-test');
    expect(after).not.toContain(TOPIC);
  }, 30000);

  it('yes, it arrived; or declined: nothing sent', async () => {
    {
      const { deps, exec } = onlineDeps();
      const { code, out } = await run([], deps, answers(TOPIC, { send: ['\r'], arrived: ['y', '\r'] }));
      expect(code).toBe(0);
      expect(out).toContain('Alerts from this server reach you');
      expect(out).not.toContain('What to check');
      expect(exec.calls.filter(isAlertTest)).toHaveLength(1);
    }
    const { deps, exec } = onlineDeps();
    const s = answers(TOPIC, { send: ['n', '\r'], arrived: [] });
    const { code, out } = await run([], deps, s);
    expect(code).toBe(0);
    expect(out).toContain('No test alert sent. Send one any time: claw-setup alert-test');
    expect(s.seen).not.toContain('confirm: Did it arrive?');
    expect(exec.calls.some(isAlertTest)).toBe(false);
  }, 30000);

  it('with no alert target it does not ask', async () => {
    const { deps, exec } = onlineDeps();
    const s = answers(null, { send: [], arrived: [] });
    const { code, out } = await run([], deps, s);
    expect(code).toBe(0);
    expect(s.seen.some((x) => /test alert|Did it arrive/.test(x))).toBe(false);
    expect(out).not.toMatch(/test alert/i);
    expect(exec.calls.some(isAlertTest)).toBe(false);
  }, 30000);

  it('in a dry run it sends nothing and says it would', async () => {
    const { deps, calls } = dryRunDeps();
    const s = answers(TOPIC, { send: [], arrived: [] });
    const here = process.cwd();
    process.chdir(mkdtempSync(join(tmpdir(), 'claw-alert-'))); // where the dry run saves its plan
    const { code, out } = await run(['--dry-run'], deps, s).finally(() => process.chdir(here));
    expect(code).toBe(0);
    expect(out).toContain('would send a test alert through ntfy now and ask whether it arrived (a dry run sends nothing)');
    expect(s.seen.some((x) => /Send a test alert|Did it arrive/.test(x))).toBe(false);
    expect(calls().some(isAlertTest)).toBe(false);
    expect(calls().length).toBeGreaterThan(0);
  }, 30000);
});
