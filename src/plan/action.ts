import type { StepId } from '../answers/schema.js';
import { secretsIn, type Secret, type SecretText } from '../core/secret.js';

/**
 * The plan is data. Steps return these actions; the dry-run printer, the
 * review screen, the runner and any exporter all read the same objects, so
 * what you review is what runs. Every `argv` runs on the server as root
 * (directly, or through `sudo -S` once root login is off).
 */
export type Argv = readonly string[];

/** Run one command. Skipped when `skipIf` exits 0 (already done: reruns stay idempotent). */
export interface RunAction {
  kind: 'run';
  title: string;
  argv: Argv;
  /** Fed to the process's stdin; the only way a secret reaches a command. */
  stdin?: SecretText;
  skipIf?: Argv;
  /** Seconds before the runner gives up on this command. */
  timeoutSec?: number;
  /** "changed": run only when a write earlier in the same step (or group) really changed a file, like a handler. */
  when?: 'changed';
}

/** Create or replace one file atomically, with its mode set before any byte is written. */
export interface WriteAction {
  kind: 'write';
  title: string;
  path: string;
  content: SecretText;
  /** Octal permission bits, e.g. 0o600. */
  mode: number;
  owner: string;
  group: string;
  /** Exit 0 means the file is not needed (e.g. the auth key once Tailscale is up): skip the write. */
  skipIf?: Argv;
}

/** A check that must pass before anything after it runs. */
export type GateCheck =
  /** A brand-new SSH connection (no ControlMaster) as `user` with only the operator's key; `sudo` also checks sudo with the password. */
  | { type: 'fresh-login'; user: string; port: number; via: 'public' | 'tailnet'; sudo: boolean }
  /** A brand-new connection as `user` with `method` must be refused. */
  | { type: 'login-refused'; user: string; port: number; method: 'publickey' | 'password' }
  /** A command on the server (through the admin connection) must exit 0. */
  | {
      type: 'remote';
      argv: Argv;
      retries?: number;
      delaySec?: number;
      /** Seconds one try may take (default BUDGET.remoteTry): for a check that waits on the server, in one round trip. */
      timeoutSec?: number;
      /**
       * Skipped when nothing earlier in this run changed anything on the server (a rerun with
       * nothing to do keeps the last run's verification; `claw-setup audit` runs it on demand).
       */
      onlyAfterChange?: boolean;
    };

export interface GateAction {
  kind: 'gate';
  title: string;
  check: GateCheck;
}

/**
 * Risky actions under a server-side dead-man switch: the server backs up
 * `backup`, arms a systemd timer that restores them after `timeoutSec`, then
 * runs `actions`; only when every gate passes is the timer disarmed. A failed
 * gate restores at once.
 */
export interface GuardedGroup {
  kind: 'guarded';
  id: string;
  title: string;
  backup: string[];
  /** Shell lines the restore script runs after the files are back (e.g. reload sshd). */
  afterRestore: string[];
  timeoutSec: number;
  /** Exit 0 means the group's change is already in place: skip it whole, nothing armed. */
  skipIf?: Argv;
  actions: (RunAction | WriteAction)[];
  gates: GateAction[];
}

export type Action = RunAction | WriteAction | GateAction | GuardedGroup;

/** A rollout step, or `channel` (add-channel / remove-channel on a running deployment). */
export type PlanStepId = StepId | 'channel';

export interface Step {
  id: PlanStepId;
  title: string;
  /** One or two lines for the review screen: what will change. */
  summary: string[];
  actions: Action[];
  /** What to tell the operator afterwards, as data (printed as comments, shown on the done screen). */
  next?: NextStep[];
}

/**
 * One thing to tell the operator after the run. Front ends render these; none
 * parses prose: `command` is exactly what to type, `text` the words around it.
 *   login    how to log in from now on (root and passwords are off)
 *   connect  how to reach the Control UI
 *   token    how to read the gateway token (never its value)
 *   note     anything else
 */
export interface NextStep {
  kind: 'login' | 'connect' | 'token' | 'note';
  text: string;
  command?: string;
  /** Words after the command, e.g. "(stop the gateway first)". */
  aside?: string;
}

/** One line for a plain listing: "text: command aside". */
export function nextStepLine(n: NextStep): string {
  return `${n.text}${n.command ? `: ${n.command}` : ''}${n.aside ? ` ${n.aside}` : ''}`;
}

/** Every next step of a plan, in step order. */
export function planNextSteps(plan: Plan): NextStep[] {
  return plan.steps.flatMap((s) => s.next ?? []);
}

export interface Plan {
  /** Header lines: target, assumptions (OS when planned offline). */
  header: string[];
  steps: Step[];
}

export const run = (title: string, argv: Argv, extra: Partial<Omit<RunAction, 'kind' | 'title' | 'argv'>> = {}): RunAction => ({
  kind: 'run',
  title,
  argv,
  ...extra,
});

export const write = (
  path: string,
  content: SecretText | string,
  opts: { mode: number; owner?: string; group?: string; title?: string; skipIf?: Argv },
): WriteAction => ({
  kind: 'write',
  title: opts.title ?? `write ${path}`,
  path,
  content: typeof content === 'string' ? [content] : content,
  mode: opts.mode,
  owner: opts.owner ?? 'root',
  group: opts.group ?? opts.owner ?? 'root',
  ...(opts.skipIf ? { skipIf: opts.skipIf } : {}),
});

export const gate = (title: string, check: GateCheck): GateAction => ({ kind: 'gate', title, check });

/** Every write action in a plan, guarded ones included, in order. */
export function planFiles(plan: Plan): WriteAction[] {
  const out: WriteAction[] = [];
  const visit = (a: Action) => {
    if (a.kind === 'write') out.push(a);
    else if (a.kind === 'guarded') a.actions.forEach(visit);
  };
  plan.steps.forEach((s) => s.actions.forEach(visit));
  return out;
}

/** Every secret the plan will reveal (into stdin or file contents), each once. */
export function planSecrets(plan: Plan): Secret[] {
  const out = new Set<Secret>();
  for (const s of plan.steps)
    for (const a of s.actions)
      for (const x of a.kind === 'guarded' ? a.actions : [a]) {
        if (x.kind === 'run') secretsIn(x.stdin).forEach((v) => out.add(v));
        if (x.kind === 'write') secretsIn(x.content).forEach((v) => out.add(v));
      }
  return [...out];
}
