import type { CliArgs } from './args.js';
import { loadAll } from '../answers/load.js';
import type { Io } from '../core/io.js';
import { UserError } from '../core/errors.js';
import { previewPlan } from '../rollout/preview.js';
import { planRun } from '../rollout/session.js';
import { withServer } from './connect.js';
import { driftLine } from '../plan/drift.js';
import { configDrift } from '../../steps/openclaw-drift.js';

/**
 * `--dry-run` means one thing in every command: when the server answers, connect read-only and
 * show what would run there (from what it holds); when it does not (or there is no address), the
 * offline plan, said in ONE line on stderr so that stdout stays the plan. Errors after the
 * connection was made are not hidden behind an offline plan: they are the dry run's answer.
 */
export async function liveOrOffline(
  io: Io,
  host: string | undefined,
  live: (connected: () => void) => Promise<number>,
  offline: () => Promise<number>,
): Promise<number> {
  if (!host) {
    io.stderr('claw-setup: no server address (--host or target.host); this is the offline plan\n');
    return offline();
  }
  let connected = false;
  try {
    return await live(() => void (connected = true));
  } catch (e) {
    // Connection failures are user errors (src/exec/ssh-errors.ts); anything else is not ours to hide.
    if (connected || !(e instanceof UserError)) throw e;
    io.stderr(`claw-setup: ${unanswered(host, e)}; this is the offline plan\n`);
    return offline();
  }
}

/** "<host> did not answer (connection refused)", or why a server that answered could not be used. */
function unanswered(host: string, e: UserError): string {
  const m = e.message.split('\n')[0];
  const why = /connection refused/i.test(m)
    ? 'connection refused'
    : /timed out/i.test(m)
      ? 'timed out'
      : /no route/i.test(m)
        ? 'no route to host'
        : /does not resolve/i.test(m)
          ? 'the name does not resolve'
          : null;
  return why ? `${host} did not answer (${why})` : `no live dry run on ${host} (${m.slice(0, 160)})`;
}

/**
 * `--dry-run` of the setup with a server address: connect read-only, probe, and print what a
 * run would do on that server (commands, a diff per file); else the offline plan for a fresh
 * server (`claw-setup plan` never connects). With --out the files of the offline plan are written.
 */
export async function liveDryRun(args: CliArgs, io: Io, offline: () => Promise<number>): Promise<number> {
  const { answers, keys } = loadAll(args, io.env);
  const host = answers.target.host;
  if (host && args.out) return offline();
  return liveOrOffline(
    io,
    host,
    (connected) =>
      withServer(
        args,
        io,
        answers,
        async (link) => {
          connected();
          const run = await planRun({ answers, keys, env: io.env, link });
          link.addSecrets(...run.secrets);
          const pv = await previewPlan(run.plan, link.exec, host!);
          io.stdout(pv.text);
          const drift = configDrift(run.ctx);
          if (drift.length)
            io.stdout(
              `${[...drift.map(driftLine), 'A run sets these back to your answers (with --yes it does and says so; in a terminal it asks keep or revert).'].map((l) => `# ${l}`).join('\n')}\n`,
            );
          return 0;
        },
        { quiet: true, readOnly: true },
      ),
    offline,
  );
}
