/**
 * What bin/claw-setup loads: the CLI (bundled into dist/bundle; the error-to-exit-code mapping is
 * src/core/errors.ts, its own entry there).
 *
 * The interactive wizard is the one path where start-up time shows (the first frame), so it is
 * dispatched here, before the rest of the CLI (plans, steps, templates, the SSH executor) is even
 * loaded; everything else goes through main.ts. `opensWizard` must agree with main.ts's dispatch:
 * test/entry.test.ts checks both against each other.
 */
import { parseCli, type CliArgs } from './args.js';
import { defaultIo, type Io } from '../core/io.js';

/** bin/ folds an error report with it (loaded with the CLI, so no extra chunk on the error path). */
export { wrapReport } from '../core/wrap-report.js';

/**
 * True when main.ts would open the full-screen wizard: setup (or its dry run) in a terminal, no
 * --yes, no --plain; not a dry run of an answers file (the offline menu, cli/home-offline.ts).
 */
export function opensWizard(args: CliArgs, io: Pick<Io, 'isTTY'>): boolean {
  return args.command === 'setup' && !args.help && !args.version && io.isTTY && !args.yes && !args.plain && !(args.dryRun && args.answers);
}

/** The CLI. Returns the exit code; errors propagate to bin/, which maps them. */
export async function main(argv: string[], io: Io = defaultIo()): Promise<number> {
  const args = parseCli(argv);
  if (opensWizard(args, io)) {
    // The bare command opens on the deployed server's menu when there is one (cli/home.ts, kept light).
    if (!args.answers && !args.dryRun) {
      const { homeCommand } = await import('./home.js');
      const { runCliInTerminal } = await import('../exec/run-in-terminal.js');
      return homeCommand(args, io, runCliInTerminal);
    }
    const { runWizard } = await import('../ui/run-wizard.js');
    return runWizard(args, io);
  }
  const cli = await import('./main.js');
  return cli.main(argv, io);
}
