import type { CliArgs } from './args.js';
import { CancelledError, UserError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { terminalSafe } from '../core/terminal-text.js';
import type { HomeAction, HomeInfo } from '../ui/home/home-state.js';
import type { Prompts } from '../ui/plain/prompts.js';
import { walkAll } from '../ui/questions/index.js';
import type { WizardState } from '../ui/wizard/reducer.js';

// Only light imports here: entry.ts loads this before the wizard's first frame; the prompts
// (and the commands) load once the wizard has handed an action back.

/** A prompt; Ctrl-C or Ctrl-D at it cancels (as cli/deployment.ts ask, without loading the day-2 code). */
async function ask<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof Error && (e.name === 'ExitPromptError' || e.name === 'AbortPromptError')) throw new CancelledError();
    throw e;
  }
}

const describe = (e: unknown): string =>
  e instanceof UserError ? `${e.message}${e.howToFix ? `. How to fix: ${e.howToFix}` : ''}` : e instanceof Error ? e.message : String(e);

/** Runs one CLI command line as typed, in this terminal (exec/run-in-terminal.ts: a child process that holds the terminal until it ends). */
export type RunCli = (argv: string[]) => Promise<number>;
type Mount = (args: CliArgs, io: Io, firstRound: boolean) => Promise<{ code: number; state: WizardState | null }>;

const realMount: Mount = async (args, io, firstRound) => {
  const { runWizard } = await import('../ui/run-wizard.js');
  let state: WizardState | null = null;
  const code = await runWizard(args, io, undefined, { home: true, start: !firstRound, onEnd: (s) => (state = s) });
  // Ink unrefs stdin when it unmounts: the prompts after a hand-off wait on it, and Node would exit under them.
  process.stdin.ref?.();
  return { code, state };
};

/** The target the wizard reached, as the flags that reach it again (host, port, login, key), and how this run connects. */
export function targetFlags(s: WizardState, args: Pick<CliArgs, 'knownHosts' | 'sshOptions'>): string[] {
  const t = (walkAll(s.base, s.values, s.ctx).draft.target ?? {}) as Record<string, unknown>;
  const flag = (name: string, v: unknown) => (typeof v === 'string' || typeof v === 'number' ? [`--${name}`, String(v)] : []);
  return [
    ...flag('host', t.host),
    ...flag('port', t.port),
    ...flag('user', t.user),
    ...flag('identity', t.identityFile),
    ...flag('known-hosts', args.knownHosts),
    ...args.sshOptions.flatMap((o) => ['--ssh-option', o]),
  ];
}

/** What the secret rotation can name: the gateway token, and the credentials in the server's .env. */
const rotatable = (info: HomeInfo): string[] => [
  'gateway-token',
  ...info.envKeys.filter((k) => /_(?:TOKEN|KEY|SECRET)$/.test(k) && k !== 'OPENCLAW_GATEWAY_TOKEN'),
];

/**
 * The command line a menu action runs: the CLI command of the same name, on the server the
 * wizard reached, with what that command needs asked here first (which secret, which version).
 * Null: nothing to run (cancelled at the question).
 */
export async function actionArgv(
  action: Exclude<HomeAction, 'keep' | 'modify' | 'quit'>,
  info: HomeInfo,
  target: string[],
  prompts: Prompts,
): Promise<string[]> {
  switch (action) {
    case 'rotate': {
      const choices = [...rotatable(info).map((n) => ({ name: n, value: n })), { name: 'every secret (--all)', value: '--all' }];
      const what = await ask(() => prompts.select({ message: 'Which secret do you want to rotate?', choices }));
      return ['rotate', what, ...target];
    }
    case 'upgrade': {
      const to = await ask(() =>
        prompts.input({
          message: `Upgrade OpenClaw${info.version ? ` (now ${info.version})` : ''} to which version? (e.g. 2026.10.1; Enter: the version claw-setup pins)`,
          validate: (v) => (!v.trim() || /^[0-9A-Za-z.+@:-]{1,120}$/.test(v.trim()) ? true : 'a version such as 2026.10.1, or image@sha256:…'),
        }),
      );
      return ['upgrade', ...(to.trim() ? ['--to', to.trim()] : []), ...target];
    }
    case 'restore': {
      const from = await ask(() => prompts.input({ message: 'Restore from (Enter: the newest backup on the server; or a path, or restic:latest):' }));
      return ['restore', ...(from.trim() ? ['--from', from.trim()] : []), ...target];
    }
    case 'pair': {
      // `pair` needs the channel; only those the deployment runs (WhatsApp links with a QR, the others approve a code).
      const can = info.channels.filter((c) => ['telegram', 'discord', 'slack', 'whatsapp'].includes(c));
      if (can.length === 0) throw new UserError('no channel to pair: the deployment runs none', 'add one first (Add a channel)');
      const which =
        can.length === 1 ? can[0] : await ask(() => prompts.select({ message: 'Pair which channel?', choices: can.map((c) => ({ name: c, value: c })) }));
      return ['pair', which, ...target];
    }
    default:
      // add-channel and remove-channel ask their own questions in a terminal (the guided path); first-reply, backup, audit need none.
      return [action, ...target];
  }
}

/**
 * The bare `claw-setup` in a terminal: the wizard, which on a server that already runs a
 * deployment opens on its summary and menu. An action from the menu runs here as the CLI
 * command of that name (same planners, same live diff, guarded switch, proof and rollback),
 * in this terminal with plain prompts; then the menu comes back with the summary read again.
 */
export async function homeCommand(args: CliArgs, io: Io, runCli: RunCli, given?: Prompts, mount: Mount = realMount): Promise<number> {
  let round = args;
  for (let first = true; ; first = false) {
    const { code, state } = await mount(round, io, first);
    const chosen = state?.home?.chosen;
    if (!state || state.phase !== 'handoff' || !chosen || !state.home?.info) return code;
    const prompts = given ?? (await import('../ui/plain/prompts.js')).inquirerPrompts();
    if (chosen === 'quit' || chosen === 'keep' || chosen === 'modify') return 0;
    const target = targetFlags(state, args);
    // The next round reaches the same server straight away (its target given, as by flags).
    round = { ...args, ...flagsOf(target) };
    let argv: string[];
    try {
      argv = await actionArgv(chosen, state.home.info, target, prompts);
    } catch (e) {
      if (e instanceof CancelledError) continue;
      if (!(e instanceof UserError)) throw e;
      // Nothing to run (e.g. pair with no channel deployed): said, and the menu again.
      io.stdout(`${terminalSafe(`claw-setup ${chosen}: ${describe(e)}; the menu follows`)}\n`);
      continue;
    }
    io.stdout(`\n$ claw-setup ${argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(' ')}\n`);
    let result: string;
    try {
      result = `exit ${await runCli(argv)}`;
    } catch (e) {
      result = e instanceof CancelledError ? 'cancelled' : `failed: ${describe(e)}`;
    }
    // Straight back to the menu (its summary read again); what the command printed stays above it.
    // No prompt here: this process reads the terminal again only through Ink (the e2e saw this
    // process end under an inquirer prompt right after the command's child had held the terminal).
    io.stdout(`${terminalSafe(`claw-setup ${argv[0]}: ${result}; the menu follows`)}\n`);
  }
}

/** The target flags back as CliArgs fields (the connection flags are the run's own already). */
function flagsOf(target: string[]): Pick<CliArgs, 'host' | 'port' | 'user' | 'identity'> {
  const at = (name: string) => {
    const i = target.indexOf(`--${name}`);
    return i < 0 ? undefined : target[i + 1];
  };
  return { host: at('host'), port: at('port'), user: at('user'), identity: at('identity') };
}
