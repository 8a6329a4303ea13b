import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '../core/errors.js';
import { COMMAND_SPECS, FLAGS, flagsOf, overviewHelp, type CommandSpec, type Flag } from './help.js';

const SHORT: Partial<Record<Flag, string>> = { yes: 'y', identity: 'i', help: 'h', version: 'V', v: 'v' };
const REPEATABLE: readonly Flag[] = ['ssh-option', 'set'];

export const COMMANDS = [
  'setup',
  'plan',
  'add-channel',
  'remove-channel',
  'audit',
  'status',
  'alert-test',
  'rotate',
  'upgrade',
  'backup',
  'restore',
  'lockdown',
  'unlock',
  'export',
  'pair',
  'first-reply',
] as const satisfies readonly (keyof typeof COMMAND_SPECS)[];

export type Command = (typeof COMMANDS)[number];

export interface CliArgs {
  command: Command;
  dryRun: boolean;
  answers?: string;
  yes: boolean;
  host?: string;
  port?: string;
  user?: string;
  identity?: string;
  sshOptions: string[];
  set: string[];
  out?: string;
  os?: string;
  operatorIp?: string;
  knownHosts?: string;
  plain: boolean;
  force: boolean;
  /** add-channel/remove-channel: the channel type. */
  type?: string;
  /** audit/status: machine-readable output. */
  json: boolean;
  /** After a successful run: reboot if the server needs it, and wait for a fresh login. */
  reboot: boolean;
  /** rotate: what to rotate (gateway-token or a secret's env name); export: the engine (ansible, cloud-init). */
  operand?: string;
  /** pair: the pairing code after the channel (`pair telegram 7KQ2MXPA`). */
  code?: string;
  /** rotate --all: every secret the deployment holds. */
  all: boolean;
  /** rotate: print the new generated value once. */
  show: boolean;
  /** upgrade --to VERSION (or image@sha256:…). */
  to?: string;
  /** restore --from ARCHIVE (a path on the server, or a local file to upload). */
  from?: string;
  /** restore: the operator's age identity file (decrypts an off-server copy; read here, fed to the server on stdin). */
  ageIdentity?: string;
  /** restore --from restic:…: another server's snapshots, on purpose (default: this server's own). */
  fromHost?: string;
  /** first-reply --timeout SECONDS: how long to watch for the message and its answer. */
  timeout?: string;
  help: boolean;
  version: boolean;
}

/** `claw-setup --help`: the overview (one line per command, the options every command takes). */
export const HELP = overviewHelp(COMMAND_SPECS);

/** parseArgs' option table, from the one flag table of help.ts. */
const OPTIONS = Object.fromEntries(
  (Object.keys(FLAGS) as Flag[]).map((f) => {
    const short = SHORT[f];
    const kind = 'arg' in FLAGS[f] ? 'string' : 'boolean';
    return [
      f,
      { type: kind, ...(short ? { short } : {}), ...(REPEATABLE.includes(f) ? { multiple: true, default: [] } : kind === 'boolean' ? { default: false } : {}) },
    ];
  }),
) as ParseArgsConfig['options'];

/** Parses argv. Unknown flags, flags of another command and stray words are user errors. */
export function parseCli(argv: string[]): CliArgs {
  // First the flags as typed, leniently: an unknown one is named with its nearest known flag.
  const { tokens } = parseArgs({ args: argv, allowPositionals: true, strict: false, tokens: true, options: OPTIONS });
  const given = (tokens ?? []).flatMap((t) => (t.kind === 'option' ? [t] : []));
  for (const t of given) if (!Object.hasOwn(FLAGS, t.name)) unknownFlag(t.rawName, argv);
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: OPTIONS });
  } catch (e) {
    throw valueError((e as Error).message.split('\n')[0]);
  }
  const { positionals } = parsed;
  const v = parsed.values as Record<string, unknown>;
  // `claw-setup help [COMMAND]` is what people type first.
  const asksHelp = positionals[0] === 'help';
  const words = asksHelp ? positionals.slice(1) : positionals;
  const [cmd, ...rest] = words;
  const command: Command = cmd === undefined ? 'setup' : (COMMANDS as readonly string[]).includes(cmd) ? (cmd as Command) : unknownCommand(cmd);
  const help = asksHelp || (v.help as boolean);
  const spec: CommandSpec = COMMAND_SPECS[command];
  const takes = spec.operands ?? 0;
  const extra = rest.slice(takes);
  if (extra.length && !asksHelp)
    throw new UserError(`unexpected argument "${extra[0].slice(0, 40)}"`, `run claw-setup ${command === 'setup' ? '' : `${command} `}--help`);
  // Asking for help is never refused: `plan --to 1.2 --help` shows plan's help.
  if (!help) for (const t of given) foreignFlag(t.name as Flag, command, spec);
  const operand = rest[0] !== undefined && takes > 0 ? rest[0] : undefined;
  return {
    command,
    dryRun: v['dry-run'] as boolean,
    answers: v.answers as string | undefined,
    yes: v.yes as boolean,
    host: v.host as string | undefined,
    port: v.port as string | undefined,
    user: v.user as string | undefined,
    identity: v.identity as string | undefined,
    sshOptions: v['ssh-option'] as string[],
    set: v.set as string[],
    out: v.out as string | undefined,
    os: v.os as string | undefined,
    operatorIp: v['operator-ip'] as string | undefined,
    knownHosts: v['known-hosts'] as string | undefined,
    plain: v.plain as boolean,
    force: v.force as boolean,
    type: v.type as string | undefined,
    json: v.json as boolean,
    reboot: v.reboot as boolean,
    ...(operand !== undefined ? { operand } : {}),
    ...(takes > 1 && rest[1] !== undefined ? { code: rest[1] } : {}),
    all: v.all as boolean,
    show: v.show as boolean,
    to: v.to as string | undefined,
    from: v.from as string | undefined,
    ageIdentity: v['age-identity'] as string | undefined,
    ...(v['from-host'] !== undefined ? { fromHost: v['from-host'] as string } : {}),
    ...(v.timeout !== undefined ? { timeout: v.timeout as string } : {}),
    help,
    version: (v.version as boolean) || (v.v as boolean),
  };
}

/** Node's words for a flag's value that is missing, ambiguous or not wanted, said as ours. */
function valueError(node: string): UserError {
  const name = /--([a-z-]+)/.exec(node)?.[1] as Flag | undefined;
  const f = name && Object.hasOwn(FLAGS, name) ? FLAGS[name] : undefined;
  const arg = f && 'arg' in f ? f.arg : undefined;
  if (name && arg && /argument missing/.test(node))
    return new UserError(`--${name} needs a value: --${name} ${arg}`, `run claw-setup --help for what ${arg} is`);
  if (name && /ambiguous/.test(node))
    return new UserError(`--${name}: the next word starts with "-", so it is taken for an option`, `if it is the value, write --${name}=VALUE`);
  if (name && !arg && /does not take an argument/.test(node)) return new UserError(`--${name} is a switch: it takes no value`, `write --${name} alone`);
  return new UserError(node, 'run claw-setup --help for the list of options');
}

function unknownCommand(cmd: string): never {
  const near = nearest(cmd, COMMANDS);
  throw new UserError(
    `unknown command "${cmd.slice(0, 40)}"${near ? ` (did you mean ${near}?)` : ''}`,
    `commands are: ${COMMANDS.filter((c) => c !== 'setup').join(', ')} (or none for setup); see claw-setup --help`,
  );
}

function unknownFlag(raw: string, argv: string[]): never {
  const typed = raw.replace(/^-+/, '');
  // The nearest flag of the command typed, else of any command.
  const word = argv.find((a) => (COMMANDS as readonly string[]).includes(a)) as Command | undefined;
  const near = nearest(typed, flagsOf(COMMAND_SPECS[word ?? 'setup'])) ?? nearest(typed, Object.keys(FLAGS));
  throw new UserError(
    `unknown option ${raw.slice(0, 40)}${near ? ` (did you mean --${near}?)` : ''}`,
    `run claw-setup ${word ? `${word} ` : ''}--help for its options`,
  );
}

function foreignFlag(flag: Flag, command: Command, spec: CommandSpec): void {
  if (flagsOf(spec).includes(flag)) return;
  const owners = COMMANDS.filter((c) => (COMMAND_SPECS[c] as CommandSpec).flags.includes(flag));
  throw new UserError(
    `--${flag} is not an option of ${command}${owners.length ? ` (it belongs to ${owners.join(', ')})` : ''}`,
    `run claw-setup ${command === 'setup' ? '' : `${command} `}--help for its options`,
  );
}

/** The closest word within a typo's reach (edit distance ≤ 2, and at most half the word), if any. */
export function nearest(typed: string, words: readonly string[]): string | undefined {
  let best: { w: string; d: number } | undefined;
  for (const w of words) {
    const d = distance(typed.toLowerCase(), w);
    if (d <= Math.min(2, Math.floor(w.length / 2)) && (!best || d < best.d)) best = { w, d };
  }
  return best?.w;
}

/** Optimal string alignment distance: insertions, deletions, substitutions, and swaps of two neighbours (--tyep). */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.length][b.length];
}
