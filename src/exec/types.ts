import type { Argv, GateCheck, WriteAction } from '../plan/action.js';
import type { SecretText } from '../plan/secret.js';

/** The one boundary that touches processes and machines. Tests pass a recording fake instead. */
export interface ExecResult {
  code: number;
  /** Redacted: any secret value the executor knows is replaced by its placeholder. */
  stdout: string;
  stderr: string;
}

export type FreshLoginCheck = Extract<GateCheck, { type: 'fresh-login' }>;
export type LoginRefusedCheck = Extract<GateCheck, { type: 'login-refused' }>;

export interface RunOptions {
  stdin?: SecretText;
  timeoutSec?: number;
  /** "probe": a read-only skipIf check (exit 0 = already done); "gate": a remote gate check. Default "action". */
  purpose?: 'probe' | 'gate' | 'action';
}

export interface Executor {
  /** Runs argv on the server as root over the admin connection. Secrets only ever travel in stdin. */
  run(argv: Argv, opts?: RunOptions): Promise<ExecResult>;
  /** Creates or replaces a file, mode set before any byte is written; `changed` is false when content, mode and owner already matched. */
  write(w: WriteAction): Promise<{ changed: boolean }>;
  /** A brand-new connection (no ControlMaster) as check.user with only the operator's key. code 0 = in. */
  freshLogin(check: FreshLoginCheck): Promise<ExecResult>;
  /** A brand-new connection that must be refused. code 0 = refused, as wanted. */
  loginRefused(check: LoginRefusedCheck): Promise<ExecResult>;
  close(): Promise<void>;
}
