import { RecordingExecutor, type Recorded } from '../../src/exec/recording.js';
import { assumedFacts } from '../../src/plan/facts.js';
import type { ConnectOptions } from '../../src/rollout/connect.js';
import type { WizardDeps } from '../../src/ui/deps.js';
import { dryDeps } from './helpers.js';

/** An ntfy topic to type; it must never be printed (anyone who knows it can read the alerts). */
export const TOPIC = 'claw-alerts-7f3k9q2w8z';

/** The alert-test script's own text (templates/alert-test-script.ts), how its run is recognised. */
export const isAlertTest = (c: Recorded): c is Extract<Recorded, { op: 'run' }> =>
  c.op === 'run' && c.argv[0] === 'bash' && c.argv[1] === '-c' && /claw-setup alert-test at/.test(c.argv[2] ?? '');

/**
 * Deps with a fake connection: every connect returns the same recording executor, whose
 * alert-test run answers `alertOut` (the script's `TARGET ok|failed|none` lines).
 */
export function onlineDeps(alertOut = 'ntfy ok\ndiscord none\n') {
  const state = { closed: 0, connects: [] as ConnectOptions[] };
  const exec = new RecordingExecutor((c) => (isAlertTest(c) ? { code: 0, stdout: alertOut } : undefined));
  const facts = { ...assumedFacts('debian-12', 'root', '198.51.100.7'), source: 'probed' as const };
  const deps: WizardDeps = dryDeps({
    connect: async (r) => {
      state.connects.push(r);
      if (state.connects.length === 1 && !(await r.confirmHostKey('ED25519 SHA256:abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG')))
        throw new Error('host key refused');
      return {
        exec,
        facts,
        readGatewayToken: async () => null,
        close: async () => {
          state.closed++;
          exec.calls.push({ op: 'close' }); // marks when in the call order the connection closed
        },
      };
    },
  });
  return { deps, exec, state };
}

/** Dry-run deps that keep every recording executor, to prove nothing was sent. */
export function dryRunDeps() {
  const recs: RecordingExecutor[] = [];
  const deps = dryDeps({
    dryExecutor: () => {
      const rec = new RecordingExecutor();
      recs.push(rec);
      return { exec: rec, count: () => rec.calls.length };
    },
  });
  return { deps, calls: () => recs.flatMap((r) => r.calls) };
}

/** The alert test ran on the apply's connection: after the apply's first fresh login, before that connection closed. */
export function sentOnApplyConnection(calls: Recorded[], sent: Recorded): boolean {
  const at = calls.indexOf(sent);
  const ops = calls.map((c) => c.op);
  return at > ops.indexOf('fresh-login') && at < ops.lastIndexOf('close') && ops.indexOf('close') < ops.indexOf('fresh-login');
}

/** The monitoring.env the apply wrote: where the URL reaches the server (the alert test itself never carries it). */
export const monitoringEnvWrite = (calls: Recorded[]) =>
  calls.find((c): c is Extract<Recorded, { op: 'write' }> => c.op === 'write' && c.path === '/etc/claw-setup/monitoring.env');
