import { channelFromFlags } from '../answers/channel-input.js';
import { loadAll, validateAnswers } from '../answers/load.js';
import type { ChannelType } from '../answers/rules.js';
import type { Answers } from '../answers/schema.js';
import { expandHome } from '../answers/secrets.js';
import * as v from '../answers/validators.js';
import type { CliArgs } from './args.js';
import { CancelledError, UserError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { terminalSafe } from '../core/terminal-text.js';
import { writeNewLocalFile } from '../exec/local-file.js';
import { osKeyFromFlag } from '../plan/facts.js';
import { unifiedDiff } from '../plan/diff.js';
import { planOffline } from '../rollout/session.js';
import { renderAnswersFile } from '../ui/answers-file.js';
import { inquirerPrompts, type Prompts } from '../ui/plain/prompts.js';
import { guideChannel, pickChannelType } from './channel-guide.js';
import { ask } from './deployment.js';

type OfflineAction = 'add-channel' | 'remove-channel' | 'wizard' | 'quit';

/** What the answers file sets up, in a few lines (the offline stand-in for `status`). */
export function answersSummary(a: Answers, file: string): string[] {
  return [
    `answers   ${file} (offline: no server is contacted)`,
    `server    ${a.target.host ?? '(no host yet)'}, deploy user ${a.deployUser.name}, SSH port ${a.ssh.port}`,
    `openclaw  ${a.openclaw.version}, providers ${Object.keys(a.openclaw.providers ?? {}).join(', ') || 'none'}`,
    `channels  ${a.openclaw.channels.map((c) => c.type).join(', ') || 'none'}`,
  ];
}

/** The answers with one channel added (or replacing one of its type), or removed. */
export function withChannel(a: Answers, change: { add: ReturnType<typeof channelFromFlags> } | { remove: ChannelType }): Answers {
  const type = 'add' in change ? change.add.type : change.remove;
  const others = a.openclaw.channels.filter((c) => c.type !== type);
  const channels = 'add' in change ? [...others, change.add] : others;
  return validateAnswers({ ...a, openclaw: { ...a.openclaw, channels } }, 'the changed answers');
}

/** The plan these answers make now against the plan the changed answers would make, as a unified diff. */
export function planDiff(before: Answers, after: Answers, keys: string[], args: Pick<CliArgs, 'os'>, env: NodeJS.ProcessEnv): string {
  const plan = (answers: Answers) => planOffline({ answers, keys, env, os: osKeyFromFlag(args.os) }).text;
  return unifiedDiff(plan(before), plan(after), { from: 'plan (answers file now)', to: 'plan (with this change)' });
}

/**
 * `claw-setup --dry-run --answers FILE` in a terminal: the home menu without a server. It edits
 * the answers (add or remove a channel here, any section in the wizard), shows what the change
 * does to the plan as a diff of the two offline plans, and saves the changed answers to a new
 * file (the original is never overwritten); the menu then goes on from the new file.
 */
export async function offlineHome(args: CliArgs, io: Io, runWizard: (args: CliArgs) => Promise<number>, prompts: Prompts = inquirerPrompts()): Promise<number> {
  let file = args.answers!;
  const out = (s: string) => io.stdout(`${terminalSafe(s)}\n`);
  for (;;) {
    const round = { ...args, answers: file };
    const { answers, keys } = loadAll(round, io.env);
    out('');
    for (const l of answersSummary(answers, file)) out(l);
    let action: OfflineAction;
    try {
      action = (await ask(() =>
        prompts.select({
          message: 'What do you want to do?',
          choices: [
            { name: 'Add a channel', value: 'add-channel' },
            ...(answers.openclaw.channels.length ? [{ name: 'Remove a channel', value: 'remove-channel' }] : []),
            { name: 'Review or change any section in the wizard (dry run)', value: 'wizard' },
            { name: 'Quit', value: 'quit' },
          ],
        }),
      )) as OfflineAction;
    } catch (e) {
      if (e instanceof CancelledError) return 130;
      throw e;
    }
    if (action === 'quit') return 0;
    if (action === 'wizard') return runWizard(round);
    try {
      const next = action === 'add-channel' ? await addChannel(answers, prompts, out) : await removeChannel(answers, prompts);
      const diff = planDiff(answers, next, keys, args, io.env);
      out(diff.trimEnd() || 'The plan does not change.');
      const saved = await saveAs(next, file, prompts);
      if (saved) {
        out(`claw-setup: saved the changed answers to ${saved} (${file} is unchanged); apply with: claw-setup --answers ${saved}`);
        file = saved;
      }
    } catch (e) {
      if (!(e instanceof CancelledError || e instanceof UserError)) throw e;
      out(e instanceof UserError ? `claw-setup: ${e.message}` : 'cancelled: nothing was changed');
    }
  }
}

async function addChannel(a: Answers, prompts: Prompts, out: (s: string) => void): Promise<Answers> {
  const type = await pickChannelType(
    prompts,
    a.openclaw.channels.map((c) => c.type),
  );
  const sets = await guideChannel(prompts, out, type, a, []);
  return withChannel(a, { add: channelFromFlags(type, sets, a) });
}

async function removeChannel(a: Answers, prompts: Prompts): Promise<Answers> {
  const type = await ask(() =>
    prompts.select({ message: 'Which channel do you want to remove?', choices: a.openclaw.channels.map((c) => ({ name: c.type, value: c.type })) }),
  );
  return withChannel(a, { remove: type as ChannelType });
}

/** A new file for the changed answers (secrets stay references); null when left empty (not saved). */
async function saveAs(a: Answers, from: string, prompts: Prompts): Promise<string | null> {
  const path = await ask(() =>
    prompts.input({
      message: `Save the changed answers to a new file (e.g. ${from.replace(/(\.json5?)?$/, '.new.json5')}; Enter: do not save):`,
      validate: (p) => {
        if (!p.trim()) return true;
        const ok = v.localPath.safeParse(p.trim());
        return ok.success ? true : ok.error.issues[0].message;
      },
    }),
  );
  if (!path.trim()) return null;
  try {
    writeNewLocalFile(expandHome(path.trim()), renderAnswersFile(a, []));
  } catch (e) {
    throw new UserError(e instanceof Error ? e.message : String(e));
  }
  return path.trim();
}
