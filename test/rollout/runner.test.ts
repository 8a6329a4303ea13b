import { describe, expect, it } from 'vitest';
import { RecordingExecutor, type Recorded } from '../../src/exec/recording.js';
import type { ExecResult } from '../../src/exec/types.js';
import { gate, run, write, type Action, type GuardedGroup, type Plan, type Step } from '../../src/plan/action.js';
import { BUDGET, deadmanScript } from '../../src/plan/guard.js';
import type { RolloutEvent } from '../../src/rollout/events.js';
import { runPlan } from '../../src/rollout/runner.js';

const step = (id: Step['id'], ...actions: Action[]): Step => ({ id, title: `step ${id}`, summary: [], actions });
const plan = (...steps: Step[]): Plan => ({ header: [], steps });

type Respond = (c: Recorded) => Partial<ExecResult> | undefined;

async function apply(
  p: Plan,
  respond: Respond = () => undefined,
  opts: { signal?: AbortSignal; onEvent?: (e: RolloutEvent, ex: RecordingExecutor) => void } = {},
) {
  const ex = new RecordingExecutor(respond);
  const events: RolloutEvent[] = [];
  const result = await runPlan(
    p,
    ex,
    (e) => {
      events.push(e);
      opts.onEvent?.(e, ex);
    },
    { secrets: [], signal: opts.signal, wait: async () => {} },
  );
  return { ex, events, result };
}

/** A compact trace of what reached the executor: "run:argv0 argv1", "write:/path", "gate:fresh-login". */
const trace = (ex: RecordingExecutor) =>
  ex.calls.map((c) => {
    switch (c.op) {
      case 'run':
        return `${c.purpose}:${c.argv.slice(0, 2).join(' ')}`;
      case 'write':
        return `write:${c.path}`;
      default:
        return c.op;
    }
  });

const isArgv = (c: Recorded, ...prefix: string[]) => c.op === 'run' && prefix.every((p, i) => c.argv[i] === p);

function group(extra: Partial<GuardedGroup> = {}): GuardedGroup {
  return {
    kind: 'guarded',
    id: 'g1',
    title: 'risky change',
    backup: ['/etc/risky.conf'],
    afterRestore: ['systemctl reload risky'],
    timeoutSec: 90,
    actions: [write('/etc/risky.conf', 'x=1\n', { mode: 0o644 }), run('reload risky', ['systemctl', 'reload', 'risky'])],
    gates: [
      gate('fresh login works', { type: 'fresh-login', user: 'deploy', port: 22, via: 'public', sudo: true }),
      gate('root refused', { type: 'login-refused', user: 'root', port: 22, method: 'publickey' }),
    ],
    ...extra,
  };
}

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

  it('retries a remote gate up to its retries, then passes', async () => {
    let n = 0;
    const { ex, result } = await apply(
      plan(step('fail2ban', gate('jail up', { type: 'remote', argv: ['fail2ban-client', 'status', 'sshd'], retries: 5, delaySec: 1 }))),
      (c) => (c.op === 'run' && c.purpose === 'gate' ? { code: ++n < 3 ? 1 : 0 } : undefined),
    );
    expect(result.status).toBe('done');
    expect(trace(ex)).toEqual(['gate:fail2ban-client status', 'gate:fail2ban-client status', 'gate:fail2ban-client status']);
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

  it('resolves the tailnet address before a fresh login via the tailnet', async () => {
    const seen: (string | undefined)[] = [];
    class Tailnet extends RecordingExecutor {
      override async freshLogin(check: Parameters<RecordingExecutor['freshLogin']>[0], o?: { address?: string }) {
        seen.push(o?.address);
        return super.freshLogin(check);
      }
    }
    const ex = new Tailnet((c) => (isArgv(c, 'tailscale', 'ip') ? { stdout: '100.101.102.103\n' } : undefined));
    const result = await runPlan(
      plan(step('tailscale', gate('login over tailnet', { type: 'fresh-login', user: 'deploy', port: 22, via: 'tailnet', sudo: false }))),
      ex,
      () => {},
      { secrets: [] },
    );
    expect(result.status).toBe('done');
    expect(seen).toEqual(['100.101.102.103']);
  });
});

describe('runPlan: guarded groups', () => {
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
