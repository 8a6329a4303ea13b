// Ctrl-C during an apply (issue 13 item 9): "Stop applying? y/N" holds the run (nothing more
// starts until it is answered); n goes on, y stops with the runner's own stop. A dry run (the
// simulated server) and a real apply (over a connection) go through the same hold.
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { RecordingExecutor } from '../../src/exec/recording.js';
import { assumedFacts } from '../../src/plan/facts.js';
import type { RolloutEvent } from '../../src/rollout/events.js';
import { runPlan } from '../../src/rollout/runner.js';
import { parseCli } from '../../src/cli/args.js';
import { App, type WizardOutcome } from '../../src/ui/app.js';
import { ApplyPause } from '../../src/ui/apply-pause.js';
import type { WizardDeps } from '../../src/ui/deps.js';
import { initialState } from '../../src/ui/init.js';
import { PacedExecutor, simulatedServer } from '../../src/ui/paced-executor.js';
import { fixture, planFor } from '../helpers.js';
import { answerAll, KEY, press, tick, waitFor, type Rendered } from './drive.js';
import { dryDeps, keyDir, stateFor } from './helpers.js';

const { key } = keyDir();
const ENV = { CLAW_SUDO_PASSWORD: 'a-long-sudo-password', ANTHROPIC_API_KEY: 'sk-1' };

describe('the runner holds where a stop would take effect', () => {
  it('never between arming and disarming a dead-man switch; nothing runs while held; a stop after the hold is clean', async () => {
    const { plan } = planFor(fixture('full'));
    const exec = new RecordingExecutor();
    let armed = false;
    let groups = 0;
    let holds = 0;
    const track = (e: RolloutEvent) => {
      if (e.type !== 'deadman') return;
      armed = e.state === 'armed';
      if (armed) groups++;
    };
    const result = await runPlan(plan, exec, track, {
      secrets: [],
      hold: async () => {
        holds++;
        expect(armed).toBe(false);
      },
    });
    expect(result.status).toBe('done');
    expect(groups).toBeGreaterThan(0);
    // Every step and every top-level action is a place to hold.
    expect(holds).toBe(plan.steps.length + plan.steps.reduce((n, s) => n + s.actions.length, 0));

    // Held after a few actions: nothing runs until it is lifted, then a stop is taken before the next action.
    const pause = new ApplyPause();
    const ac = new AbortController();
    const rec = new RecordingExecutor();
    let seen = 0;
    const run = runPlan(plan, rec, () => {}, {
      secrets: [],
      signal: ac.signal,
      hold: () => {
        if (++seen === 6) pause.set(true);
        return pause.wait();
      },
    });
    await tick(100);
    const calls = rec.calls.length;
    await tick(200);
    expect(rec.calls.length).toBe(calls);
    ac.abort();
    pause.set(false);
    const r = await run;
    expect(r.status).toBe('cancelled');
    expect(r.report[0]).toMatch(/^Cancelled before the next (step|action)/);
    expect(rec.calls.length).toBe(calls);
  });
});

let mounted: Rendered | null = null;
afterEach(() => {
  mounted?.unmount();
  mounted = null;
});

/** A paced simulated server whose recorded calls the test can count. */
function paced(ms: number) {
  const rec = simulatedServer();
  return { rec, exec: new PacedExecutor(rec, ms) };
}

/** Ctrl-C while applying; checks nothing more runs while the question is open; answers it. */
async function interrupt(r: Rendered, count: () => number, answer: 'y' | 'n'): Promise<void> {
  for (let i = 0; i < 500 && count() < 5; i++) await tick(10);
  await press(r, KEY.ctrlC);
  await waitFor(r, /Stop applying\?/);
  const at = count();
  await tick(600);
  expect(count()).toBe(at);
  expect(r.lastFrame()).toMatch(/paused/);
  expect(r.lastFrame()).not.toMatch(/Done in|Stopped at your request/);
  await press(r, answer);
}

describe('Ctrl-C during a simulated (dry-run) apply', () => {
  function mount() {
    const sim = paced(5);
    const deps = dryDeps({ dryExecutor: () => ({ exec: sim.exec, count: () => sim.rec.calls.length }) });
    const out: { outcome: WizardOutcome | null } = { outcome: null };
    const r = render(<App init={stateFor(['--dry-run', '--host', '203.0.113.10'], ENV, key)} deps={deps} onExit={(o) => (out.outcome = o)} />);
    mounted = r;
    return { r, out, count: () => sim.rec.calls.length };
  }

  async function toApply(r: Rendered): Promise<void> {
    await waitFor(r, /Welcome/);
    await press(r, KEY.enter);
    await answerAll(r, []);
    await waitFor(r, /apply \(dry run/);
    await press(r, KEY.enter);
  }

  it('holds while "Stop applying?" is open; n goes on to the end', async () => {
    const { r, out, count } = mount();
    await toApply(r);
    await interrupt(r, count, 'n');
    expect(await waitFor(r, /finished in/, 20000)).not.toMatch(/Stop applying/);
    for (const end = Date.now() + 15_000; !out.outcome && Date.now() < end;) await tick(10); // up to 15 s: a loaded machine
    expect(out.outcome?.state.phase).toBe('done');
  });

  it('y stops before the next action: cancelled, exit 130', async () => {
    const { r, out, count } = mount();
    await toApply(r);
    await interrupt(r, count, 'y');
    const f = await waitFor(r, /Stopped at your request/);
    expect(f).toMatch(/Cancelled before the next (step|action)/);
    // A dry run never touched the server: no "in place" (issue 21 item 7).
    expect(f).toContain('Nothing was changed: a dry run only simulates the server');
    expect(f).not.toMatch(/in place|Server state now/);
    for (const end = Date.now() + 15_000; !out.outcome && Date.now() < end;) await tick(10); // up to 15 s: a loaded machine
    expect(out.outcome?.state.result?.status).toBe('cancelled');
  });
});

describe('Ctrl-C during a real apply (over a connection)', () => {
  it('holds the same way; y stops with the runner’s own stop', async () => {
    const sim = paced(5);
    const facts = { ...assumedFacts('debian-12', 'root', '198.51.100.7'), source: 'probed' as const };
    let connects = 0;
    const deps: WizardDeps = dryDeps({
      connect: async () => {
        connects++;
        return { exec: sim.exec, facts, readGatewayToken: async () => null, close: async () => {} };
      },
    });
    // Typed, not from the environment: a real apply reads unset references from this process's own.
    const init = initialState({
      args: parseCli(['--host', '203.0.113.10']),
      env: {},
      online: true,
      keys: [{ path: key, label: key }],
      newKeyPath: `${key}-new`,
    });
    const out: { outcome: WizardOutcome | null } = { outcome: null };
    const r = render(<App init={init} deps={deps} onExit={(o) => (out.outcome = o)} />);
    mounted = r;
    await waitFor(r, /Welcome/);
    await press(r, KEY.enter);
    await answerAll(r, [
      [/^Sudo password/, ['a-long-sudo-password', KEY.enter]],
      [/API key/, ['sk-1', KEY.enter]],
    ]);
    await waitFor(r, /apply this plan to 203\.0\.113\.10/);
    const before = sim.rec.calls.length;
    await press(r, KEY.enter);
    await interrupt(r, () => sim.rec.calls.length - before, 'y');
    const f = await waitFor(r, /Stopped at your request/);
    expect(f).toMatch(/Cancelled before the next (step|action)/);
    expect(connects).toBe(2);
  });
});
