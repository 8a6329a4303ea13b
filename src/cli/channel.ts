import { channelFromFlags, channelTypeArg } from '../answers/channel-input.js';
import { CHANNEL_SECRETS, secretShapeProblem, type ChannelSecret, type ChannelType } from '../answers/rules.js';
import { secretFromRef } from '../answers/secrets.js';
import type { SecretRef } from '../answers/secret-ref.js';
import type { CliArgs } from './args.js';
import { UserError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { Secret } from '../core/secret.js';
import { serverPaths } from '../plan/paths.js';
import { envLinesSame } from '../facts/deployed.js';
import { planChannelChange, type ChannelChange, type ChannelPlan } from '../../steps/channel.js';
import type { Deployed } from '../plan/deployed-state.js';
import { inquirerPrompts, type Prompts } from '../ui/plain/prompts.js';
import { ask, runChange } from './deployment.js';
import { withDeploymentOrOffline } from './dry-run-deployment.js';
import { guideChannel, pickChannelType } from './channel-guide.js';
import { offerFirstReply } from './first-reply.js';

/**
 * `add-channel` / `remove-channel`: change one channel on a running deployment.
 * Reads what the server holds (journal, openclaw.json, the names in .env), asks
 * only for the new channel's credentials (masked, or from the environment),
 * shows the diff, then merges, validates, recreates and proves, or rolls back.
 * `--dry-run` connects read-only and prints the commands and the diff.
 * In a terminal without --type, add-channel is guided: a type picker, then each setting with
 * where to find it, then the credentials (masked, format-checked).
 */
export async function channelCommand(args: CliArgs, io: Io, prompts: Prompts = inquirerPrompts()): Promise<number> {
  const guided = !args.type && io.isTTY && !args.yes;
  let type: ChannelType | null = guided ? null : channelTypeArg(args.type, args.command);
  if (args.command === 'remove-channel' && args.set.length) throw new UserError('remove-channel takes no --set', 'pass only --type');
  // --set belongs to the channel here, not to the answers.
  return withDeploymentOrOffline(
    args,
    io,
    async (d) => {
      const { link, answers, deployed, host, out } = d;
      const asking = d.interactive ? prompts : null;
      let change: ChannelChange;
      const running = answers.openclaw.channels.map((c) => c.type);
      if (!type) {
        if (args.command === 'remove-channel' && !running.length) throw new UserError(`${host} has no channel to remove`);
        type =
          args.command === 'add-channel'
            ? await pickChannelType(prompts, running)
            : ((await ask(() =>
                prompts.select({ message: 'Which channel do you want to remove?', choices: running.map((t) => ({ name: t, value: t })) }),
              )) as ChannelType);
      }
      if (args.command === 'add-channel') {
        const sets = guided ? await guideChannel(prompts, out, type, answers, args.set) : args.set;
        const channel = channelFromFlags(type, sets, answers);
        const given = await channelSecrets(
          channel as unknown as Record<string, SecretRef>,
          type,
          deployed,
          io.env,
          asking && !args.dryRun ? asking : null,
          args.dryRun,
        );
        // A value the server already holds exactly is not rewritten (compared on the server, by hash).
        const held = given.filter((s) => deployed.envKeys.includes(s.name));
        // Offline (a dry run with no server) nothing can be compared: every value given is new.
        const same = link ? await envLinesSame(link.exec, serverPaths(answers).env, held) : new Set<string>();
        change = { op: 'add', channel, secrets: given.filter((s) => !same.has(s.name)) };
      } else change = { op: 'remove', type };
      const cp = planChannelChange(answers, deployed, change, host);
      showChange(cp, out);
      if (!cp.changes) {
        out(`claw-setup: nothing to change: ${host} already has ${change.op === 'add' ? 'this' : 'no'} ${type} channel.`);
        return 0;
      }
      const code = await runChange(d, cp.plan, {
        what: `${args.command} ${type}`,
        restored: 'the previous .env and openclaw.json are back',
        prompts: asking,
        args,
        io,
      });
      // A channel just added: offer to prove it end to end (a message in, the agent's answer out).
      if (code === 0 && change.op === 'add' && asking && link && !args.dryRun) await offerFirstReply({ ...d, link }, type, asking);
      return code;
    },
    { ownSet: true },
  );
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
  dryRun = false,
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
      // A dry run never uses the value (as rotate's): it plans with a stand-in, shown as <secret: new>.
      if (dryRun) {
        out.push(Secret.of(s.envVar, 'dry-run-placeholder', 'not asked in a dry run'));
        continue;
      }
      throw new UserError(
        `${s.label}: not given (${fromRef.origin} is not set)`,
        `set ${s.envVar} in the environment, or point --set ${s.field}.file=PATH at a file holding it`,
      );
    }
    const v = await ask(() =>
      prompts.password({
        message: `${s.label}${kept ? ' (Enter keeps the one on the server)' : ''}:`,
        // The same shape check as the wizard and the apply-time check: refused here, before anything is planned.
        validate: (x) => {
          const problem = x ? secretShapeProblem(s.kind, x) : null;
          return problem ? `the ${s.label} ${problem}` : x || kept ? true : 'required';
        },
      }),
    );
    if (v) out.push(Secret.of(s.envVar, v, 'prompt'));
  }
  return out;
}

function showChange(cp: ChannelPlan, out: (s: string) => void): void {
  if (cp.configDiff) out(cp.configDiff.trimEnd());
  for (const e of cp.env) out(`.env: ${e.name}=<secret: ${e.state === 'kept' ? 'unchanged, on the server' : e.state}>`);
}
