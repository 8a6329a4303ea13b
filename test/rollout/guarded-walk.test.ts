// The guarded-group walk (src/rollout/guarded-walk.ts), driven through runPlan as every caller drives it:
// arm before the first change, revert on any failure or cancel, disarm only after every gate passed.
import { describe, expect, it } from 'vitest';
import { RecordingExecutor } from '../../src/exec/recording.js';
import { run } from '../../src/plan/action.js';
import { BUDGET, deadmanScript } from '../../src/plan/guard.js';
import type { RolloutEvent } from '../../src/rollout/events.js';
import { runPlan } from '../../src/rollout/runner.js';
import { apply, group, isArgv, plan, step, trace } from './runner-kit.js';

describe('guarded group walk', () => {
  const script = deadmanScript('g1');

  it('arms before the first change and disarms only after every gate passed', async () => {
    const order: string[] = [];
    const { ex, events, result } = await apply(plan(step('ssh', group())), undefined, {
      onEvent: (e, x) => {
        if (e.type === 'deadman') order.push(`${e.state}@${x.calls.length}`);
      },
    });
    expect(result.status).toBe('done');
    const t = trace(ex);
    expect(t).toEqual([
      'probe:test -d',
      'action:install -d',
      `write:${script}`,
      'write:/etc/systemd/system/claw-setup-deadman-boot@.service',
      `action:/bin/sh ${script}`,
      `action:/bin/sh ${script}`,
      'write:/etc/risky.conf',
      'action:systemctl reload',
      'fresh-login',
      'login-refused',
      `action:/bin/sh ${script}`,
    ]);
    const subcommands = ex.calls.flatMap((c) => (c.op === 'run' && c.argv[1] === script ? [c.argv.slice(2).join(' ')] : []));
    expect(subcommands).toEqual(['backup', 'arm 90', 'disarm']);
    // armed right after the arm command (6 calls), disarmed after the disarm command (11 calls)
    expect(order).toEqual(['armed@6', 'disarmed@11']);
    expect(events).toContainEqual({ type: 'deadman', stepId: 'ssh', groupId: 'g1', state: 'armed', timeoutSec: 90 });
    expect(events).toContainEqual({ type: 'step-finished', stepId: 'ssh', status: 'done' });
  });

  it('skips the whole group when its skipIf passes: nothing armed', async () => {
    const { ex, events } = await apply(plan(step('ssh', group({ skipIf: ['test', '-e', '/etc/risky.conf'] }))), (c) =>
      c.op === 'run' && c.purpose === 'probe' ? { code: 0 } : undefined,
    );
    expect(trace(ex)).toEqual(['probe:test -e']);
    expect(events.some((e) => e.type === 'deadman')).toBe(false);
    expect(events).toContainEqual({ type: 'step-finished', stepId: 'ssh', status: 'skipped' });
  });

  it('a failed gate reverts at once (restore, then stop the timer) and never disarms', async () => {
    const { ex, events, result } = await apply(plan(step('ssh', group()), step('fail2ban', run('never', ['true']))), (c) =>
      c.op === 'login-refused' ? { code: 1, stderr: 'root@h: your key still logs in' } : undefined,
    );
    expect(result.status).toBe('failed');
    const t = trace(ex);
    expect(t.slice(-2)).toEqual(['login-refused', `action:/bin/sh ${script}`]);
    const restore = ex.calls.at(-1);
    // the script's restore stops the timer itself, after the files are back
    expect(restore?.op === 'run' && restore.argv.slice(2)).toEqual(['restore', 'now']);
    expect(ex.calls.some((c) => c.op === 'run' && c.argv[2] === 'disarm')).toBe(false);
    expect(events.filter((e) => e.type === 'deadman').map((e) => (e as { state: string }).state)).toEqual(['armed', 'reverted']);
    expect(events).toContainEqual({ type: 'step-finished', stepId: 'ssh', status: 'reverted' });
    const text = result.report.join('\n');
    expect(text).toContain('root refused');
    expect(text).toContain('your key still logs in');
    expect(text).toContain('/etc/risky.conf is back');
    expect(text).toMatch(/How to retry/);
  });

  it('a failed action inside the group reverts and skips the gates', async () => {
    const { ex, result } = await apply(plan(step('ssh', group())), (c) =>
      isArgv(c, 'systemctl', 'reload') ? { code: 1, stderr: 'sshd: bad config' } : undefined,
    );
    expect(result.status).toBe('failed');
    expect(ex.calls.some((c) => c.op === 'fresh-login')).toBe(false);
    expect(ex.calls.some((c) => c.op === 'run' && c.argv[2] === 'restore')).toBe(true);
  });

  it('a disarm that finds the restore already started fails the run and says the server reverted it', async () => {
    const { result, events } = await apply(plan(step('ssh', group()), step('fail2ban', run('never', ['true']))), (c) =>
      c.op === 'run' && c.argv[2] === 'disarm'
        ? { code: 3, stderr: 'claw-setup dead-man g1: too late to disarm: the restore already ran (state restored)' }
        : undefined,
    );
    expect(result.status).toBe('failed');
    const text = result.report.join('\n');
    expect(text).toContain('had already started restoring before it could be disarmed');
    expect(text).toContain('the server put /etc/risky.conf back by itself');
    expect(events.some((e) => e.type === 'deadman' && e.state === 'disarmed')).toBe(false);
    expect(events).toContainEqual({ type: 'step-finished', stepId: 'ssh', status: 'failed' });
  });

  it('never runs a gate past the end of the window: out of time, it reverts before the server would', async () => {
    const { ex, result } = await apply(plan(step('ssh', group({ timeoutSec: BUDGET.margin }))));
    expect(result.status).toBe('failed');
    expect(result.report.join('\n')).toMatch(/dead-man window of 15s is nearly over/);
    expect(ex.calls.some((c) => c.op === 'write' && c.path === '/etc/risky.conf')).toBe(false);
    expect(ex.calls.some((c) => c.op === 'fresh-login')).toBe(false);
    expect(ex.calls.at(-1)).toMatchObject({ op: 'run', argv: ['/bin/sh', script, 'restore', 'now'] });
  });

  it('when the admin connection dies mid-group, it says the server reverts by itself', async () => {
    let dead = false;
    class Dying extends RecordingExecutor {
      override async run(...a: Parameters<RecordingExecutor['run']>) {
        if (dead) throw new Error('the admin connection to h was lost');
        if (a[0][0] === 'systemctl' && a[0][1] === 'reload') dead = true;
        return super.run(...a);
      }
      override async freshLogin(...a: Parameters<RecordingExecutor['freshLogin']>) {
        if (dead) throw new Error('ssh: connect: Network is unreachable');
        return super.freshLogin(...a);
      }
    }
    const ex = new Dying();
    const events: RolloutEvent[] = [];
    const result = await runPlan(plan(step('ssh', group())), ex, (e) => events.push(e), { secrets: [] });
    expect(result.status).toBe('failed');
    expect(result.report.join('\n')).toMatch(/dead-man switch restores \/etc\/risky.conf within 90s/);
    expect(events.some((e) => e.type === 'deadman' && e.state === 'disarmed')).toBe(false);
  });

  it('a failure before the timer is armed reverts nothing (nothing changed)', async () => {
    const { ex, result } = await apply(plan(step('ssh', group())), (c) => (c.op === 'run' && c.argv.at(-1) === 'backup' ? { code: 1 } : undefined));
    expect(result.status).toBe('failed');
    expect(result.report.join('\n')).toContain('was not armed yet');
    expect(ex.calls.some((c) => c.op === 'write' && c.path === '/etc/risky.conf')).toBe(false);
    expect(ex.calls.some((c) => c.op === 'run' && c.argv[2] === 'restore')).toBe(false);
  });
});

describe('guarded group walk: cancel', () => {
  it('inside an armed group: reverts before stopping, never leaves it armed-and-abandoned or disarmed', async () => {
    const ac = new AbortController();
    const { ex, events, result } = await apply(plan(step('ssh', group()), step('fail2ban', run('never', ['true']))), undefined, {
      signal: ac.signal,
      onEvent: (e) => {
        if (e.type === 'deadman' && e.state === 'armed') ac.abort();
      },
    });
    expect(result.status).toBe('cancelled');
    expect(ex.calls.some((c) => c.op === 'write' && c.path === '/etc/risky.conf')).toBe(false);
    expect(ex.calls.some((c) => c.op === 'run' && c.argv[2] === 'restore')).toBe(true);
    expect(ex.calls.some((c) => c.op === 'run' && c.argv[2] === 'disarm')).toBe(false);
    expect(events.filter((e) => e.type === 'deadman').map((e) => (e as { state: string }).state)).toEqual(['armed', 'reverted']);
    expect(result.report.join('\n')).toMatch(/back as before/);
  });

  it('before a group is armed: stops without arming', async () => {
    const ac = new AbortController();
    const { ex, result } = await apply(plan(step('ssh', group())), undefined, {
      signal: ac.signal,
      onEvent: (e) => {
        if (e.type === 'action-finished' && e.title.startsWith('prepare')) ac.abort();
      },
    });
    expect(result.status).toBe('cancelled');
    expect(ex.calls.some((c) => c.op === 'run' && c.argv[2] === 'arm')).toBe(false);
  });
});
