import { allSecrets, expandHome, secretFromRef } from '../answers/secrets.js';
import { SECRETS } from '../answers/rules.js';
import type { SecretRef } from '../answers/secret-ref.js';
import * as v from '../answers/validators.js';
import { UserError } from '../core/errors.js';
import type { Facts } from '../plan/facts.js';
import type { Secret } from '../core/secret.js';
import type { RolloutListener, RolloutResult } from '../rollout/events.js';
import { connectOptions, type ConnectChoices, type ConnectTarget } from '../rollout/connect.js';
import { renderAnswersFile, typedRefs } from './answers-file.js';
import type { UiConnection, WizardDeps } from './deps.js';
import { planWizardRun, type BuiltPlan } from './plan-build.js';
import { NEW_KEY } from './questions/target.js';
import { applyRun, checkRun } from '../rollout/session.js';
import { sendTestAlert, type AlertTestOutcome } from '../rollout/alert-test.js';
import { walkAll } from './questions/index.js';
import type { WizardState } from './wizard/reducer.js';
import { schemaAt } from './wizard/schema-piece.js';
import type { HomeInfo } from './home/home-state.js';
import { guessAnswers, readHome } from './home/read-home.js';

/** Plain words for an error: a UserError's fix included, never a stack. */
export function describe(e: unknown): string {
  if (e instanceof UserError) return `${e.message}${e.howToFix ? `. How to fix: ${e.howToFix}` : ''}`;
  return e instanceof Error ? e.message : String(e);
}

export type AskHostKey = (fingerprint: string) => Promise<boolean>;

/**
 * The wizard's work outside the reducer, shared by the Ink app and the plain
 * prompts: create a key, connect and probe, build the plan, apply it, save
 * files. Holds the one open admin connection.
 */
export class Session {
  #conn: UiConnection | null = null;
  #closed = false;
  constructor(readonly deps: WizardDeps) {}

  keygen(path: string): Promise<void> {
    return this.deps.keygen(expandHome(path));
  }

  /**
   * Replaces the open connection with a new one as `target.user`, falling back (on a rerun) to
   * the deploy user and the moved SSH port. The wizard always asks about an unknown host key.
   */
  async #open(
    target: ConnectTarget,
    o: Pick<ConnectChoices, 'fallbackUser' | 'fallbackPort' | 'sudoPassword' | 'secrets'>,
    confirmHostKey: AskHostKey,
  ): Promise<UiConnection> {
    await this.#conn?.close();
    this.#conn = null;
    const c = await this.deps.connect!(connectOptions(target, { ...this.deps.connectFlags, yes: false, confirmHostKey, ...o }));
    // Cancelled while connecting: do not leave a ControlMaster behind.
    if (this.#closed) {
      await c.close();
      throw new UserError('cancelled while connecting');
    }
    this.#conn = c;
    return c;
  }

  /** Connects as the target login and probes read-only; returns the facts (none in a dry run). */
  async probe(s: WizardState, confirmHostKey: AskHostKey): Promise<Facts | undefined> {
    if (!this.deps.connect) return undefined;
    const walk = walkAll(s.base, s.values, s.ctx);
    const draft = walk.draft;
    const target = schemaAt(['target']).parse(draft.target) as Omit<ConnectTarget, 'host'> & { host?: string };
    if (!target.host) throw new UserError('no server address', 'type the server address');
    const fallbackUser = String((draft.deployUser as { name?: string } | undefined)?.name ?? 'deploy');
    const movedPort = (draft.ssh as { port?: unknown } | undefined)?.port;
    const fallbackPort = typeof movedPort === 'number' ? movedPort : undefined;
    // On a rerun root login is off: the deploy user's sudo password (typed, or from its reference) lets the probe read as root.
    const ref = (draft.deployUser as { sudoPassword?: SecretRef } | undefined)?.sudoPassword ?? SECRETS.sudoPassword.ref;
    const sudoPassword = walk.overrides[SECRETS.sudoPassword.name] ?? secretFromRef(SECRETS.sudoPassword.name, ref, this.deps.env);
    return (await this.#open({ ...target, host: target.host }, { fallbackUser, fallbackPort, sudoPassword }, confirmHostKey)).facts;
  }

  /**
   * Over the connection probe() opened: the deployment and its status in one round trip, for the
   * home screen; null when the server holds no claw-setup deployment (or nothing is connected).
   */
  async home(s: WizardState): Promise<HomeInfo | null> {
    if (!this.#conn) return null;
    return readHome(this.#conn.exec, guessAnswers(walkAll(s.base, s.values, s.ctx).draft));
  }

  /** The plan for the reviewed answers (the rollout session's planRun); a rerun keeps the gateway token already on the server. */
  async plan(s: WizardState): Promise<BuiltPlan> {
    const overrides: Record<string, Secret> = { ...walkAll(s.base, s.values, s.ctx).overrides };
    const conn = this.#conn;
    const facts = s.ctx.facts ?? conn?.facts ?? null;
    const link = facts
      ? {
          facts,
          readGatewayToken: (p: string) => (conn ? conn.readGatewayToken(p) : Promise.resolve(null)),
          // A rerun keeps what the server holds (channels added later, hand edits, other .env lines).
          ...(conn?.readDeployed && conn.readEnvSecrets ? { readDeployed: conn.readDeployed.bind(conn), readEnvSecrets: conn.readEnvSecrets.bind(conn) } : {}),
        }
      : null;
    const newKey = s.dryRun && s.values['target.identityFile'] === NEW_KEY ? String(s.values['target.newKey'] ?? '') : undefined;
    return planWizardRun(s.answers!, overrides, link, this.deps.os, this.deps.env, newKey || undefined);
  }

  /** Throws (UserError) before any change when a secret the plan needs cannot be read. */
  check(s: WizardState, b: BuiltPlan): void {
    if (!s.dryRun && this.deps.connect) checkRun(b);
  }

  /**
   * Applies the plan (the rollout session's applyRun): to the simulated server in a dry run,
   * otherwise over a fresh admin connection that carries the deploy user's sudo password (the
   * fresh-login gates check sudo with it). `hold` pauses between actions while the front end
   * asks whether to stop. `recorded` counts dry-run calls.
   */
  async apply(
    s: WizardState,
    b: BuiltPlan,
    onEvent: RolloutListener,
    signal: AbortSignal,
    confirmHostKey: AskHostKey,
    hold?: () => Promise<void>,
  ): Promise<{ result: RolloutResult; recorded: number | null }> {
    if (s.dryRun || !this.deps.connect) {
      const rec = this.deps.dryExecutor();
      // Checks one by one: the simulated server answers no batch, and each recorded call is one the plan makes.
      const result = await applyRun(b, rec.exec, onEvent, { signal, hold, batchProbes: false });
      return { result, recorded: rec.count() };
    }
    const a = s.answers!;
    const c = await this.#open(
      { ...a.target, host: b.host },
      { fallbackUser: a.deployUser.name, fallbackPort: a.ssh.port, sudoPassword: b.ctx.secrets.sudoPassword, secrets: allSecrets(b.ctx.secrets) },
      confirmHostKey,
    );
    return { result: await applyRun(b, c.exec, onEvent, { signal, hold }), recorded: null };
  }

  /**
   * Sends one test alert through the targets on the server (`claw-setup alert-test`'s script),
   * over the admin connection the apply used. Never in a dry run: there is no connection then.
   */
  async alertTest(s: WizardState): Promise<AlertTestOutcome> {
    if (s.dryRun || !this.#conn || !s.answers) throw new UserError('not connected to the server', 'send it later with claw-setup alert-test');
    return sendTestAlert(this.#conn.exec, s.answers);
  }

  /** Saves the answers (secrets as references) or the plan script; returns what to tell the operator. */
  save(what: 'answers' | 'plan', path: string, s: WizardState, b: BuiltPlan | null): string {
    const p = path.trim();
    const ok = v.localPath.safeParse(p);
    if (!ok.success) throw new UserError(ok.error.issues[0].message);
    if (what === 'plan' && !b) throw new UserError('the plan is not ready yet');
    const text = what === 'answers' ? renderAnswersFile(s.answers!, typedRefs(walkAll(s.base, s.values, s.ctx).fields, s.values)) : b!.text;
    this.deps.saveFile(expandHome(p), text);
    return `saved the ${what === 'answers' ? 'answers' : 'plan'} to ${p}`;
  }

  /** Closes the connection for good (the wizard is ending). */
  async close(): Promise<void> {
    this.#closed = true;
    const c = this.#conn;
    this.#conn = null;
    await c?.close();
  }
}
