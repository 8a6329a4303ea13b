import type { CliArgs } from './args.js';
import { UserError } from '../core/errors.js';
import { loadAll } from '../answers/load.js';
import type { Io } from '../core/io.js';
import { nextStepLine } from '../plan/action.js';
import { checkRun, nextSteps, planRun, runAndReport } from '../rollout/session.js';
import { linkOptions, withServer } from './connect.js';
import { rebootAndWait, rebootRequired } from '../rollout/reboot.js';
import { driftLine, revertedLine } from '../plan/drift.js';
import { configDrift } from '../../steps/openclaw-drift.js';

/**
 * `--answers FILE --yes`: connect, probe, plan from the real facts, apply with
 * a plain progress log, print how to get in. Returns 0; a failed (and
 * reverted) step throws StepFailedError (exit 2), a signal CancelledError (130).
 * A rerun connects as the deploy user once root login is off, and changes nothing.
 */
export async function applyNonInteractive(args: CliArgs, io: Io): Promise<number> {
  const started = Date.now();
  const { answers, keys } = loadAll(args, io.env);
  return withServer(args, io, answers, async (link, signal, out) => {
    const f = link.facts;
    out(`claw-setup: ${f.os.pretty}; your address as the server sees it: ${f.operatorIp ?? 'unknown'}`);
    if (answers.operatorIp === 'auto' && !f.operatorIp) {
      throw new UserError('cannot detect your address from the SSH connection', 'pass --operator-ip IP (the address the server sees you connect from)');
    }
    const run = await planRun({ answers, keys, env: io.env, link });
    checkRun(run);
    link.addSecrets(...run.secrets);
    for (const h of run.plan.header) out(`# ${h}`);
    // --yes asks nothing: keys changed on the server are set back, said before and after.
    const drift = configDrift(run.ctx);
    for (const d of drift) out(`# ${driftLine(d)}: --yes sets it back`);
    // The clock started before connecting: the figure is the whole setup as the operator waits for it.
    await runAndReport(run, link, { out, signal, started, connections: true });
    for (const d of drift) out(`claw-setup: ${revertedLine(d)}`);
    const next = nextSteps(run);
    if (next.length) {
      out('Next:');
      for (const n of next) out(`  - ${nextStepLine(n)}`);
    }
    const pkgs = await rebootRequired(link.exec);
    if (pkgs) {
      out(`claw-setup: the server needs a reboot to finish its updates${pkgs.length ? ` (${pkgs.slice(0, 8).join(', ')})` : ''}.`);
      if (!args.reboot) out('claw-setup: reboot safely with the same command plus --reboot (it waits until a fresh login works), or: sudo systemctl reboot');
      else {
        const back = await rebootAndWait(link, linkOptions(args, io, answers), out);
        out(`claw-setup: the server is back after ${back.seconds.toFixed(0)}s: a fresh login as ${back.user} works.`);
      }
    }
    return 0;
  });
}
