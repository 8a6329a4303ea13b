import type { Argv, GateCheck, WriteAction } from '../plan/action.js';
import type { SecretText } from '../core/secret.js';

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
  /** Stops waiting for the command (the local ssh is killed; code 130). Only for actions that are safe to abandon. */
  signal?: AbortSignal;
}

export interface Executor {
  /** Runs argv on the server as root over the admin connection. Secrets only ever travel in stdin. */
  run(argv: Argv, opts?: RunOptions): Promise<ExecResult>;
  /** Creates or replaces a file, mode set before any byte is written; `changed` is false when content, mode and owner already matched. */
  write(w: WriteAction, opts?: { timeoutSec?: number }): Promise<{ changed: boolean }>;
  /**
   * A brand-new connection (no ControlMaster) as check.user with only the operator's key. code 0 = in.
   * `address` replaces the host (the tailnet IP for via "tailnet"); the host key stays pinned.
   */
  freshLogin(check: FreshLoginCheck, opts?: { address?: string; timeoutSec?: number }): Promise<ExecResult>;
  /** A brand-new connection that must be refused. code 0 = refused, as wanted. `timeoutSec` bounds it, retries included. */
  loginRefused(check: LoginRefusedCheck, opts?: { timeoutSec?: number }): Promise<ExecResult>;
  close(): Promise<void>;
}
