import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCli } from '../../src/cli/args.js';
import { App, type WizardOutcome } from '../../src/ui/app.js';
import type { WizardDeps } from '../../src/ui/deps.js';
import { initialState } from '../../src/ui/init.js';
import { renderAlertTestScript } from '../../templates/alert-test-script.js';
import { dryRunDeps, isAlertTest, monitoringEnvWrite, onlineDeps, sentOnApplyConnection, TOPIC } from './alert-fakes.js';
import { answerAll, KEY, press, tick, waitFor, type Rendered, type Script } from './drive.js';
import { keyDir } from './helpers.js';

// The test alert at the end of the wizard (issue 11): offered after a real apply when an alert
// target is set, sent over the open admin connection with alert-test's own script, then
// "Did it arrive?"; never in a dry run, never without a target, never printing the topic.

const { key } = keyDir();
let mounted: Rendered | null = null;
afterEach(() => {
  mounted?.unmount();
  mounted = null;
});

const flat = (f: string) => f.replace(/\s+/g, ' ');

function mount(deps: WizardDeps, online: boolean, argv: string[] = []) {
  const out: { outcome: WizardOutcome | null } = { outcome: null };
  const init = initialState({ args: parseCli(argv), env: {}, online, keys: [{ path: key, label: key }], newKeyPath: `${key}-new` });
  const r = render(<App init={init} deps={deps} onExit={(o) => (out.outcome = o)} />);
  mounted = r;
  return { r, out };
}

/** Welcome, the target questions, the host key (online), then every question to the review and apply. */
async function walkAndApply(r: Rendered, online: boolean, topic: string | null): Promise<void> {
  await waitFor(r, /Welcome/);
  await press(r, KEY.enter);
  const script: Script = [
    [/^Server address/, ['203.0.113.10', KEY.enter]],
    [/^Sudo password/, ['a-long-sudo-password', KEY.enter]],
    [/API key/, ['sk-1', KEY.enter]],
    [/^ntfy topic/, topic ? [topic, KEY.enter] : [KEY.enter]],
  ];
  if (online) {
    await waitFor(r, /› Server address/);
    await press(r, '203.0.113.10', KEY.enter);
    for (const q of [/› SSH port/, /› Admin login/, /› Private key/]) {
      await waitFor(r, q);
      await press(r, KEY.enter);
    }
    await waitFor(r, /Trust it and remember it\?/);
    await press(r, 'y');
  }
  await answerAll(r, script);
  await waitFor(r, online ? /apply this plan to 203\.0\.113\.10/ : /apply \(dry run/);
  await press(r, KEY.enter);
}

async function outcome(out: { outcome: WizardOutcome | null }): Promise<WizardOutcome | null> {
  // Polls up to 15 s (a loaded machine), returning as soon as the wizard has exited.
  for (const end = Date.now() + 15_000; !out.outcome && Date.now() < end;) await tick(10);
  return out.outcome;
}

describe('the test alert at the end of the wizard', () => {
  it('after a real apply with ntfy: asks, sends alert-test over the open connection, asks "Did it arrive?", on no shows where to look', async () => {
    const { deps, exec, state } = onlineDeps();
    const { r, out } = mount(deps, true);
    await walkAndApply(r, true, TOPIC);
    let f = await waitFor(r, /Send a test alert now through ntfy\?/, 15000);
    expect(f).toMatch(/Done in/);
    expect(exec.calls.some(isAlertTest)).toBe(false); // asked first, nothing sent yet
    expect(state.connects).toHaveLength(2); // the probe's, then the apply's (the probe's was closed then)
    expect(state.closed).toBe(1); // the apply's connection stays open for the test alert
    await press(r, 'y');
    f = await waitFor(r, /Did it arrive\?/);
    expect(f).toContain('ntfy     delivered: check that it arrived');
    expect(f).toContain('discord  not configured');

    // Sent once, after the apply, over the same admin connection, with alert-test's own script.
    const sent = exec.calls.filter(isAlertTest);
    expect(sent).toHaveLength(1);
    expect(sent[0].purpose).toBe('probe');
    // The URL is not in the command (argv or stdin): the script reads it on the server from the
    // monitoring.env the apply wrote, and hands it to curl on stdin (-K -).
    expect(JSON.stringify(sent[0])).not.toContain(TOPIC);
    expect(sent[0].stdin).toBeUndefined();
    expect(sent[0].argv[2]).toMatch(/curl -fsS --max-time 10 -K -/);
    // The topic is a secret (issue 13): monitoring.env gets it, the recording shows only its placeholder.
    expect(monitoringEnvWrite(exec.calls)?.content).toContain("NTFY_URL='https://ntfy.sh/<secret:NTFY_TOPIC>'");
    expect(monitoringEnvWrite(exec.calls)?.content).not.toContain(TOPIC);

    await press(r, 'n');
    f = flat(await waitFor(r, /What to check/));
    expect(f).toContain('The test alert did not reach you');
    expect(f).toContain('open your ntfy topic on https://ntfy.sh');
    expect(f).toContain('https://ntfy.sh');
    expect(f).toContain('claw-setup alert-test');
    expect(f).not.toContain(TOPIC);
    const o = await outcome(out);
    expect(o?.state.phase).toBe('done');
    expect(state.closed).toBe(2); // closed once the test alert was settled
    expect(sentOnApplyConnection(exec.calls, sent[0])).toBe(true);
    expect(JSON.stringify(o?.state.alert ?? null)).not.toContain(TOPIC);
    expect(sent[0].argv).toEqual(['bash', '-c', renderAlertTestScript(o!.state.answers!)]);
  }, 30000);

  it('"yes, it arrived" says so; declining the offer sends nothing', async () => {
    {
      const { deps, exec } = onlineDeps();
      const { r, out } = mount(deps, true);
      await walkAndApply(r, true, TOPIC);
      await waitFor(r, /Send a test alert now/, 15000);
      await press(r, KEY.enter); // default: yes
      await waitFor(r, /Did it arrive\?/);
      await press(r, 'y');
      expect(await waitFor(r, /reach you/)).toContain('Alerts from this server reach you');
      expect(exec.calls.filter(isAlertTest)).toHaveLength(1);
      expect((await outcome(out))?.state.phase).toBe('done');
      r.unmount();
    }
    const { deps, exec } = onlineDeps();
    const { r, out } = mount(deps, true);
    await walkAndApply(r, true, TOPIC);
    await waitFor(r, /Send a test alert now/, 15000);
    await press(r, 'n');
    expect(await waitFor(r, /No test alert sent/)).toContain('claw-setup alert-test');
    expect(exec.calls.some(isAlertTest)).toBe(false);
    expect((await outcome(out))?.state.phase).toBe('done');
  }, 60000);

  it('a target the server could not reach: shown as failed, and the help at once (no "Did it arrive?")', async () => {
    const { deps } = onlineDeps('ntfy failed\ndiscord none\n');
    const { r, out } = mount(deps, true);
    await walkAndApply(r, true, TOPIC);
    await waitFor(r, /Send a test alert now/, 15000);
    await press(r, 'y');
    const f = flat(await waitFor(r, /What to check/));
    expect(f).toContain('ntfy FAILED');
    expect(f).not.toContain('Did it arrive?');
    expect(f).toContain('the server could not post to https://ntfy.sh');
    expect(f).not.toContain(TOPIC);
    expect((await outcome(out))?.state.phase).toBe('done');
  }, 30000);

  it('with no alert target it does not ask', async () => {
    const { deps, exec } = onlineDeps();
    const { r, out } = mount(deps, true);
    await walkAndApply(r, true, null);
    const f = await waitFor(r, /Done in/, 15000);
    const o = await outcome(out); // ends on its own: nothing to answer
    expect(o?.state.phase).toBe('done');
    expect(o?.state.alert).toBeNull();
    expect(f).not.toMatch(/test alert/i);
    expect(exec.calls.some(isAlertTest)).toBe(false);
  }, 30000);

  it('in a dry run it sends nothing and says it would', async () => {
    const { deps, calls } = dryRunDeps();
    const { r, out } = mount(deps, false, ['--dry-run', '--identity', key]);
    await walkAndApply(r, false, TOPIC);
    const f = flat(await waitFor(r, /Dry run finished/, 15000));
    expect(f).toContain('Would send a test alert through ntfy now and ask whether it arrived (a dry run sends nothing)');
    expect(f).not.toContain('Send a test alert now');
    const o = await outcome(out);
    expect(o?.state.phase).toBe('done');
    expect(o?.state.alert?.stage).toBe('dry-run');
    expect(calls().some(isAlertTest)).toBe(false);
    expect(calls().length).toBeGreaterThan(0);
  }, 30000);
});
