import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { ExecResult, RunOptions } from '../../src/exec/types.js';
import { RecordingExecutor } from '../../src/exec/recording.js';
import type { Argv } from '../../src/plan/action.js';
import type { RolloutEvent } from '../../src/rollout/events.js';
import { App } from '../../src/ui/app.js';
import { ApplyView } from '../../src/ui/views/apply-view.js';
import { FailedView } from '../../src/ui/views/failed-view.js';
import { applyEvent, initApply, progress } from '../../src/ui/wizard/apply-state.js';
import { answerAll, KEY, press, tick, waitFor } from './drive.js';
import { dryDeps, keyDir, stateFor } from './helpers.js';

const { key } = keyDir();
const steps = [
  { id: 'preflight', title: 'Preflight checks', actions: 2 },
  { id: 'base', title: 'Base packages', actions: 4 },
  { id: 'user', title: 'Deploy user', actions: 4 },
  { id: 'firewall', title: 'Firewall (guarded)', actions: 10 },
] as const;
const events: RolloutEvent[] = [
  { type: 'step-started', stepId: 'preflight', title: 'Preflight checks' },
  { type: 'step-finished', stepId: 'preflight', status: 'done' },
  { type: 'step-started', stepId: 'base', title: 'Base packages' },
  { type: 'step-finished', stepId: 'base', status: 'skipped' },
  { type: 'step-started', stepId: 'user', title: 'Deploy user' },
  { type: 'step-finished', stepId: 'user', status: 'done' },
  { type: 'step-started', stepId: 'firewall', title: 'Firewall (guarded)' },
  { type: 'deadman', stepId: 'firewall', groupId: 'firewall', state: 'armed', timeoutSec: 180 },
  { type: 'action-started', stepId: 'firewall', title: 'enable ufw', kind: 'run' },
  { type: 'output', stepId: 'firewall', line: 'Firewall is active and enabled on system startup' },
  { type: 'action-finished', stepId: 'firewall', title: 'enable ufw', status: 'done' },
  { type: 'gate', stepId: 'firewall', title: 'logging in as deploy from a fresh connection', status: 'passed' },
];

describe('apply screen', () => {
  const state = events.reduce((s, e) => applyEvent(s, e, 10_000), initApply([...steps], 0));
  it('shows step states, the current action, gates, dead-man timers, the output tail and progress', () => {
    const r = render(<ApplyView apply={state} now={40_000} abort="none" width={80} height={20} onAbort={() => {}} />);
    const f = r.lastFrame()!;
    expect(f).toMatch(/✓ Preflight checks/);
    expect(f).toMatch(/= Base packages \(already done\)/);
    expect(f).toMatch(/● Firewall \(guarded\) \(running\)/);
    expect(f).toContain('firewall: enable ufw');
    expect(f).toContain('gate: logging in as deploy from a fresh connection… ok');
    expect(f).toContain('dead-man switch firewall: ARMED, restores in 150s unless a fresh login disarms it');
    expect(f).toContain('Firewall is active and enabled on system startup');
    expect(f).toMatch(/ 78% 40s/);
    expect(progress(state)).toBe(78);
    r.unmount();
  });
  it('asks before stopping', () => {
    const r = render(<ApplyView apply={state} now={0} abort="confirming" width={80} height={20} onAbort={() => {}} />);
    expect(r.lastFrame()).toMatch(/Stop applying\?/);
    const f = r.lastFrame()!.replace(/\s+/g, ' ');
    expect(f).toMatch(/a guarded change finishes or is put back\), then nothing more starts until you answer/);
    expect(f).toMatch(/· paused at /);
    r.unmount();
  });
});

describe('failed screen', () => {
  it('says what failed, what was reverted, the state now and how to retry', () => {
    const s = [
      ...events,
      { type: 'deadman', stepId: 'firewall', groupId: 'firewall', state: 'reverted' } as const,
      { type: 'step-finished', stepId: 'firewall', status: 'reverted' } as const,
    ].reduce((a, e) => applyEvent(a, e, 0), initApply([...steps], 0));
    const r = render(
      <FailedView fatal={null} cancelled={false} steps={s.steps} report={['What failed: the fresh login as deploy was refused.']} reverted={['firewall']} />,
    );
    const f = r.lastFrame()!;
    expect(f).toContain('Step "Firewall (guarded)" failed; nothing after it ran.');
    expect(f).toContain('What failed: the fresh login as deploy was refused.');
    expect(f).toMatch(/firewall: the server restored its backups/);
    expect(f).toMatch(/in place: preflight, base, user/);
    expect(f).toMatch(/reverted: firewall/);
    expect(f).toMatch(/To retry:/);
    r.unmount();
  });
});

/** A simulated server whose first command waits until the test lets it go: the apply stays on its first action. */
class HeldFirstCall extends RecordingExecutor {
  #started = false;
  #release!: () => void;
  readonly #held = new Promise<void>((r) => (this.#release = r));
  release(): void {
    this.#release();
  }
  override async run(argv: Argv, opts?: RunOptions): Promise<ExecResult> {
    if (!this.#started) {
      this.#started = true;
      await this.#held;
    }
    return super.run(argv, opts);
  }
}

describe('Ctrl-C during apply', () => {
  it('asks, then stops through the AbortSignal and exits 130', async () => {
    let exitState: string | null = null;
    const held = new HeldFirstCall();
    const r = render(
      <App
        init={stateFor(['--dry-run', '--host', '203.0.113.10'], { CLAW_SUDO_PASSWORD: 'x', ANTHROPIC_API_KEY: 'y' }, key)}
        deps={dryDeps({ dryExecutor: () => ({ exec: held, count: () => held.calls.length }) })}
        onExit={(o) => (exitState = o.state.phase)}
      />,
    );
    await waitFor(r, /Welcome/);
    await press(r, KEY.enter);
    await answerAll(r, []);
    await waitFor(r, /apply \(dry run/);
    await press(r, KEY.enter);
    await waitFor(r, /systemd is PID 1/);
    await press(r, KEY.ctrlC);
    await waitFor(r, /Stop applying\?/);
    await press(r, 'n');
    expect(await waitFor(r, /systemd is PID 1/)).not.toMatch(/Stop applying/);
    await press(r, KEY.ctrlC);
    await waitFor(r, /Stop applying\?/);
    await press(r, 'y');
    held.release(); // the command in flight ends; the runner stops before the next one
    const f = await waitFor(r, /Stopped at your request/);
    expect(f).toMatch(/Cancelled before the next (step|action)/);
    expect(held.calls).toHaveLength(1);
    for (let i = 0; i < 100 && !exitState; i++) await tick(10);
    expect(exitState).toBe('failed');
    r.unmount();
  });
});
