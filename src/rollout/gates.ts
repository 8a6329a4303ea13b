import { setTimeout as sleep } from 'node:timers/promises';
import type { ExecResult, Executor } from '../exec/types.js';
import type { GateCheck } from '../plan/action.js';
import { BUDGET } from '../plan/guard.js';

/** The last `n` non-empty lines of a result's output, joined for one report line. */
export const tail = (r: ExecResult, n = 3) =>
  `${r.stderr}\n${r.stdout}`
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(-n)
    .join(' / ');

/**
 * Runs one gate's check within `budgetSec` seconds, retries included: a remote
 * command (retried as the check says), a fresh login (over the tailnet: to the
 * address `tailscale ip -4` reports), or a login that must be refused.
 */
export async function checkGate(exec: Executor, c: GateCheck, budgetSec: number, wait: (ms: number) => Promise<void> = (ms) => sleep(ms)): Promise<ExecResult> {
  const until = Date.now() + budgetSec * 1000;
  const left = () => Math.max(1, Math.floor((until - Date.now()) / 1000));
  switch (c.type) {
    case 'remote': {
      const tries = 1 + (c.retries ?? 0);
      let r: ExecResult = { code: 1, stdout: '', stderr: '' };
      for (let i = 0; i < tries; i++) {
        if (i > 0) {
          if (Date.now() + (c.delaySec ?? 1) * 1000 >= until) break;
          await wait((c.delaySec ?? 1) * 1000);
        }
        r = await exec.run(c.argv, { purpose: 'gate', timeoutSec: Math.min(c.timeoutSec ?? BUDGET.remoteTry, left()) });
        if (r.code === 0) break;
      }
      return r;
    }
    case 'fresh-login': {
      if (c.via === 'public') return exec.freshLogin(c, { timeoutSec: left() });
      const ip = await exec.run(['tailscale', 'ip', '-4'], { purpose: 'gate', timeoutSec: Math.min(BUDGET.remoteTry, left()) });
      const address = ip.stdout
        .split('\n')
        .map((l) => l.trim())
        .find((l) => /^100\.\d+\.\d+\.\d+$/.test(l));
      if (ip.code !== 0 || !address)
        return { code: 1, stdout: '', stderr: `the server has no tailnet address (tailscale ip -4: ${tail(ip) || `exit ${ip.code}`})` };
      return exec.freshLogin(c, { address, timeoutSec: left() });
    }
    case 'login-refused':
      return exec.loginRefused(c, { timeoutSec: left() });
  }
}
