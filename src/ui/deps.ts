import type { Answers } from '../answers/schema.js';
import type { Executor } from '../exec/types.js';
import type { OsKey } from '../plan/facts.js';
import type { Plan } from '../plan/action.js';
import type { Secret } from '../core/secret.js';
import type { RolloutListener, RolloutResult } from '../rollout/events.js';
import type { ServerLink } from '../rollout/session.js';

/** src/rollout/runner.ts `runPlan`. */
export type RunPlanFn = (
  plan: Plan,
  exec: Executor,
  onEvent: RolloutListener,
  o: { signal?: AbortSignal; secrets: Secret[]; batchProbes?: boolean; hold?: () => Promise<void> },
) => Promise<RolloutResult>;

/** An open admin connection and what its read-only probe found (src/rollout/session.ts). */
export type UiConnection = ServerLink;

export interface ConnectRequest {
  target: Required<Answers['target']>;
  /** Tried when root is refused (a rerun: root login is off by now). */
  fallbackUser: string;
  /** Tried when nothing answers on target.port (a rerun after ssh.port moved sshd). */
  fallbackPort?: number;
  /** The deploy user's sudo password: fresh-login gates check sudo with it. */
  sudoPassword?: Secret;
  secrets: Secret[];
  confirmHostKey: (fingerprint: string) => Promise<boolean>;
}

/** Everything the wizard does outside itself, injected so tests pass fakes for the machine-touching parts. */
export interface WizardDeps {
  env: NodeJS.ProcessEnv;
  /** OS assumed for a plan made without a connection (--os). */
  os: OsKey;
  now: () => number;
  /** Creates a new ed25519 key at an absolute path (src/exec/keygen.ts). */
  keygen: (path: string) => Promise<void>;
  /** Writes a new local file; throws when it exists (src/exec/local-file.ts). */
  saveFile: (path: string, text: string) => void;
  /** Absent in a dry run: nothing connects. */
  connect?: (r: ConnectRequest) => Promise<UiConnection>;
  runPlan: RunPlanFn;
  /** The executor a dry run applies to (records, never runs) and how many calls it recorded. */
  dryExecutor: () => { exec: Executor; count: () => number };
}
