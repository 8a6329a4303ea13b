import type { CliArgs } from './args.js';
import { loadAll } from '../answers/load.js';
import type { Io } from '../core/io.js';
import { UserError } from '../core/errors.js';
import { SshUnreachableError } from '../exec/ssh-errors.js';
import { previewPlan } from '../rollout/preview.js';
import { planRun } from '../rollout/session.js';
import { withServer } from './connect.js';
import { driftLine } from '../plan/drift.js';
import { configDrift } from '../../steps/openclaw-drift.js';

/**
 * `--dry-run` with a server address: connect read-only, probe, and print what a
 * run would do on that server (commands, a diff per file). Without an address,
 * or when no connection can be made (unreachable, unknown host key: a dry run
 * never records one), the offline plan is printed instead, and says why; `plan` never connects.
 */
export async function liveDryRun(args: CliArgs, io: Io, offline: () => Promise<number>): Promise<number> {
  const { answers, keys } = loadAll(args, io.env);
  const host = answers.target.host;
  if (!host || args.out) return offline();
  let connected = false;
  try {
    return await withServer(
      args,
      io,
      answers,
      async (link) => {
        connected = true;
        const run = await planRun({ answers, keys, env: io.env, link });
        link.addSecrets(...run.secrets);
        const pv = await previewPlan(run.plan, link.exec, host);
        io.stdout(pv.text);
        const drift = configDrift(run.ctx);
        if (drift.length)
          io.stdout(
            `${[...drift.map(driftLine), 'A run sets these back to your answers (with --yes it does and says so; in a terminal it asks keep or revert).'].map((l) => `# ${l}`).join('\n')}\n`,
          );
        return 0;
      },
      { quiet: true, readOnly: true },
    );
  } catch (e) {
    if (connected || !(e instanceof SshUnreachableError || e instanceof UserError)) throw e;
    const fix = e instanceof UserError && e.howToFix ? ` (${e.howToFix})` : '';
    io.stderr(
      `claw-setup: no live dry run: ${e.message.split('\n')[0]}${fix}.\nclaw-setup: printing the offline plan instead, for a fresh server (\`claw-setup plan\` never connects).\n`,
    );
    return offline();
  }
}
