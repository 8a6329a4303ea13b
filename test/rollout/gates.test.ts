// Gate checks (src/rollout/gates.ts) as the runner uses them: a remote check retried as it says,
// a fresh login over the tailnet sent to the address the server reports.
import { describe, expect, it } from 'vitest';
import { RecordingExecutor } from '../../src/exec/recording.js';
import { gate } from '../../src/plan/action.js';
import { runPlan } from '../../src/rollout/runner.js';
import { apply, isArgv, plan, step, trace } from './runner-kit.js';

describe('gate checks', () => {
  it('retries a remote gate up to its retries, then passes', async () => {
    let n = 0;
    const { ex, result } = await apply(
      plan(step('fail2ban', gate('jail up', { type: 'remote', argv: ['fail2ban-client', 'status', 'sshd'], retries: 5, delaySec: 1 }))),
      (c) => (c.op === 'run' && c.purpose === 'gate' ? { code: ++n < 3 ? 1 : 0 } : undefined),
    );
    expect(result.status).toBe('done');
    expect(trace(ex)).toEqual(['gate:fail2ban-client status', 'gate:fail2ban-client status', 'gate:fail2ban-client status']);
  });

  it('resolves the tailnet address before a fresh login via the tailnet', async () => {
    const seen: (string | undefined)[] = [];
    class Tailnet extends RecordingExecutor {
      override async freshLogin(check: Parameters<RecordingExecutor['freshLogin']>[0], o?: { address?: string }) {
        seen.push(o?.address);
        return super.freshLogin(check);
      }
    }
    const ex = new Tailnet((c) => (isArgv(c, 'tailscale', 'ip') ? { stdout: '100.101.102.103\n' } : undefined));
    const result = await runPlan(
      plan(step('tailscale', gate('login over tailnet', { type: 'fresh-login', user: 'deploy', port: 22, via: 'tailnet', sudo: false }))),
      ex,
      () => {},
      { secrets: [] },
    );
    expect(result.status).toBe('done');
    expect(seen).toEqual(['100.101.102.103']);
  });
});
