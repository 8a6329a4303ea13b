// A dry-run apply runs the real runner against a simulated server (issue 13 item 3): a plan that
// moves SSH onto the tailnet must simulate to the end, not fail for want of a tailnet address.
import { describe, expect, it } from 'vitest';
import { RecordingExecutor } from '../../src/exec/recording.js';
import { runPlan } from '../../src/rollout/runner.js';
import { SIMULATED_TAILNET_ADDRESS, simulatedServer } from '../../src/ui/paced-executor.js';
import { fixture, planFor } from '../helpers.js';

describe('dry-run apply against the simulated server', () => {
  const { plan } = planFor(fixture('tailscale-only-ssh'));

  it('a plain recording fake cannot pass the tailnet gate (what the simulation fixes)', async () => {
    const r = await runPlan(plan, new RecordingExecutor(), () => {}, { secrets: [] });
    expect(r.status).toBe('failed');
    expect(r.report.join('\n')).toContain('the server has no tailnet address');
  });

  it('the simulated server has a tailnet address, so the whole plan simulates to the end', async () => {
    const exec = simulatedServer();
    const r = await runPlan(plan, exec, () => {}, { secrets: [] });
    expect(r.status, r.report.join('\n')).toBe('done');
    const tailnet = exec.calls.find((c) => c.op === 'fresh-login' && c.check.via === 'tailnet');
    expect(tailnet).toBeDefined();
    expect(SIMULATED_TAILNET_ADDRESS).toMatch(/^100\./);
  });
});
