import type { Argv, WriteAction } from '../plan/action.js';
import type { ExecResult, Executor, FreshLoginCheck, LoginRefusedCheck, RunOptions } from '../exec/types.js';

/**
 * Wraps an executor and waits `ms` before each call, so a dry-run apply
 * against the recording fake moves at a pace a person can follow. Runs nothing itself.
 */
export class PacedExecutor<E extends Executor> implements Executor {
  constructor(
    readonly inner: E,
    private readonly ms: number,
  ) {}
  private pause(): Promise<void> {
    return this.ms > 0 ? new Promise((r) => setTimeout(r, this.ms)) : Promise.resolve();
  }
  async run(argv: Argv, opts?: RunOptions): Promise<ExecResult> {
    await this.pause();
    return this.inner.run(argv, opts);
  }
  async write(w: WriteAction): Promise<{ changed: boolean }> {
    await this.pause();
    return this.inner.write(w);
  }
  async freshLogin(c: FreshLoginCheck): Promise<ExecResult> {
    await this.pause();
    return this.inner.freshLogin(c);
  }
  async loginRefused(c: LoginRefusedCheck): Promise<ExecResult> {
    await this.pause();
    return this.inner.loginRefused(c);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}
