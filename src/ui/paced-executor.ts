import { RecordingExecutor } from '../exec/recording.js';
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

/** The address a simulated server reports on its tailnet (in 100.64.0.0/10, never a real one). */
export const SIMULATED_TAILNET_ADDRESS = '100.64.0.1';

/**
 * The recording fake a dry-run apply runs against: every command and gate succeeds, and it
 * plays a server that has joined the tailnet (`tailscale ip -4` answers), so a plan that moves
 * SSH onto the tailnet simulates to the end instead of failing for want of an address.
 */
export function simulatedServer(): RecordingExecutor {
  return new RecordingExecutor((c) =>
    c.op === 'run' && c.argv.join(' ') === 'tailscale ip -4' ? { code: 0, stdout: `${SIMULATED_TAILNET_ADDRESS}\n` } : undefined,
  );
}
