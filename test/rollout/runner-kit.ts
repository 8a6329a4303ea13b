// Shared by the runner's tests and the guarded-walk tests: tiny plans, a run through runPlan with a
// recording executor, and a compact trace of what reached it.
import { RecordingExecutor, type Recorded } from '../../src/exec/recording.js';
import type { ExecResult } from '../../src/exec/types.js';
import { gate, run, write, type Action, type GuardedGroup, type Plan, type Step } from '../../src/plan/action.js';
import type { RolloutEvent } from '../../src/rollout/events.js';
import { runPlan } from '../../src/rollout/runner.js';

export const step = (id: Step['id'], ...actions: Action[]): Step => ({ id, title: `step ${id}`, summary: [], actions });
export const plan = (...steps: Step[]): Plan => ({ header: [], steps });

export type Respond = (c: Recorded) => Partial<ExecResult> | undefined;

export async function apply(
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
export const trace = (ex: RecordingExecutor) =>
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

export const isArgv = (c: Recorded, ...prefix: string[]) => c.op === 'run' && prefix.every((p, i) => c.argv[i] === p);

export function group(extra: Partial<GuardedGroup> = {}): GuardedGroup {
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
