import { channelFromFlags, channelTypeArg } from '../answers/channel-input.js';
import { CHANNEL_SECRETS, type ChannelSecret } from '../answers/rules.js';
import { rawAnswers, validateAnswers } from '../answers/load.js';
import { secretFromRef } from '../answers/secrets.js';
import type { Answers, SecretRef } from '../answers/schema.js';
import type { CliArgs } from '../core/args.js';
import { CancelledError, StepFailedError, UserError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { Secret } from '../core/secret.js';
import { planSecrets } from '../plan/action.js';
import { serverPaths } from '../plan/paths.js';
import { printPlan } from '../plan/print.js';
import { checkPlanSecrets } from '../plan/secret-checks.js';
import { envLinesSame, readDeployed } from '../facts/deployed.js';
import { runPlan } from '../rollout/runner.js';
import { eventPrinter } from '../rollout/event-lines.js';
import { planChannelChange, waitHealthyArgv, type ChannelChange, type ChannelPlan, type Deployed } from '../../steps/channel.js';
import { inquirerPrompts, isPromptExit, type Prompts } from '../ui/plain/prompts.js';
import { withServer } from './connect.js';

/**
 * `add-channel` / `remove-channel`: change one channel on a running deployment.
 * Reads what the server holds (journal, openclaw.json, the names in .env), asks
 * only for the new channel's credentials (masked, or from the environment),
 * shows the diff, then merges, validates, recreates and proves, or rolls back.
 * `--dry-run` connects read-only and prints the commands and the diff.
 */
export async function channelCommand(args: CliArgs, io: Io, prompts: Prompts = inquirerPrompts()): Promise<number> {
  const type = channelTypeArg(args.type, args.command);
  if (args.command === 'remove-channel' && args.set.length) throw new UserError('remove-channel takes no --set', 'pass only --type');
  // --set belongs to the channel here, not to the answers.
  const local = validateAnswers(rawAnswers({ ...args, set: [] }, io.env), args.answers ? `answers file ${args.answers}` : 'the answers');
  const interactive = io.isTTY && !args.yes;
  return withServer(
    args,
    io,
    local,
    async (link, signal, out) => {
      let deployed = await readDeployed(link.exec, serverPaths(local));
      const answers = deployedAnswers(deployed, local, out);
      if (answers !== local && answers.deployUser.name !== local.deployUser.name) deployed = await readDeployed(link.exec, serverPaths(answers));
      const host = local.target.host ?? '<host>';
      let change: ChannelChange;
      if (args.command === 'add-channel') {
        const channel = channelFromFlags(type, args.set, answers);
        const given = await channelSecrets(
          channel as unknown as Record<string, SecretRef>,
          type,
          deployed,
          io.env,
          interactive && !args.dryRun ? prompts : null,
        );
        // A value the server already holds exactly is not rewritten (compared on the server, by hash).
        const held = given.filter((s) => deployed.envKeys.includes(s.name));
        const same = await envLinesSame(link.exec, serverPaths(answers).env, held);
        change = { op: 'add', channel, secrets: given.filter((s) => !same.has(s.name)) };
      } else change = { op: 'remove', type };
      const cp = planChannelChange(answers, deployed, change, host);
      showChange(cp, out);
      if (!cp.changes) {
        out(`claw-setup: nothing to change: ${host} already has ${change.op === 'add' ? 'this' : 'no'} ${type} channel.`);
        return 0;
      }
      if (args.dryRun) {
        io.stdout(printPlan(cp.plan, { host, port: local.target.port, identityFile: local.target.identityFile }));
        out('claw-setup: dry run: nothing was changed anywhere.');
        return 0;
      }
      checkPlanSecrets(cp.plan);
      const secrets = planSecrets(cp.plan);
      link.addSecrets(...secrets);
      if (interactive && !(await ask(() => prompts.confirm({ message: `${args.command} ${type} on ${host}?`, default: true })))) throw new CancelledError();
      const started = Date.now();
      const format = eventPrinter();
      const result = await runPlan(
        cp.plan,
        link.exec,
        (e) => {
          const line = format(e);
          if (line !== null) out(line);
        },
        { signal, secrets },
      );
      const c = link.counters();
      out(`claw-setup: ${result.status} in ${((Date.now() - started) / 1000).toFixed(1)}s; commands over the admin connection: ${c.roundTrips}`);
      if (result.status === 'cancelled') throw new CancelledError(result.report.join('\n'));
      if (result.status === 'failed') {
        const healthy = await gatewayHealthy(link.exec, answers);
        throw new StepFailedError(`${args.command} ${type} failed; the previous .env and openclaw.json are back`, [
          ...result.report,
          healthy
            ? 'The gateway is running and healthy on the previous files.'
            : 'The gateway did NOT answer /healthz on the previous files either: check `docker compose logs openclaw-gateway` on the server.',
        ]);
      }
      for (const l of result.report) out(l);
      return 0;
    },
    { readOnly: args.dryRun },
  );
}

/** The deployment's answers from the journal; the local answers when there is none (with a note). */
function deployedAnswers(d: Deployed, local: Answers, out: (s: string) => void): Answers {
  if (d.journalAnswers) {
    try {
      return validateAnswers(d.journalAnswers, 'the journal on the server');
    } catch {
      out('claw-setup: the journal on the server is from another version; using your answers for paths and ports');
    }
  } else out('claw-setup: no journal on the server (/var/lib/claw-setup/journal.json); using your answers for paths and ports');
  return local;
}

/**
 * The channel's credentials: from the reference (environment or file) when set, else
 * typed masked at a prompt; when neither and the server already holds it, it is kept.
 */
async function channelSecrets(
  fields: Record<string, SecretRef>,
  type: keyof typeof CHANNEL_SECRETS,
  d: Deployed,
  env: NodeJS.ProcessEnv,
  prompts: Prompts | null,
): Promise<Secret[]> {
  const out: Secret[] = [];
  for (const s of CHANNEL_SECRETS[type] as readonly ChannelSecret[]) {
    const fromRef = secretFromRef(s.envVar, fields[s.field], env);
    if (fromRef.available()) {
      out.push(fromRef);
      continue;
    }
    const kept = d.envKeys.includes(s.envVar);
    if (!prompts) {
      if (kept) continue;
      throw new UserError(
        `${s.label}: not given (${fromRef.origin} is not set)`,
        `set ${s.envVar} in the environment, or point --set ${s.field}.file=PATH at a file holding it`,
      );
    }
    const v = await ask(() =>
      prompts.password({
        message: `${s.label}${kept ? ' (Enter keeps the one on the server)' : ''}:`,
        validate: (x) => (x || kept ? true : 'required'),
      }),
    );
    if (v) out.push(Secret.of(s.envVar, v, 'prompt'));
  }
  return out;
}

async function ask<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (isPromptExit(e)) throw new CancelledError();
    throw e;
  }
}

function showChange(cp: ChannelPlan, out: (s: string) => void): void {
  if (cp.configDiff) out(cp.configDiff.trimEnd());
  for (const e of cp.env) out(`.env: ${e.name}=<secret: ${e.state === 'kept' ? 'unchanged, on the server' : e.state}>`);
}

async function gatewayHealthy(exec: Parameters<typeof runPlan>[1], a: Answers): Promise<boolean> {
  const r = await exec.run(waitHealthyArgv(a, 30), {
    purpose: 'probe',
    timeoutSec: 240,
  });
  return r.code === 0;
}
