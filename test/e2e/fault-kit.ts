/**
 * Fault injection for the rollout e2e tests: the rollout run in-process (so a test can reshape the
 * plan or wrap the connection's executor) and wrappers that make the "laptop" die, or the server
 * change, at an exact command. Kept apart from rollout-kit.ts, which drives the real CLI binary.
 */
import { parseCli } from '../../src/cli/args.js';
import { loadAll } from '../../src/answers/load.js';
import { secretsFor } from '../../src/answers/secrets.js';
import type { Facts } from '../../src/plan/facts.js';
import type { Action, GuardedGroup, Plan } from '../../src/plan/action.js';
import { planContext } from '../../src/plan/context.js';
import { connect, type Connection } from '../../src/rollout/connect.js';
import { runPlan } from '../../src/rollout/runner.js';
import type { RolloutEvent, RolloutResult } from '../../src/rollout/events.js';
import { buildPlan } from '../../steps/index.js';
import type { Rig } from './rollout-kit.js';

/** In-process: connect like the CLI, plan from the real facts, optionally transform the plan, run. */
export async function applyInProcess(
  r: Rig,
  o: {
    transform?: (p: Plan) => Plan;
    wrap?: (c: Connection) => Connection['exec'];
    signal?: AbortSignal;
    onEvent?: (e: RolloutEvent) => void;
    sshOptions?: string[];
  } = {},
): Promise<{ result: RolloutResult; events: RolloutEvent[]; plan: Plan; conn: Connection; facts: Facts }> {
  const args = parseCli(['--answers', r.answersFile, '--yes']);
  const { answers, keys } = loadAll(args, r.env);
  const secrets = secretsFor(answers, r.env);
  const conn = await connect({
    host: r.host.ip,
    port: 22,
    user: 'root',
    identityFile: r.admin.privateKey,
    sshOptions: o.sshOptions ?? [],
    knownHosts: r.host.knownHosts,
    yes: true,
    force: false,
    confirmHostKey: async () => false,
    sudoPassword: secrets.sudoPassword,
    fallbackUser: 'deploy',
    secrets: [secrets.sudoPassword],
  });
  const ctx = planContext(answers, conn.facts, secrets, keys);
  const plan = (o.transform ?? ((p) => p))(buildPlan(ctx, r.host.ip));
  const events: RolloutEvent[] = [];
  const exec = o.wrap ? o.wrap(conn) : conn.exec;
  try {
    const result = await runPlan(
      plan,
      exec,
      (e) => {
        events.push(e);
        o.onEvent?.(e);
      },
      { secrets: [secrets.sudoPassword], signal: o.signal },
    );
    return { result, events, plan, conn, facts: conn.facts };
  } finally {
    await conn.exec.close();
  }
}

/** Replaces the guarded group `id` in a plan. */
export function mapGroup(p: Plan, id: string, f: (g: GuardedGroup) => GuardedGroup): Plan {
  const map = (a: Action): Action => (a.kind === 'guarded' && a.id === id ? f(a) : a);
  return { ...p, steps: p.steps.map((s) => ({ ...s, actions: s.actions.map(map) })) };
}

/** The in-process run "dies" (laptop gone) right after the command `when` matches: every later call fails. */
export function dieAfter(when: (argv: readonly string[]) => boolean, onDeath: () => void = () => {}) {
  return (c: Connection) => {
    const real = c.exec;
    let dead = false;
    const die = () => {
      throw new Error('ssh: connect to host: Network is unreachable (simulated: the wizard is gone)');
    };
    return Object.assign(Object.create(real), {
      run: async (argv: readonly string[], o?: object) => {
        if (dead) die();
        const out = await real.run(argv, o);
        if (when(argv)) {
          dead = true;
          onDeath();
          await real.close();
        }
        return out;
      },
      write: async (...a: Parameters<typeof real.write>) => (dead ? die() : real.write(...a)),
      freshLogin: async (...a: Parameters<typeof real.freshLogin>) => (dead ? die() : real.freshLogin(...a)),
      loginRefused: async (...a: Parameters<typeof real.loginRefused>) => (dead ? die() : real.loginRefused(...a)),
      close: async () => real.close(),
    }) as typeof real;
  };
}

/** The connection's executor with `run` replaced; every other call goes to the real one. */
export function withRun(c: Connection, run: (real: Connection['exec'], argv: readonly string[], o?: object) => ReturnType<Connection['exec']['run']>) {
  const real = c.exec;
  return Object.assign(Object.create(real), {
    run: (argv: readonly string[], o?: object) => run(real, argv, o),
    write: real.write.bind(real),
    freshLogin: real.freshLogin.bind(real),
    loginRefused: real.loginRefused.bind(real),
    close: real.close.bind(real),
  }) as typeof real;
}

/** Runs `before` just before the command `when` matches, then the command itself. */
export function injectBefore(when: (argv: readonly string[]) => boolean, before: () => void) {
  return (c: Connection) =>
    withRun(c, async (real, argv, o) => {
      if (when(argv)) before();
      return real.run(argv, o);
    });
}
