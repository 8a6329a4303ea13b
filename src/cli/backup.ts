import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { checkSshOptions, rawAnswers, validateAnswers } from '../answers/load.js';
import type { Answers } from '../answers/schema.js';
import { AGE_IDENTITY_LINE } from '../answers/field-checks.js';
import { expandHome } from '../answers/secrets.js';
import type { CliArgs } from './args.js';
import { StepFailedError, UserError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { Secret } from '../core/secret.js';
import { run, type Plan } from '../plan/action.js';
import { serverPaths } from '../plan/paths.js';
import { cleanupStageArgv, describeSource, planRestore, sourceEncrypted, type RestoreRequest, type RestoreSource } from '../../steps/backup-restore.js';
import { inquirerPrompts, type Prompts } from '../ui/plain/prompts.js';
import { withServer } from './connect.js';
import { printDryRun, runChange } from './deployment.js';
import { settledChange } from '../plan/guard.js';
import { liveOrOffline } from './dry-run.js';

/** --dry-run as every command means it: read-only on the server when it answers (proving it does), else offline; the same plan either way. */
const dryRun = (args: CliArgs, io: Io, a: Answers, print: () => number) =>
  liveOrOffline(
    io,
    a.target.host,
    (connected) =>
      withServer(
        args,
        io,
        a,
        async () => {
          connected();
          return print();
        },
        { quiet: true, readOnly: true },
      ),
    async () => print(),
  );

/**
 * `claw-setup backup` and `claw-setup restore`.
 *
 * backup: runs the server's own backup job now (the same unit the daily timer
 * starts, so what is tested is what runs every night) and prints what it wrote.
 *
 * restore: see steps/backup-restore.ts. The age identity that decrypts an
 * off-server copy is read here, on the operator's machine, and reaches the
 * server only on `age`'s stdin: it is never written to the server's disk, never
 * in argv, and scrubbed from every output.
 */

const BACKUP_UNIT = 'openclaw-backup.service';
/** A local archive larger than this is refused (it travels base64 on stdin, in memory). */
const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

function loadAnswers(args: CliArgs, io: Io): Answers {
  checkSshOptions(args.sshOptions);
  const a = validateAnswers(rawAnswers(args, io.env), args.answers ? `answers file ${args.answers}` : 'the answers');
  if (!a.backups.enabled)
    throw new UserError('backups are off in these answers (backups.enabled: false)', 'set backups.enabled: true and rerun claw-setup first');
  return a;
}

/** The one command `backup` runs: the backup unit now, then its own journal lines (by invocation id). */
export function backupNowArgv(): string[] {
  return [
    'sh',
    '-c',
    'systemctl start "$1"; rc=$?; id=$(systemctl show -p InvocationID --value "$1"); [ -z "$id" ] || journalctl --no-pager -o cat _SYSTEMD_INVOCATION_ID="$id"; exit "$rc"',
    'sh',
    BACKUP_UNIT,
  ];
}

export async function backupCommand(args: CliArgs, io: Io): Promise<number> {
  const answers = loadAnswers(args, io);
  const host = answers.target.host ?? '<host>';
  const plan: Plan = {
    header: [`claw-setup: backup on ${host} now`],
    steps: [
      {
        id: 'backups',
        title: 'Back up now',
        summary: [
          `the daily job, now: an archive in ${answers.backups.dir}${answers.backups.offsite ? `, encrypted and copied to ${answers.backups.offsite.repository}` : ''}`,
        ],
        actions: [run(`run ${BACKUP_UNIT} now and show its log`, backupNowArgv(), { timeoutSec: 3600 })],
      },
    ],
  };
  if (args.dryRun) return dryRun(args, io, answers, () => printDryRun(plan, answers, host, io));
  return withServer(args, io, answers, async (link, _signal, out) => {
    const started = Date.now();
    const r = await link.exec.run(backupNowArgv(), { timeoutSec: 3600 });
    const lines = r.stdout.split('\n').filter((l) => l.trim() !== '');
    if (r.code !== 0) {
      throw new StepFailedError(`the backup failed on ${host} (${BACKUP_UNIT}); no new archive counts until it succeeds`, [
        ...lines.slice(-25),
        ...r.stderr.trim().split('\n').filter(Boolean).slice(-5),
        `More on the server: journalctl -u ${BACKUP_UNIT} -n 50`,
      ]);
    }
    for (const l of lines) out(`  ${l}`);
    const archive = /openclaw-backup: wrote (\S+)/.exec(r.stdout)?.[1];
    const snapshot = /off-server copy: snapshot ([0-9a-f]+)/.exec(r.stdout)?.[1];
    out(`claw-setup: backup done in ${((Date.now() - started) / 1000).toFixed(1)}s: ${archive ?? '(no archive named in the log)'}`);
    if (snapshot) out(`claw-setup: off-server copy: restic snapshot ${snapshot} in ${answers.backups.offsite?.repository}`);
    return 0;
  });
}

/** What `--from` names: nothing (the newest archive on the server), restic:…, a local file, or a path on the server. */
export function parseFrom(from: string | undefined, a: Answers, exists = (p: string) => existsSync(p)): RestoreSource | { kind: 'local'; path: string } {
  if (from === undefined || from === '') return { kind: 'newest' };
  const restic = /^restic:(latest|[0-9a-f]{8,64})$/.exec(from);
  if (restic) {
    if (!a.backups.offsite)
      throw new UserError(`--from ${from}: these answers have no off-server copy (backups.offsite)`, 'set backups.offsite in the answers file');
    return { kind: 'restic', snapshot: restic[1] };
  }
  if (from.startsWith('restic:'))
    throw new UserError(
      `--from ${from.slice(0, 80)}: a restic source is restic:latest or restic:<snapshot id> (hex)`,
      'list them on the server: sudo claw-restic snapshots',
    );
  if (!/^[A-Za-z0-9._/@+~-]{1,4096}$/.test(from) || from.startsWith('-') || from.split('/').includes('..'))
    throw new UserError(
      '--from: an archive path may use only A-Z a-z 0-9 . _ / @ + ~ - (no ".." parts)',
      'give the path of a .tar.gz (or .tar.gz.age) archive',
    );
  const local = expandHome(from);
  if (exists(local)) return { kind: 'local', path: local };
  if (from.startsWith('/')) return { kind: 'server', path: from };
  throw new UserError(`--from ${from}: no such file here`, 'give a local archive, an absolute path on the server, or restic:latest');
}

/** `--from-host NAME`: another server's restic snapshots, on purpose; only with a restic source, and a plain host name. */
export function withFromHost<T extends RestoreSource | { kind: 'local'; path: string }>(s: T, fromHost: string | undefined): T {
  if (fromHost === undefined) return s;
  if (s.kind !== 'restic')
    throw new UserError(
      "--from-host picks another server's restic snapshots: it needs --from restic:latest (or restic:<id>)",
      'e.g. claw-setup restore --from restic:latest --from-host NAME --age-identity KEYFILE',
    );
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(fromHost))
    throw new UserError(
      `--from-host: not a host name (letters, digits, ".", "_", "-")`,
      'the names are in the HOST column of: sudo CLAW_RESTIC_ALL_HOSTS=1 claw-restic snapshots',
    );
  return { ...s, fromHost };
}

/** A local archive, read and checked here: an age file or a gzip file; sent base64 on stdin. */
export function readLocalArchive(path: string): Extract<RestoreSource, { kind: 'upload' }> {
  const st = statSync(path);
  if (!st.isFile()) throw new UserError(`--from ${path}: not a file`);
  if (st.size > MAX_UPLOAD_BYTES) throw new UserError(`--from ${path}: larger than 512 MB`, 'copy it to the server (scp) and pass its path there');
  const data = readFileSync(path);
  const encrypted = data.subarray(0, 21).toString('latin1') === 'age-encryption.org/v1';
  if (!encrypted && !(data[0] === 0x1f && data[1] === 0x8b))
    throw new UserError(
      `--from ${path}: neither a .tar.gz archive nor an age-encrypted one`,
      'give an archive openclaw-backup made (openclaw-<time>.tar.gz), or its .age copy',
    );
  return { kind: 'upload', name: basename(path), base64: Secret.of('ARCHIVE', data.toString('base64'), `file ${path}`), encrypted };
}

/** The AGE-SECRET-KEY-1… lines of an identity file (comments dropped), as one secret. */
export function readAgeIdentity(file: string | undefined): Secret {
  if (!file)
    throw new UserError(
      'this archive is encrypted with age',
      'pass --age-identity FILE: your age identity (the AGE-SECRET-KEY-1… file age-keygen wrote), kept off the server',
    );
  let text: string;
  try {
    text = readFileSync(expandHome(file), 'utf8');
  } catch (e) {
    throw new UserError(`--age-identity ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'cannot be read'}`);
  }
  const keys = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  if (!keys.length || !keys.every((k) => AGE_IDENTITY_LINE.test(k)))
    throw new UserError(
      `--age-identity ${file}: not an age identity file`,
      'give the file age-keygen wrote (lines AGE-SECRET-KEY-1…; "#" comments are fine), not the age1… public key',
    );
  return Secret.of('AGE_IDENTITY', keys.join('\n'), `file ${file}`);
}

export async function restoreCommand(args: CliArgs, io: Io, prompts: Prompts = inquirerPrompts()): Promise<number> {
  const answers = loadAnswers(args, io);
  const host = answers.target.host ?? '<host>';
  const parsed = withFromHost(parseFrom(args.from, answers), args.fromHost);
  const source: RestoreSource = parsed.kind === 'local' ? readLocalArchive(parsed.path) : parsed;
  const request: RestoreRequest = { source, identity: sourceEncrypted(source) ? readAgeIdentity(args.ageIdentity) : null };
  const plan = planRestore(answers, request, host);
  // As runChange runs it: stale armed groups settled first, "nothing armed" gated last.
  if (args.dryRun) return dryRun(args, io, answers, () => printDryRun(settledChange(plan), answers, host, io));
  const interactive = io.isTTY && !args.yes;
  return withServer(args, io, answers, async (link, signal, out) => {
    out(`claw-setup: restore ${serverPaths(answers).composeDir} on ${host} from ${describeSource(source, answers)}`);
    await runChange({ link, signal, out, answers, host, local: answers }, plan, {
      what: `restore on ${host}`,
      restored: 'the previous files are in place',
      prompts: interactive ? prompts : null,
      confirm: { message: `Replace the deployment on ${host} with this backup? (the current state is kept first)`, default: false },
      // The staged archive holds secrets: never leave it behind.
      cleanup: async () => void (await link.exec.run(cleanupStageArgv(answers), { timeoutSec: 60 })),
      args,
      io,
    });
    out(`claw-setup: restored from ${describeSource(source, answers)}; the gateway is healthy on it.`);
    return 0;
  });
}
