import { VERSION } from '../core/version.js';
import { HELP, parseCli, type CliArgs } from './args.js';
import { UserError } from '../core/errors.js';
import { defaultIo, type Io } from '../core/io.js';
import { offlinePlan } from './offline-plan.js';
import { commandHelp, COMMAND_SPECS } from './help.js';

async function printOffline(args: CliArgs, io: Io): Promise<number> {
  const { plan, text } = offlinePlan(args, io.env);
  const out = args.out ? await import('../exec/out-dir.js') : null;
  if (out && args.out) out.checkOutDir(plan, args.out, args.force);
  io.stdout(text);
  if (out && args.out) {
    const files = out.writePlanFiles(plan, args.out);
    io.stderr(`wrote ${files.length} files under ${args.out}\n`);
  }
  return 0;
}

/** The CLI. Returns the exit code; errors propagate to bin/, which maps them. */
export async function main(argv: string[], io: Io = defaultIo()): Promise<number> {
  const args = parseCli(argv);
  if (args.help) {
    // No command (or `help` alone): the overview; a command: its own page.
    const asked = argv.some((a) => a === args.command);
    io.stdout(`${asked ? commandHelp(args.command, COMMAND_SPECS[args.command]) : HELP}\n`);
    return 0;
  }
  if (args.version) {
    io.stdout(`${VERSION}\n`);
    return 0;
  }
  if (args.command === 'add-channel' || args.command === 'remove-channel') {
    const { channelCommand } = await import('./channel.js');
    return channelCommand(args, io);
  }
  if (args.command === 'audit' || args.command === 'status' || args.command === 'alert-test') {
    const { auditCommand } = await import('./audit.js');
    return auditCommand(args, io);
  }
  if (args.command === 'rotate' || args.command === 'upgrade' || args.command === 'backup' || args.command === 'restore') {
    const { lifecycleCommand } = await import('./lifecycle.js');
    return lifecycleCommand(args, io);
  }
  if (args.command === 'lockdown' || args.command === 'unlock') {
    const { lockdownCommand } = await import('./lockdown.js');
    return lockdownCommand(args, io);
  }
  if (args.command === 'first-reply') {
    const { firstReplyCommand } = await import('./first-reply.js');
    return firstReplyCommand(args, io);
  }
  if (args.command === 'pair') {
    const { pairCommand } = await import('./pair.js');
    return pairCommand(args, io);
  }
  if (args.command === 'export') {
    const { exportCommand } = await import('./export.js');
    return exportCommand(args, io);
  }
  if (args.command === 'plan' || args.dryRun) {
    if (args.command !== 'plan' && io.isTTY && !args.yes) {
      // In a terminal a dry run asks the same questions as a real run: the wizard, or plain prompts.
      if (args.plain) {
        const { runPlain } = await import('../ui/run-plain.js');
        return runPlain(args, io);
      }
      const { runWizard } = await import('../ui/run-wizard.js');
      if (args.answers && args.command === 'setup') {
        // An answers file and no server: the home menu edits it and shows the plan diff (cli/home-offline.ts).
        const { offlineHome } = await import('./home-offline.js');
        return offlineHome(args, io, (a) => runWizard(a, io));
      }
      return runWizard(args, io);
    }
    if (args.command === 'setup') {
      const { liveDryRun } = await import('./dry-run.js');
      return liveDryRun(args, io, () => printOffline(args, io));
    }
    return printOffline(args, io);
  }
  if (!io.isTTY && !(args.answers && args.yes)) {
    throw new UserError(
      'no terminal to ask questions in',
      'pass --answers FILE --yes (and secrets through environment variables or files), or --dry-run to only print the plan',
    );
  }
  if (io.isTTY && !args.yes) {
    if (args.plain) {
      const { runPlain } = await import('../ui/run-plain.js');
      return runPlain(args, io);
    }
    if (args.command === 'setup' && !args.answers) {
      // The bare command: on a server that already runs a deployment, its summary and menu (cli/home.ts).
      const { homeCommand } = await import('./home.js');
      const { runCliInTerminal } = await import('../exec/run-in-terminal.js');
      return homeCommand(args, io, runCliInTerminal);
    }
    const { runWizard } = await import('../ui/run-wizard.js');
    return runWizard(args, io);
  }
  const { applyNonInteractive } = await import('./apply.js');
  return applyNonInteractive(args, io);
}
