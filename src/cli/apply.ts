import { allSecrets, secretsFor } from '../answers/secrets.js';
import type { CliArgs } from '../core/args.js';
import { CancelledError, StepFailedError, UserError } from '../core/errors.js';
import { loadAll } from '../answers/load.js';
import type { Io } from '../core/io.js';
import { nextStepLine } from '../plan/action.js';
import { applyRun, checkRun, nextSteps, openLink, planRun, type OpenLink } from '../rollout/session.js';
import { eventPrinter } from '../rollout/event-lines.js';

/**
 * `--answers FILE --yes`: connect, probe, plan from the real facts, apply with
 * a plain progress log, print how to get in. Returns 0; a failed (and
 * reverted) step throws StepFailedError (exit 2), a signal CancelledError (130).
 * A rerun connects as the deploy user once root login is off, and changes nothing.
 */
export async function applyNonInteractive(args: CliArgs, io: Io): Promise<number> {
  const started = Date.now();
  const { answers, keys } = loadAll(args, io.env);
  const t = answers.target;
  if (!t.host) throw new UserError('no server address', 'set target.host in the answers file, or pass --host');
  const host = t.host;
  const secrets = secretsFor(answers, io.env);
  const sudoPassword = secrets.sudoPassword.available() ? secrets.sudoPassword : undefined;
  const out = (s: string) => io.stdout(`${s}\n`);

  // Signals are caught from the start: dying in the middle of connecting would leave the master behind.
  const ac = new AbortController();
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    signals++;
    if (signals === 1) {
      io.stderr(`\n${sig}: stopping safely: the current guarded change is finished or reverted first…\n`);
      ac.abort();
    } else io.stderr(`${sig}: still stopping safely; if this process is killed, the server's dead-man switch reverts by itself\n`);
  };
  const stopListening = () => {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  out(`claw-setup: connecting to ${t.user}@${host}:${t.port}`);
  let link: OpenLink;
  try {
    link = await openLink({
      host,
      port: t.port,
      user: t.user,
      identityFile: t.identityFile,
      sshOptions: args.sshOptions,
      knownHosts: args.knownHosts,
      yes: true,
      force: args.force,
      confirmHostKey: async () => false,
      sudoPassword,
      fallbackUser: answers.deployUser.name,
      fallbackPort: answers.ssh.port,
      secrets: allSecrets(secrets).filter((s) => s.available()),
    });
  } catch (e) {
    stopListening();
    throw e;
  }
  try {
    if (ac.signal.aborted) throw new CancelledError('Cancelled while connecting. Nothing was changed.');
    const f = link.facts;
    if (link.user !== t.user) out(`claw-setup: ${t.user} login is refused (done by an earlier run); connected as ${link.user}`);
    out(`claw-setup: ${f.os.pretty}; your address as the server sees it: ${f.operatorIp ?? 'unknown'}`);
    if (answers.operatorIp === 'auto' && !f.operatorIp) {
      throw new UserError('cannot detect your address from the SSH connection', 'pass --operator-ip IP (the address the server sees you connect from)');
    }
    const run = await planRun({ answers, keys, env: io.env, link });
    checkRun(run);
    link.addSecrets(...run.secrets);
    for (const h of run.plan.header) out(`# ${h}`);
    const format = eventPrinter();
    const result = await applyRun(
      run,
      link.exec,
      (e) => {
        const line = format(e);
        if (line !== null) out(line);
      },
      ac.signal,
    );
    const c = link.counters();
    out(
      `claw-setup: ${result.status} in ${((Date.now() - started) / 1000).toFixed(1)}s; ssh connections opened: ${c.connections} (${c.raceRetries} reload-race retries), commands over the admin connection: ${c.roundTrips}`,
    );
    if (result.status === 'failed') throw new StepFailedError(result.report[0] ?? 'a step failed', result.report.slice(1));
    if (result.status === 'cancelled') throw new CancelledError(result.report.join('\n'));
    for (const l of result.report) out(l);
    const next = nextSteps(run);
    if (next.length) {
      out('Next:');
      for (const n of next) out(`  - ${nextStepLine(n)}`);
    }
    return 0;
  } finally {
    stopListening();
    await link.close();
  }
}
