import type { Executor } from '../exec/types.js';
import type { OsKey } from '../plan/facts.js';
import type { ConnectChoices, ConnectOptions } from '../rollout/connect.js';
import type { ServerLink } from '../rollout/session.js';

/** An open admin connection and what its read-only probe found (src/rollout/session.ts). */
export type UiConnection = ServerLink;

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
  /** How this run reaches a server, from the command line (--ssh-option, --known-hosts, --force). */
  connectFlags: Pick<ConnectChoices, 'sshOptions' | 'knownHosts' | 'force'>;
  /** Opens the admin connection and probes (src/rollout/session.ts openLink). Absent in a dry run: nothing connects. */
  connect?: (o: ConnectOptions) => Promise<UiConnection>;
  /** The executor a dry run applies to (records, never runs) and how many calls it recorded. */
  dryExecutor: () => { exec: Executor; count: () => number };
}
