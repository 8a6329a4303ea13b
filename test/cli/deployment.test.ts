// runChange (src/cli/deployment.ts), the path every day-2 change runs through (rotate, upgrade,
// add/remove-channel, restore): stale armed groups settled first, "nothing armed" gated last.
import { describe, expect, it } from 'vitest';
import type { CliArgs } from '../../src/cli/args.js';
import { runChange } from '../../src/cli/deployment.js';
import { StepFailedError } from '../../src/core/errors.js';
import type { Io } from '../../src/core/io.js';
import { RecordingExecutor } from '../../src/exec/recording.js';
import { NO_ARMED_GROUP, settledChange, settleStaleGroups } from '../../src/plan/guard.js';
import type { OpenLink } from '../../src/rollout/session.js';
import { planRotate, rotationTargets } from '../../steps/rotate.js';
import { base, deployed } from '../day2-fixtures.js';

describe('every change command: stale armed groups settled first, "nothing armed" gated last', () => {
  const rp = planRotate(base, rotationTargets(deployed(), 'gateway-token', false), [], 'h');
  const link = (exec: RecordingExecutor) =>
    ({ exec, addSecrets: () => undefined, counters: () => ({ connections: 1, roundTrips: 0, raceRetries: 0 }) }) as unknown as OpenLink;
  const change = (exec: RecordingExecutor, dryRun: boolean, io: Io = { stdout: () => undefined } as unknown as Io) =>
    runChange({ link: link(exec), signal: new AbortController().signal, out: () => undefined, answers: base, host: 'h', local: base }, rp.plan, {
      what: 'rotate OPENCLAW_GATEWAY_TOKEN',
      restored: 'the previous .env is back',
      prompts: null,
      args: { dryRun } as CliArgs,
      io,
    });
  const isSettle = (argv: readonly string[]) => argv.join(' ') === settleStaleGroups().argv.join(' ');

  it('settledChange: the settle step first, the change untouched, the NO_ARMED_GROUP gate last', () => {
    const s = settledChange(rp.plan);
    expect(s.steps[0]).toMatchObject({ id: 'preflight', actions: [settleStaleGroups()] });
    expect(s.steps.slice(1, -1)).toEqual(rp.plan.steps);
    expect(s.steps.at(-1)!.actions).toEqual([expect.objectContaining({ kind: 'gate', check: { type: 'remote', argv: NO_ARMED_GROUP } })]);
  });

  it('runChange prints it settled (rotate, upgrade, add/remove-channel and restore all run through it)', async () => {
    let text = '';
    await change(new RecordingExecutor(), true, { stdout: (s: string) => (text += s) } as unknown as Io);
    const at = (s: string) => text.indexOf(s);
    expect(at('restore what an interrupted earlier run left armed')).toBeGreaterThan(-1);
    expect(at('restore what an interrupted earlier run left armed')).toBeLessThan(at('a new token, made on the server'));
    expect(at('a new token, made on the server')).toBeLessThan(at('no dead-man switch is left armed'));
  });

  it('run: a group left armed is restored before the first change; a timer still armed at the end fails the run', async () => {
    const ok = new RecordingExecutor();
    expect(await change(ok, false)).toBe(0);
    const runs = ok.calls.flatMap((c) => (c.op === 'run' ? [c] : []));
    const settle = runs.findIndex((c) => c.purpose === 'action' && isSettle(c.argv));
    const firstChange = runs.findIndex((c) => c.purpose === 'action' && !isSettle(c.argv));
    const gateAt = runs.findIndex((c) => c.purpose === 'gate' && c.argv === NO_ARMED_GROUP);
    expect(settle).toBeGreaterThan(-1);
    expect(settle).toBeLessThan(firstChange);
    expect(gateAt).toBeGreaterThan(runs.findIndex((c) => c.argv.join(' ').includes('deadman.sh disarm')));
    const stillArmed = new RecordingExecutor((c) => (c.op === 'run' && c.argv === NO_ARMED_GROUP ? { code: 1 } : undefined));
    await expect(change(stillArmed, false)).rejects.toThrow(StepFailedError);
  });
});
