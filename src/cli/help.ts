/**
 * What each command accepts and how it explains itself: one table, read by the parser (which
 * flags a command takes, how many words follow it) and by `--help` (usage, flags, examples).
 * A new command adds one entry to COMMAND_SPECS (and its name to COMMANDS in args.ts).
 */

import { LOCKDOWN_HELP } from './lockdown-help.js';

/** Every flag, with its argument's name (none for a switch) and one line of help. */
export const FLAGS = {
  answers: { arg: 'FILE', help: 'answers file (JSON5); see examples/answers.json5' },
  set: { arg: 'PATH=VALUE', help: 'set any answer, e.g. --set ssh.port=2222 (env CLAW_SET_SSH__PORT=2222); repeatable' },
  host: { arg: 'H', help: 'server address (env CLAW_HOST)' },
  port: { arg: 'P', help: 'SSH port to connect to (env CLAW_PORT, default 22)' },
  user: { arg: 'U', help: 'admin login: root or a sudo user (env CLAW_USER, default root)' },
  identity: { arg: 'KEY', help: 'private key file (env CLAW_IDENTITY)' },
  'ssh-option': { arg: 'OPT=VAL', help: 'extra ssh -o option, repeatable' },
  'known-hosts': { arg: 'FILE', help: "with --yes: accept and record the server's host key in FILE" },
  'operator-ip': { arg: 'IP', help: 'break-glass source address (default: detected from SSH_CONNECTION)' },
  yes: { help: 'no questions: take everything from --answers, flags and environment' },
  force: { help: 'continue on an unsupported OS' },
  'dry-run': { help: 'change nothing: live and read-only when the server answers, else the offline plan (said on stderr)' },
  os: { arg: 'ID', help: 'offline plan target: ubuntu-24.04 (default), ubuntu-22.04, ubuntu-26.04, debian-12, debian-13' },
  out: { arg: 'DIR', help: 'also write every generated file under DIR (a new directory; existing files kept unless --force)' },
  reboot: { help: 'with --yes: reboot after the run if the updates need it, and wait until a fresh login works' },
  plain: { help: 'ask questions as plain line prompts instead of the full-screen wizard' },
  type: { arg: 'T', help: 'the channel: telegram, discord, slack or whatsapp' },
  json: { help: 'print one JSON document on stdout (schema in docs/audit-schema.json); chatter goes to stderr' },
  all: { help: 'every secret the deployment holds' },
  show: { help: 'print the new gateway token once' },
  to: { arg: 'VERSION', help: 'the OpenClaw version, optionally @sha256:DIGEST (default: openclaw.version of your answers)' },
  from: { arg: 'ARCHIVE', help: 'a path on the server (default: the newest there), a local file (uploaded), restic:latest or restic:ID' },
  'age-identity': { arg: 'FILE', help: 'your age identity (AGE-SECRET-KEY-1…) for an encrypted archive; sent on stdin only' },
  timeout: { arg: 'SECONDS', help: 'how long to wait for the message and its answer (default 180)' },
  'from-host': { arg: 'NAME', help: "with --from restic:…: another server's snapshots (names: sudo CLAW_RESTIC_ALL_HOSTS=1 claw-restic snapshots)" },
  help: { help: 'this help; claw-setup COMMAND --help for one command' },
  version: { help: 'print the version' },
  v: { help: 'print the version' },
} as const;
export type Flag = keyof typeof FLAGS;

/** Flags every command accepts: where the server is, how to log in, the answers. */
export const CONNECTION_FLAGS: readonly Flag[] = [
  'answers',
  'set',
  'host',
  'port',
  'user',
  'identity',
  'ssh-option',
  'known-hosts',
  'operator-ip',
  'yes',
  'force',
];
const GLOBAL_FLAGS: readonly Flag[] = ['help', 'version', 'v'];

export interface CommandSpec {
  /** After `claw-setup `: the command and its arguments. */
  usage: string;
  /** One line for the overview. */
  summary: string;
  /** The command's own flags (beyond CONNECTION_FLAGS and --help/--version). */
  flags: readonly Flag[];
  /** How many words may follow the command (`rotate gateway-token`: 1). */
  operands?: number;
  /** A flag's help as this command means it, when it differs from FLAGS. */
  flagHelp?: Partial<Record<Flag, string>>;
  /** More than the usage line says, in a few lines. */
  about?: string;
  examples: readonly string[];
  /** A command whose help is its own page (lockdown). */
  page?: string;
}

export const COMMAND_SPECS = {
  setup: {
    usage: '[options]',
    summary: 'first-time setup (the wizard in a terminal; --answers FILE --yes without one)',
    flags: ['dry-run', 'os', 'out', 'reboot', 'plain'],
    flagHelp: { out: 'with --dry-run: also write every generated file under DIR', force: 'continue on an unsupported OS; with --out, overwrite files' },
    examples: ['claw-setup', 'claw-setup --dry-run --answers answers.json5 --yes', 'claw-setup --answers answers.json5 --yes --reboot'],
  },
  plan: {
    usage: 'plan --answers FILE [--os ID] [--out DIR]',
    summary: 'print the plan as a bash script; no connection, no change',
    flags: ['os', 'out'],
    flagHelp: { force: 'with --out, overwrite files already there' },
    examples: ['claw-setup plan --answers answers.json5', 'claw-setup plan --answers answers.json5 --os debian-13 --out ./claw-plan'],
  },
  'add-channel': {
    usage: 'add-channel --type T [--set FIELD=VALUE]...',
    summary: 'add (or replace) one messaging channel: merged, validated, restarted, proven, or rolled back',
    flags: ['type', 'dry-run'],
    flagHelp: { set: 'a field of the channel (not of the answers), e.g. --set allowFrom=123456789 --set dmPolicy=allowlist' },
    about: 'Credentials come from the environment (or --set FIELD.file=PATH), else a masked prompt; never from argv.',
    examples: ['TELEGRAM_BOT_TOKEN=… claw-setup add-channel --type telegram --set allowFrom=12345', 'claw-setup add-channel --type discord --dry-run'],
  },
  'remove-channel': {
    usage: 'remove-channel --type T',
    summary: 'remove one channel (its config and its .env lines)',
    flags: ['type', 'dry-run'],
    examples: ['claw-setup remove-channel --type telegram', 'claw-setup remove-channel --type slack --dry-run'],
  },
  audit: {
    usage: 'audit [--json]',
    summary: 'scorecard of the server and the app (exit 0 pass, 1 warnings, 2 failures, 3 could not audit)',
    flags: ['json'],
    about:
      'Read-only, one round trip. Exit codes: 0 pass, 1 warnings, 2 failures, 3 could not audit (no connection, the\nscript failed); with --json a failure to audit prints {"error": {"kind", "message", "fix"}} on stdout.',
    examples: ['claw-setup audit --answers answers.json5', 'claw-setup audit --host 203.0.113.10 --json > audit.json'],
  },
  status: {
    usage: 'status [--json]',
    summary: 'one-screen daily view: gateway, channels, backups, updates',
    flags: ['json'],
    about: 'Read-only, one round trip. With --json a failure prints {"error": {"kind", "message", "fix"}} on stdout.',
    examples: ['claw-setup status --answers answers.json5', 'claw-setup status --host 203.0.113.10 --json'],
  },
  'alert-test': {
    usage: 'alert-test',
    summary: 'send a test alert through every configured alert target (ntfy, Discord)',
    flags: [],
    examples: ['claw-setup alert-test --answers answers.json5'],
  },
  rotate: {
    usage: 'rotate gateway-token | NAME | --all [--show]',
    summary: 'new secrets: the gateway token (made on the server) or a provider/bot credential; proven, else the old .env',
    flags: ['all', 'show', 'dry-run'],
    operands: 1,
    about: 'NAME is the variable of a credential (e.g. ANTHROPIC_API_KEY); its new value comes from that environment\nvariable, else a masked prompt.',
    examples: ['claw-setup rotate gateway-token --show', 'ANTHROPIC_API_KEY=… claw-setup rotate ANTHROPIC_API_KEY --yes', 'claw-setup rotate --all --dry-run'],
  },
  upgrade: {
    usage: 'upgrade [--to VERSION[@sha256:DIGEST]]',
    summary: 'backup, the new version validates the config, switch, prove healthy, else back to the previous image',
    flags: ['to', 'dry-run'],
    examples: ['claw-setup upgrade --to 2026.10.1', 'claw-setup upgrade --dry-run'],
  },
  backup: {
    usage: 'backup',
    summary: 'run the backup now (and the off-server copy); print the archive written',
    flags: ['dry-run'],
    examples: ['claw-setup backup --answers answers.json5'],
  },
  restore: {
    usage: 'restore [--from ARCHIVE] [--age-identity FILE] [--from-host NAME]',
    summary: 'restore a backup, guarded: the current state kept first; on failure the previous files come back',
    flags: ['from', 'age-identity', 'from-host', 'dry-run'],
    examples: [
      'claw-setup restore',
      'claw-setup restore --from ./openclaw-2026-12-01.tar.gz.age --age-identity ~/.config/age/key.txt',
      'claw-setup restore --from restic:latest --from-host old-server --age-identity key.txt',
    ],
  },
  lockdown: {
    usage: 'lockdown [--yes]',
    summary: 'emergency brake: every channel and public exposure closed, risky tools denied, a new gateway token',
    flags: ['dry-run'],
    examples: ['claw-setup lockdown --yes'],
    page: LOCKDOWN_HELP,
  },
  unlock: {
    usage: 'unlock',
    summary: "the lockdown snapshot's config and exposure back; the new gateway token stays",
    flags: ['dry-run'],
    examples: ['claw-setup unlock'],
    page: LOCKDOWN_HELP,
  },
  export: {
    usage: 'export ansible|cloud-init --answers FILE [--out DIR|FILE]',
    summary: 'the same plan for many servers: an Ansible project, or cloud-init user-data',
    flags: ['os', 'out'],
    operands: 1,
    flagHelp: {
      out: 'ansible: a new directory; cloud-init: the user-data file (the check script is written beside it)',
      force: 'with --out, overwrite files already there',
    },
    examples: [
      'claw-setup export ansible --answers answers.json5 --out ./claw-ansible',
      'claw-setup export cloud-init --answers answers.json5 --out ./user-data.yaml',
    ],
  },
  pair: {
    usage: 'pair telegram|discord|slack [CODE] | pair whatsapp [--force]',
    summary: 'approve a DM pairing request (a picker without CODE), or link WhatsApp with the QR in this terminal',
    flags: ['dry-run'],
    operands: 2,
    flagHelp: { force: 'whatsapp: a new QR login even when a phone is linked already' },
    about:
      'With dmPolicy "pairing", OpenClaw answers an unknown sender with an 8-character code; pair lists the pending\nrequests and approves one (OpenClaw\'s own `pairing approve` in the gateway container). --yes needs the CODE.',
    examples: ['claw-setup pair telegram', 'claw-setup pair telegram 7KQ2MXPA --yes', 'claw-setup pair whatsapp'],
  },
  'first-reply': {
    usage: 'first-reply [--type T] [--timeout SECONDS]',
    summary: 'send your bot a message: proves it was received and answered, or names the hop that failed',
    flags: ['type', 'timeout'],
    about:
      "Read-only: watches the gateway's log on the server (default 180 s) and names the failed hop: channel (nothing\narrived), policy (dmPolicy dropped it: see pair), model provider (key refused, unreachable) or the agent.",
    examples: ['claw-setup first-reply', 'claw-setup first-reply --type telegram --timeout 300'],
  },
} satisfies Record<string, CommandSpec>;

/** The flags `command` accepts. */
export function flagsOf(spec: CommandSpec): readonly Flag[] {
  return [...spec.flags, ...CONNECTION_FLAGS, ...GLOBAL_FLAGS];
}

const flagName = (f: Flag) => (f === 'v' ? '-v' : `--${f}`);
const flagLine = (f: Flag, text: string) => {
  const left = `  ${flagName(f)}${'arg' in FLAGS[f] ? ` ${(FLAGS[f] as { arg: string }).arg}` : ''}`;
  return `${left.padEnd(24)} ${text}`;
};

/** `claw-setup COMMAND --help`: usage, what it does, its own flags, the connection flags, examples. */
export function commandHelp(name: string, spec: CommandSpec): string {
  if (spec.page) return spec.page;
  const own = spec.flags.map((f) => flagLine(f, spec.flagHelp?.[f] ?? FLAGS[f].help));
  const conn = CONNECTION_FLAGS.map((f) => flagLine(f, spec.flagHelp?.[f] ?? FLAGS[f].help));
  return [
    `Usage: claw-setup ${spec.usage}`,
    '',
    `${name}: ${spec.summary}`,
    ...(spec.about ? [spec.about] : []),
    ...(own.length ? ['', 'Options:', ...own] : []),
    '',
    'Connection and answers:',
    ...conn,
    '',
    spec.examples.length > 1 ? 'Examples:' : 'Example:',
    ...spec.examples.map((e) => `  ${e}`),
  ].join('\n');
}

/** `claw-setup --help`: every command in one line, then the options every command takes. */
export function overviewHelp(specs: Record<string, CommandSpec>): string {
  const cmds = Object.entries(specs).map(([name, s]) => `  ${(name === 'setup' ? '(none)' : name).padEnd(15)} ${s.summary}`);
  return [
    'claw-setup — take a fresh VPS to a hardened OpenClaw deployment over SSH, without locking you out.',
    '',
    'Usage: claw-setup [COMMAND] [options]      claw-setup COMMAND --help (or claw-setup help COMMAND) for one command',
    '',
    'Commands:',
    ...cmds,
    '',
    'Options every command takes:',
    ...CONNECTION_FLAGS.map((f) => flagLine(f, FLAGS[f].help)),
    flagLine('help', FLAGS.help.help),
    `${'  -v, --version'.padEnd(24)} ${FLAGS.version.help}`,
    '',
    'Secrets never go in answers files or flags: use { env: "NAME" } or { file: "PATH" } references, or the masked prompt.',
    'Exit codes: 0 done, 1 bad input or unreachable host, 2 a step failed and was reverted, 3 audit could not run,',
    '130 cancelled (70: a bug in claw-setup). audit: 1 warnings, 2 failures.',
  ].join('\n');
}
