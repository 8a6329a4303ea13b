import { parseArgs } from 'node:util';
import { UserError } from '../core/errors.js';

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
] as const;

/** Commands that take one word after them: `rotate gateway-token`, `export ansible`. */
const WITH_OPERAND: readonly Command[] = ['rotate', 'export'];
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
  help: boolean;
  version: boolean;
}

export const HELP = `claw-setup — take a fresh VPS to a hardened OpenClaw deployment over SSH, without locking you out.

Usage:
  claw-setup [options]                 first-time setup (interactive wizard in a terminal)
  claw-setup plan --answers FILE       print the plan as a bash script; no connection, no change
  claw-setup add-channel --type T [--set FIELD=VALUE]...
                                       add (or replace) one messaging channel on a running deployment:
                                       merge into openclaw.json and .env, validate, restart, prove, or roll back
  claw-setup remove-channel --type T   remove one channel (its config and its .env lines)
  claw-setup audit [--json]            scorecard of the server and the app (exit 0 pass, 1 warnings, 2 failures)
  claw-setup status [--json]           one-screen daily view: gateway, channels, backups, updates
  claw-setup alert-test                send a test alert through every configured alert target (ntfy, Discord)
  claw-setup export ansible|cloud-init --answers FILE [--out DIR|FILE]
                                       the same plan for many servers: an Ansible project, or cloud-init user-data
  claw-setup rotate gateway-token | NAME | --all [--show]
                                       new secrets on a running deployment: a gateway token made on the
                                       server, or a new provider/bot credential (from the variable NAME, or
                                       typed masked); the gateway is recreated and proven, else the old .env
                                       comes back. --show prints the new gateway token once
  claw-setup upgrade [--to VERSION[@sha256:DIGEST]]
                                       backup, the new version validates the config, switch, prove healthy
                                       (and every channel), else roll back to the previous image; old images
                                       are pruned, the previous one kept
  claw-setup backup                    run the backup now (and the off-server copy); print the archive written
  claw-setup restore [--from ARCHIVE] [--age-identity FILE]
                                       restore a backup, guarded: the current state is kept first; on failure
                                       the previous files come back. ARCHIVE: a path on the server (default: the
                                       newest archive there), a local file (uploaded), or restic:latest / restic:ID
  claw-setup lockdown [--yes]          emergency brake: snapshot, every channel and public exposure closed,
                                       risky tools denied, a new gateway token; the gateway proven, the audit
                                       printed. claw-setup lockdown --help for details
  claw-setup unlock                    the snapshot's config and exposure back; the new gateway token stays
  claw-setup help | --help | -v | --version

Options:
  --dry-run              change nothing anywhere; with a reachable server, connect read-only and print
                         what would run there and a diff per file; otherwise print the whole plan
  --answers FILE         answers file (JSON5); see examples/answers.json5
  --yes                  no questions: take everything from --answers, flags and environment
  --host H               server address                (env CLAW_HOST)
  --port P               SSH port to connect to         (env CLAW_PORT, default 22)
  --user U               admin login: root or a sudo user (env CLAW_USER, default root)
  --identity KEY         private key file               (env CLAW_IDENTITY)
  --ssh-option OPT=VAL   extra ssh -o option, repeatable
  --set PATH=VALUE       set any answer, e.g. --set ssh.port=2222 (env CLAW_SET_SSH__PORT=2222)
  --operator-ip IP       break-glass source address (default: detected from SSH_CONNECTION)
  --os ID                offline plan target: ubuntu-24.04 (default), ubuntu-22.04, ubuntu-26.04, debian-12, debian-13
  --out DIR              with plan/--dry-run: also write every generated file under DIR
                         (a new directory: existing files are kept unless --force; / and system directories are refused)
  --reboot               with --yes: after a successful run, reboot if the updates need it
                         (/var/run/reboot-required) and wait until a fresh login works
  --known-hosts FILE     with --yes: accept and record the server's host key in FILE
  --type T               add-channel/remove-channel: telegram, discord, slack or whatsapp
  --to VERSION           upgrade: the OpenClaw version (default: openclaw.version of your answers)
  --all                  rotate: every secret the deployment holds
  --show                 rotate: print the new gateway token once
  --from ARCHIVE         restore: what to restore (see restore above)
  --age-identity FILE    restore: your age identity (AGE-SECRET-KEY-1…) for an encrypted archive; it is sent
                         to the server on stdin only, never stored there
  --from-host NAME       restore from restic: another server's snapshots (default: this server's own only),
                         e.g. onto a new server replacing a dead one. The names (HOST column):
                         sudo CLAW_RESTIC_ALL_HOSTS=1 claw-restic snapshots
  --json                 audit/status: print JSON (schema in docs/audit-schema.json)
  --plain                ask questions as plain line prompts instead of the full-screen wizard
  --force                continue on an unsupported OS; with --out, overwrite files already there

Secrets never go in answers files or flags: use { env: "NAME" } or { file: "PATH" } references,
or type them at the masked prompt.

Exit codes: 0 done, 1 bad input or unreachable host, 2 a step failed and was reverted, 130 cancelled
(70: a bug in claw-setup).`;

/** Parses argv. Unknown flags and stray words are user errors. */
export function parseCli(argv: string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        'dry-run': { type: 'boolean', default: false },
        answers: { type: 'string' },
        yes: { type: 'boolean', short: 'y', default: false },
        host: { type: 'string' },
        port: { type: 'string' },
        user: { type: 'string' },
        identity: { type: 'string', short: 'i' },
        'ssh-option': { type: 'string', multiple: true, default: [] },
        set: { type: 'string', multiple: true, default: [] },
        out: { type: 'string' },
        os: { type: 'string' },
        'operator-ip': { type: 'string' },
        'known-hosts': { type: 'string' },
        plain: { type: 'boolean', default: false },
        force: { type: 'boolean', default: false },
        type: { type: 'string' },
        json: { type: 'boolean', default: false },
        reboot: { type: 'boolean', default: false },
        all: { type: 'boolean', default: false },
        show: { type: 'boolean', default: false },
        to: { type: 'string' },
        from: { type: 'string' },
        'age-identity': { type: 'string' },
        'from-host': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'V', default: false },
        v: { type: 'boolean', short: 'v', default: false },
      },
    });
  } catch (e) {
    throw new UserError((e as Error).message.split('\n')[0], 'run claw-setup --help for the list of options');
  }
  const { values: v, positionals } = parsed;
  // `claw-setup help` and `-v` are what people type first
  if (positionals[0] === 'help') return { ...parseCli(['--help']) };
  const [cmd, ...rest] = positionals;
  const command: Command = cmd === undefined ? 'setup' : (COMMANDS as readonly string[]).includes(cmd) ? (cmd as Command) : unknownCommand(cmd);
  const takesOperand = WITH_OPERAND.includes(command);
  const operand = takesOperand ? rest[0] : undefined;
  const extra = takesOperand ? rest.slice(1) : rest;
  if (extra.length) throw new UserError(`unexpected argument "${extra[0].slice(0, 40)}"`, 'run claw-setup --help');
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
    all: v.all as boolean,
    show: v.show as boolean,
    to: v.to as string | undefined,
    from: v.from as string | undefined,
    ageIdentity: v['age-identity'] as string | undefined,
    ...(v['from-host'] !== undefined ? { fromHost: v['from-host'] as string } : {}),
    help: v.help as boolean,
    version: (v.version as boolean) || (v.v as boolean),
  };
}

function unknownCommand(cmd: string): never {
  throw new UserError(
    `unknown command "${cmd.slice(0, 40)}"`,
    `commands are: ${COMMANDS.filter((c) => c !== 'setup').join(', ')} (or none for setup); see --help`,
  );
}
