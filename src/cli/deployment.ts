import { rawAnswers, validateAnswers } from '../answers/load.js';
import type { Answers } from '../answers/schema.js';
import type { CliArgs } from './args.js';
import { CancelledError, StepFailedError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import type { Secret } from '../core/secret.js';
import { planSecrets, type Plan } from '../plan/action.js';
import { DEADMAN_ROOT, settledChange, settleStaleGroups } from '../plan/guard.js';
import { serverPaths } from '../plan/paths.js';
import { printPlan } from '../plan/print.js';
import { checkPlanSecrets } from '../plan/secret-checks.js';
import { readDeployed } from '../facts/deployed.js';
import { runAndReport, type OpenLink } from '../rollout/session.js';
import type { Deployed } from '../plan/deployed-state.js';
import { waitHealthyArgv } from '../../steps/health-wait.js';
import { isPromptExit, type Prompts } from '../ui/plain/prompts.js';
import { withServer } from './connect.js';

/**
 * What every command that changes a running deployment shares (add-channel,
 * remove-channel, rotate, upgrade): connect, read what the server holds and
 * the answers it was deployed with, then print (dry run) or confirm and run a
 * plan, reporting a failure with the gateway's state after the rollback.
 */
export interface OnDeployment {
  link: OpenLink;
  signal: AbortSignal;
  out: (s: string) => void;
  /** The answers the deployment was made with (its journal), else the local ones. */
  answers: Answers;
  /** The local answers (file, --set, flags, environment). */
  local: Answers;
  deployed: Deployed;
  host: string;
  interactive: boolean;
}

/** What a command plans from: a deployment read from the server, or (link null) an offline dry run's, made from the answers (./dry-run-deployment.ts). */
export type OnPlan = Omit<OnDeployment, 'link'> & { link: OpenLink | null };

/** The local answers: file, --set (unless the command owns --set), flags, environment. */
export const localAnswers = (args: CliArgs, io: Io, o: { ownSet?: boolean } = {}): Answers =>
  validateAnswers(rawAnswers(o.ownSet ? { ...args, set: [] } : args, io.env), args.answers ? `answers file ${args.answers}` : 'the answers');

/** Connects and reads the deployment; `--set` is left to the command when `ownSet`. */
export function withDeployment(
  args: CliArgs,
  io: Io,
  fn: (d: OnDeployment) => Promise<number>,
  o: { ownSet?: boolean; connected?: () => void } = {},
): Promise<number> {
  const local = localAnswers(args, io, o);
  return withServer(
    args,
    io,
    local,
    async (link, signal, out) => {
      // Told at once: from here on a failure is the server's answer (e.g. a refused symlink), not "did not answer".
      o.connected?.();
      // Before anything is read: a plan made from a half-applied change whose timer is still
      // counting would be made from files that are about to go back.
      if (!args.dryRun) await settleBeforeReading(link, out);
      let deployed = await readDeployed(link.exec, serverPaths(local));
      const answers = deployedAnswers(deployed, local, out);
      if (answers !== local && answers.deployUser.name !== local.deployUser.name) deployed = await readDeployed(link.exec, serverPaths(answers));
      return fn({ link, signal, out, answers, local, deployed, host: local.target.host ?? '<host>', interactive: io.isTTY && !args.yes });
    },
    // A dry run's stdout is the plan: the connection chatter goes to stderr.
    { readOnly: args.dryRun, quiet: args.dryRun },
  );
}

/**
 * Restores what an interrupted earlier run left armed (as its timer would), under this run's
 * lock, so the change is planned from the files as they will be. The plan's own first step
 * (settledChange) does the same and then finds nothing left to do, yet both are needed: a dry
 * run must not settle, so only its printed plan can show the restore a real run does first, and
 * restore (cli/backup.ts) runs its change without reading the deployment, so without this.
 */
async function settleBeforeReading(link: OpenLink, out: (s: string) => void): Promise<void> {
  const settle = settleStaleGroups();
  if ((await link.exec.run(settle.skipIf!, { purpose: 'probe', timeoutSec: 30 })).code === 0) return;
  out('claw-setup: an interrupted earlier run left a dead-man switch armed: restoring what it backed up first, as its timer would');
  const r = await link.exec.run(settle.argv, { timeoutSec: 600 });
  if (r.code !== 0)
    throw new StepFailedError('an interrupted earlier run left a dead-man switch armed, and restoring it failed; this run changed nothing else', [
      ...r.stderr.trim().split('\n').filter(Boolean).slice(-10),
      `Look on the server: sudo sh -c 'grep . ${DEADMAN_ROOT}/*/state'; journalctl -t claw-setup -n 50`,
    ]);
}

/** The deployment's answers from the journal; the local answers when there is none (with a note). */
export function deployedAnswers(d: Deployed, local: Answers, out: (s: string) => void): Answers {
  if (d.journalAnswers) {
    try {
      return validateAnswers(d.journalAnswers, 'the journal on the server');
    } catch {
      out('claw-setup: the journal on the server is from another version; using your answers for paths and ports');
    }
  } else out('claw-setup: no journal on the server (/var/lib/claw-setup/journal.json); using your answers for paths and ports');
  return local;
}

/** A prompt; Ctrl-C or Ctrl-D at it cancels the command. */
export async function ask<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (isPromptExit(e)) throw new CancelledError();
    throw e;
  }
}

/** `--dry-run`: the plan as a script, and the promise that nothing changed. Returns the exit code (0). */
export function printDryRun(plan: Plan, local: Answers, host: string, io: Io): number {
  io.stdout(printPlan(plan, { host, port: local.target.port, identityFile: local.target.identityFile }));
  io.stdout('claw-setup: dry run: nothing was changed anywhere.\n');
  return 0;
}

export interface ChangeRun {
  /** E.g. "rotate OPENCLAW_GATEWAY_TOKEN": the confirm question and the failure message. */
  what: string;
  /** What came back on failure, e.g. "the previous .env is back". */
  restored: string;
  prompts: Prompts | null;
  args: CliArgs;
  io: Io;
  /** Secrets the plan carries beyond those in its actions (e.g. typed values). */
  secrets?: Secret[];
  /** The confirm question (default: "<what> on <host>?", yes by default). */
  confirm?: { message: string; default: boolean };
  /** Runs when the plan did not finish (failed or cancelled), before the report: e.g. remove staged files. */
  cleanup?: () => Promise<void>;
}

/**
 * `--dry-run`: prints the plan, returns 0. Otherwise confirms (in a terminal), runs it
 * with one line per event, and on failure throws with the gateway's health afterwards.
 * The plan runs settled: stale armed groups restored first, "nothing armed" gated last.
 */
export async function runChange(d: Pick<OnPlan, 'link' | 'signal' | 'out' | 'answers' | 'host' | 'local'>, change: Plan, c: ChangeRun): Promise<number> {
  const { link, signal, out, answers, host, local } = d;
  // Every change settles stale armed groups first and ends on "nothing armed" (src/plan/guard.ts).
  const plan = settledChange(change);
  if (c.args.dryRun) return printDryRun(plan, local, host, c.io);
  if (!link) throw new Error('a change without a server: only a dry run plans offline');
  checkPlanSecrets(plan);
  const secrets = [...planSecrets(plan), ...(c.secrets ?? [])];
  link.addSecrets(...secrets);
  const question = c.confirm ?? { message: `${c.what} on ${host}?`, default: true };
  if (c.prompts && !(await ask(() => c.prompts!.confirm(question)))) throw new CancelledError();
  await runAndReport({ plan, secrets }, link, {
    out,
    signal,
    // Each check asked when it comes, as day-2 changes always have (their README figures were
    // measured so); batching them, as setup does, is a change to measure on its own.
    batchProbes: false,
    cleanup: c.cleanup,
    failure: async (report) => {
      const healthy = await gatewayHealthy(link, answers);
      return new StepFailedError(`${c.what} failed; ${c.restored}`, [
        ...report,
        healthy
          ? 'The gateway is running and healthy on the previous files.'
          : 'The gateway did NOT answer /healthz on the previous files either: check `docker compose logs openclaw-gateway` on the server.',
      ]);
    },
  });
  return 0;
}

/**
 * After a rollback: is the gateway healthy on the previous files? Up to 120 s: a recreated gateway
 * took longer than 60 s to answer on a loaded 2-core machine, and the report then said it did not.
 */
async function gatewayHealthy(link: OpenLink, a: Answers): Promise<boolean> {
  const r = await link.exec.run(waitHealthyArgv(a, 120), { purpose: 'probe', timeoutSec: 240 });
  return r.code === 0;
}
