import { plansStep, type Answers } from '../answers/schema.js';
import { allSecrets, secretsFor } from '../answers/secrets.js';
import { Secret, secretText, type SecretText } from '../core/secret.js';
import { withDeployedChannels } from '../answers/channel-input.js';
import { readDeployed, readEnvValues, unquoteEnvValue, type DeployedPaths } from '../facts/deployed.js';
import type { Deployed } from '../plan/deployed-state.js';
import type { Executor } from '../exec/types.js';
import { planNextSteps, planSecrets, type NextStep, type Plan } from '../plan/action.js';
import { planContext, type DeployedContext, type PlanContext } from '../plan/context.js';
import { assumedFacts, type Facts, type OsKey } from '../plan/facts.js';
import { serverPaths } from '../plan/paths.js';
import { printPlan } from '../plan/print.js';
import { checkPlanSecrets, KEPT_ORIGIN } from '../plan/secret-checks.js';
import { buildPlan } from '../../steps/index.js';
import { CancelledError, StepFailedError } from '../core/errors.js';
import { connect, readGatewayToken, type ConnectOptions } from './connect.js';
import { eventPrinter } from './event-lines.js';
import type { RolloutListener, RolloutResult } from './events.js';
import { runPlan } from './runner.js';

/**
 * The one rollout session every front end drives (the `--yes` CLI, the Ink
 * wizard, the plain prompts): connect with fallback and probe, plan from what
 * the server has, check the secrets, run, and say what to do next. Front ends
 * only ask questions and show events.
 */

/** An open admin connection and what its read-only probe found: what a session plans and runs on. */
export interface ServerLink {
  exec: Executor;
  facts: Facts;
  /** The gateway token a first run left on the server (reruns keep it), or null. */
  readGatewayToken(envFile: string): Promise<Secret | null>;
  /** What a running deployment holds (journal, openclaw.json, the names in .env); links that cannot say leave it out. */
  readDeployed?(paths: DeployedPaths): Promise<Deployed>;
  /** Some .env values as secrets (raw, as written after NAME=), already scrubbed from every output. */
  readEnvSecrets?(envFile: string, names: string[]): Promise<Map<string, Secret>>;
  close(): Promise<void>;
}

export interface OpenLink extends ServerLink {
  /** The user the admin connection logged in as (the deploy user on a rerun, once root login is off). */
  user: string;
  counters(): { connections: number; roundTrips: number; raceRetries: number };
  /** Adds values to scrub from every output of this connection. */
  addSecrets(...s: Secret[]): void;
}

/** Opens the admin connection (takes the server's run lock, falls back to the deploy user and moved port) and probes. */
export async function openLink(o: ConnectOptions): Promise<OpenLink> {
  const c = await connect(o);
  return {
    exec: c.exec,
    facts: c.facts,
    user: c.user,
    counters: () => c.counters(),
    addSecrets: (...s) => c.exec.addSecrets(...s),
    readGatewayToken: (p) => readGatewayToken(c.exec, p),
    readDeployed: (p) => readDeployed(c.exec, p),
    readEnvSecrets: async (file, names) => {
      const raw = await readEnvValues(c.exec, file, names);
      const out = new Map([...raw].map(([n, v]) => [n, Secret.of(n, v, `${file} on the server`)] as const));
      c.exec.addSecrets(...out.values());
      return out;
    },
    close: () => c.exec.close(),
  };
}

/** A plan ready for review and apply: the data, its printed text, its context, every secret it reveals. */
export interface PlannedRun {
  plan: Plan;
  text: string;
  ctx: PlanContext;
  host: string;
  /** Every secret the run may reveal or must scrub (the plan's own and every available answer secret). */
  secrets: Secret[];
}

export interface PlanInput {
  answers: Answers;
  keys: string[];
  env: NodeJS.ProcessEnv;
  /** Values typed at prompts, by secret name. */
  overrides?: Record<string, Secret>;
  /** The probed server; without one, a fresh server of `os` is assumed (offline plan, dry run). */
  link?: Pick<ServerLink, 'facts' | 'readGatewayToken' | 'readDeployed' | 'readEnvSecrets'> | null;
  os?: OsKey;
}

/**
 * The plan for these answers: on a probed server it keeps the gateway token a
 * first run generated (so a rerun writes the same .env); offline it assumes a
 * fresh server of `os`. The same function serves `plan`, the wizard and apply.
 */
export async function planRun(i: PlanInput): Promise<PlannedRun> {
  let { answers } = i;
  const overrides: Record<string, Secret> = { ...(i.overrides ?? {}) };
  let deployed: DeployedContext | undefined;
  const warnings: string[] = [];
  if (i.link && plansStep(answers, 'openclaw')) {
    const paths = serverPaths(answers);
    const d = i.link.readDeployed ? await i.link.readDeployed(paths) : null;
    if (d && d.configText !== null && i.link.readEnvSecrets) {
      // A rerun on a running deployment: keep what the answers do not say.
      answers = withDeployedChannels(answers, d.journalAnswers);
      const running = (d.journalAnswers as { openclaw?: { version?: unknown } } | null)?.openclaw?.version;
      // Only a plain version string reaches the printed plan (the journal comes from the server).
      if (typeof running === 'string' && /^[0-9A-Za-z.+-]{1,40}$/.test(running) && running !== answers.openclaw.version)
        warnings.push(
          `the server runs OpenClaw ${running} (its journal); these answers say ${answers.openclaw.version}, so this run switches to ${answers.openclaw.version}. To keep ${running}, set openclaw.version to it (claw-setup upgrade --to VERSION changes versions with a backup and an automatic rollback)`,
        );
      const local = secretsFor(answers, i.env, overrides);
      const ours = new Map<string, Secret>([
        [local.gatewayToken.name, local.gatewayToken],
        ...Object.values(local.providers).map((s) => [s!.name, s!] as const),
        ...Object.entries(local.channels),
      ]);
      const generated = answers.openclaw.gatewayToken === 'generate';
      // Ours that cannot be read here (or the generated token) come from the server; everything else the .env has is kept as it is.
      const fromServer = d.envKeys.filter((k) => (ours.has(k) ? (k === local.gatewayToken.name && generated) || !ours.get(k)!.available() : k !== 'TZ'));
      const values = await i.link.readEnvSecrets(paths.env, fromServer);
      const kept: SecretText[] = [];
      for (const [name, raw] of values) {
        if (ours.has(name)) overrides[name] = unquoted(raw);
        else kept.push(secretText`${name}=${new Secret(name, KEPT_ORIGIN, () => raw.reveal())}\n`);
      }
      deployed = { configText: d.configText, envKept: kept, envOrder: d.envKeys, lastAnswers: d.journalAnswers };
    } else if (answers.openclaw.gatewayToken === 'generate') {
      const token = await i.link.readGatewayToken(paths.env);
      if (token) overrides.OPENCLAW_GATEWAY_TOKEN = token;
    }
  }
  return planWith({ ...i, answers }, overrides, i.link?.facts ?? null, deployed, warnings);
}

/** A value as the .env holds it, without the quotes our .env writes around it. */
function unquoted(raw: Secret): Secret {
  return new Secret(raw.name, raw.origin, () => unquoteEnvValue(raw.reveal()));
}

/** planRun without a server (pure): what `claw-setup plan` prints. */
export function planOffline(i: Omit<PlanInput, 'link'>): PlannedRun {
  return planWith(i, i.overrides ?? {}, null);
}

function planWith(i: PlanInput, overrides: Record<string, Secret>, facts: Facts | null, deployed?: DeployedContext, warnings: string[] = []): PlannedRun {
  const { answers, keys, env } = i;
  const secrets = secretsFor(answers, env, overrides);
  const ctx = { ...planContext(answers, facts ?? assumedFacts(i.os ?? 'ubuntu-24.04', answers.target.user), secrets, keys), ...(deployed ? { deployed } : {}) };
  const host = answers.target.host ?? '<host>';
  const built = buildPlan(ctx, host);
  const plan = { ...built, header: [...built.header, ...warnings.map((w) => `WARNING: ${w}`)] };
  const all = [...new Set([...allSecrets(secrets).filter((s) => s.available()), ...planSecrets(plan)])];
  return { plan, ctx, host, secrets: all, text: printPlan(plan, { host, port: answers.target.port, identityFile: answers.target.identityFile }) };
}

/** Throws (UserError) before any change when a secret the plan needs cannot be read or has the wrong shape. */
export function checkRun(p: PlannedRun): void {
  checkPlanSecrets(p.plan);
}

interface ApplyOptions {
  /** Abort = stop safely: before the next action; inside an armed group, after reverting it. */
  signal?: AbortSignal;
  /** Awaited between actions (never inside an armed group): a front end holds the run here while it asks "Stop applying?". */
  hold?: () => Promise<void>;
  /** Ask the checks of what is left in one round trip until something changes (default); off, each check is one call. */
  batchProbes?: boolean;
}

/** Applies a checked plan through an executor; every secret of the run is scrubbed from every event. */
export function applyRun(p: Pick<PlannedRun, 'plan' | 'secrets'>, exec: Executor, onEvent: RolloutListener, o: ApplyOptions = {}): Promise<RolloutResult> {
  return runPlan(p.plan, exec, onEvent, { signal: o.signal, hold: o.hold, secrets: p.secrets, batchProbes: o.batchProbes ?? true });
}

interface ReportOptions extends ApplyOptions {
  /** Where every line goes. */
  out: (s: string) => void;
  /** When the clock of "<status> in Ns" started (default: now). */
  started?: number;
  /** The summary also counts ssh connections: setup's does (the e2e figures read it); a day-2 change's names the commands only. */
  connections?: boolean;
  /** Runs when the plan did not finish (failed or cancelled), before anything is thrown: e.g. remove staged files. */
  cleanup?: () => Promise<void>;
  /** What a failed run throws (default: its first report line, the rest as details). */
  failure?: (report: string[]) => Promise<Error>;
}

/**
 * The one run-and-report loop of the line front ends (`--yes` setup and every day-2 change):
 * one line per event, the run, the `claw-setup: <status> in Ns; …` line, then the report when
 * done; a failed run throws StepFailedError (exit 2), a cancelled one CancelledError (130).
 */
export async function runAndReport(p: Pick<PlannedRun, 'plan' | 'secrets'>, link: Pick<OpenLink, 'exec' | 'counters'>, o: ReportOptions): Promise<void> {
  const started = o.started ?? Date.now();
  const format = eventPrinter();
  const result = await applyRun(
    p,
    link.exec,
    (e) => {
      const line = format(e);
      if (line !== null) o.out(line);
    },
    o,
  );
  const c = link.counters();
  const conns = o.connections ? `ssh connections opened: ${c.connections} (${c.raceRetries} reload-race retries), ` : '';
  o.out(`claw-setup: ${result.status} in ${((Date.now() - started) / 1000).toFixed(1)}s; ${conns}commands over the admin connection: ${c.roundTrips}`);
  if (result.status !== 'done' && o.cleanup) await o.cleanup();
  if (result.status === 'cancelled') throw new CancelledError(result.report.join('\n'));
  if (result.status === 'failed')
    throw o.failure ? await o.failure(result.report) : new StepFailedError(result.report[0] ?? 'a step failed', result.report.slice(1));
  for (const l of result.report) o.out(l);
}

/** What to tell the operator after the run, as data (login, how to connect, the token, notes). */
export function nextSteps(p: Pick<PlannedRun, 'plan'>): NextStep[] {
  return planNextSteps(p.plan);
}
