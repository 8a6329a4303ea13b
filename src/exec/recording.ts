import type { Argv, WriteAction } from '../plan/action.js';
import { redactText } from '../core/secret.js';
import type { ExecResult, Executor, FreshLoginCheck, LoginRefusedCheck, RunOptions } from './types.js';

export type Recorded =
  | { op: 'run'; argv: Argv; stdin?: string; purpose: 'probe' | 'gate' | 'action' }
  | { op: 'write'; path: string; mode: number; owner: string; group: string; content: string }
  | { op: 'fresh-login'; check: FreshLoginCheck }
  | { op: 'login-refused'; check: LoginRefusedCheck }
  | { op: 'close' };

/**
 * A fake executor that records every call (secrets as placeholders) and
 * answers from `respond` (default: every action and gate succeeds, every
 * skipIf probe says "not done yet"). Used by tests and the wizard's dry-run apply.
 */
export class RecordingExecutor implements Executor {
  readonly calls: Recorded[] = [];
  constructor(private readonly respond: (call: Recorded) => Partial<ExecResult> | undefined = () => undefined) {}

  private answer(call: Recorded): ExecResult {
    this.calls.push(call);
    const code = call.op === 'run' && call.purpose === 'probe' ? 1 : 0;
    return { code, stdout: '', stderr: '', ...this.respond(call) };
  }
  async run(argv: Argv, opts: RunOptions = {}): Promise<ExecResult> {
    return this.answer({ op: 'run', argv, purpose: opts.purpose ?? 'action', ...(opts.stdin ? { stdin: redactText(opts.stdin) } : {}) });
  }
  async write(w: WriteAction): Promise<{ changed: boolean }> {
    const r = this.answer({ op: 'write', path: w.path, mode: w.mode, owner: w.owner, group: w.group, content: redactText(w.content) });
    return { changed: r.code === 0 };
  }
  async freshLogin(check: FreshLoginCheck): Promise<ExecResult> {
    return this.answer({ op: 'fresh-login', check });
  }
  async loginRefused(check: LoginRefusedCheck): Promise<ExecResult> {
    return this.answer({ op: 'login-refused', check });
  }
  async close(): Promise<void> {
    this.calls.push({ op: 'close' });
  }
}
