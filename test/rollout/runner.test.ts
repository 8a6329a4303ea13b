// The step walk (src/rollout/runner.ts): skips, when:"changed", gates, failures and cancel outside a
// guarded group. The group walk itself is in guarded-walk.test.ts.
import { describe, expect, it } from 'vitest';
import { gate, run, write, type Step } from '../../src/plan/action.js';
import { apply, isArgv, plan, step, trace } from './runner-kit.js';

describe('runPlan: plain actions', () => {
  it('skips a write whose skipIf probe exits 0 (the secret file is never sent), writes it otherwise', async () => {
    const w = write('/run/claw-setup/ts-authkey', 'key\n', { mode: 0o600, skipIf: ['tailscale', 'ip', '-4'] });
    const joined = await apply(plan(step('tailscale', w)), (c) => (c.op === 'run' && c.purpose === 'probe' ? { code: 0 } : undefined));
    expect(trace(joined.ex)).toEqual(['probe:tailscale ip']);
    const fresh = await apply(plan(step('tailscale', w)));
    expect(trace(fresh.ex)).toEqual(['probe:tailscale ip', 'write:/run/claw-setup/ts-authkey']);
  });

  it('skips a run whose skipIf probe exits 0 and reports the step skipped', async () => {
    const { ex, events, result } = await apply(plan(step('base', run('install x', ['apt-get', 'install', 'x'], { skipIf: ['dpkg', '-s', 'x'] }))), (c) =>
      c.op === 'run' && c.purpose === 'probe' ? { code: 0 } : undefined,
    );
    expect(result.status).toBe('done');
    expect(trace(ex)).toEqual(['probe:dpkg -s']);
    expect(events).toContainEqual({ type: 'action-finished', stepId: 'base', title: 'install x', status: 'skipped' });
    expect(events).toContainEqual({ type: 'step-finished', stepId: 'base', status: 'skipped' });
  });

  it('runs the action when the probe says not done yet', async () => {
    const { ex, events } = await apply(plan(step('base', run('install x', ['apt-get', 'install', 'x'], { skipIf: ['dpkg', '-s', 'x'] }))));
    expect(trace(ex)).toEqual(['probe:dpkg -s', 'action:apt-get install']);
    expect(events).toContainEqual({ type: 'step-finished', stepId: 'base', status: 'done' });
  });

  it('runs a when:"changed" action only after a write in the same step changed a file', async () => {
    const s = (id: Step['id'], path: string) =>
      step(id, write(path, 'a\n', { mode: 0o644 }), run(`restart for ${path}`, ['systemctl', 'restart', id], { when: 'changed' }));
    const { ex, events } = await apply(plan(s('fail2ban', '/etc/unchanged'), s('base', '/etc/changed')), (c) =>
      c.op === 'write' && c.path === '/etc/unchanged' ? { code: 1 } : undefined,
    );
    expect(trace(ex)).toEqual(['write:/etc/unchanged', 'write:/etc/changed', 'action:systemctl restart']);
    expect(events).toContainEqual({ type: 'step-finished', stepId: 'fail2ban', status: 'skipped' });
    expect(events).toContainEqual({ type: 'step-finished', stepId: 'base', status: 'done' });
  });

  it('skips a write whose skipIf probe exits 0 (and it then counts as unchanged)', async () => {
    const { ex, events } = await apply(
      plan(step('tailscale', write('/run/x/key', 'k', { mode: 0o600, skipIf: ['tailscale', 'ip', '-4'] }), run('use it', ['true'], { when: 'changed' }))),
      (c) => (c.op === 'run' && c.purpose === 'probe' ? { code: 0 } : undefined),
    );
    expect(trace(ex)).toEqual(['probe:tailscale ip']);
    expect(events).toContainEqual({ type: 'step-finished', stepId: 'tailscale', status: 'skipped' });
  });

  it('a gate with onlyAfterChange runs when anything earlier in the run changed, and is passed over when nothing did', async () => {
    const audit = gate('every audit check passes', { type: 'remote', argv: ['claw-audit'], onlyAfterChange: true });
    const p = plan(step('base', write('/etc/a', 'a', { mode: 0o644 })), step('verify', audit));
    const changed = await apply(p);
    expect(trace(changed.ex)).toEqual(['write:/etc/a', 'gate:claw-audit']);
    const same = await apply(p, (c) => (c.op === 'write' ? { code: 1 } : undefined));
    expect(trace(same.ex)).toEqual(['write:/etc/a']);
    expect(same.result.status).toBe('done');
    expect(same.events).toContainEqual(
      expect.objectContaining({ type: 'gate', title: 'every audit check passes', status: 'passed', detail: expect.stringMatching(/nothing changed/) }),
    );
    // A change earlier in the same step counts too.
    const inStep = await apply(plan(step('verify', write('/usr/local/sbin/audit', 'x', { mode: 0o755 }), audit)));
    expect(trace(inStep.ex)).toEqual(['write:/usr/local/sbin/audit', 'gate:claw-audit']);
  });

  it('a write in an earlier step does not trigger a later step\'s when:"changed"', async () => {
    const { ex } = await apply(
      plan(step('base', write('/etc/a', 'a', { mode: 0o644 })), step('fail2ban', run('restart', ['systemctl', 'restart', 'x'], { when: 'changed' }))),
    );
    expect(trace(ex)).toEqual(['write:/etc/a']);
  });

  it('a failing gate stops everything after it, with a plain report', async () => {
    const { ex, result, events } = await apply(
      plan(
        step('preflight', gate('systemd is PID 1', { type: 'remote', argv: ['test', '-d', '/run/systemd/system'] })),
        step('base', run('never', ['touch', '/x'])),
      ),
      (c) => (c.op === 'run' && c.purpose === 'gate' ? { code: 1, stderr: 'no systemd here' } : undefined),
    );
    expect(result.status).toBe('failed');
    expect(trace(ex)).toEqual(['gate:test -d']);
    expect(result.report[0]).toContain('systemd is PID 1');
    expect(result.report[0]).toContain('no systemd here');
    expect(result.report.join('\n')).toMatch(/How to retry/);
    expect(events).toContainEqual({ type: 'gate', stepId: 'preflight', title: 'systemd is PID 1', status: 'failed', detail: 'no systemd here' });
    expect(events.some((e) => e.type === 'step-started' && e.stepId === 'base')).toBe(false);
  });

  it('a failed action stops the run and its output is shown', async () => {
    const { ex, result, events } = await apply(plan(step('base', run('install', ['apt-get', 'install', 'x']), run('after', ['true']))), (c) =>
      isArgv(c, 'apt-get') ? { code: 100, stderr: 'E: Unable to locate package x' } : undefined,
    );
    expect(result.status).toBe('failed');
    expect(trace(ex)).toEqual(['action:apt-get install']);
    expect(events).toContainEqual({ type: 'output', stepId: 'base', line: 'E: Unable to locate package x' });
    expect(result.report[0]).toContain('exit 100');
  });
});

describe('runPlan: cancel', () => {
  it('outside a group: stops before the next action', async () => {
    const ac = new AbortController();
    const { ex, result } = await apply(
      plan(step('base', run('one', ['echo', '1']), run('two', ['echo', '2'])), step('user', run('three', ['echo', '3']))),
      undefined,
      {
        signal: ac.signal,
        onEvent: (e) => {
          if (e.type === 'action-finished' && e.title === 'one') ac.abort();
        },
      },
    );
    expect(result.status).toBe('cancelled');
    expect(trace(ex)).toEqual(['action:echo 1']);
    expect(result.report[0]).toMatch(/^Cancelled/);
  });
});
