import type { PlanContext } from '../src/plan/context.js';
import { run, write, type Action, type Step } from '../src/plan/action.js';
import { renderBackupScript, renderBackupService, renderBackupTimer } from '../templates/backup.js';
import { RECORD_RESTIC_HOST, renderOffsiteKnownHosts, renderResticEnv, renderResticPassword, renderResticWrapper } from '../templates/backup-offsite.js';
import { renderRestoreTestScript, renderRestoreTestService, renderRestoreTestTimer } from '../templates/backup-restore-test.js';
import { offsiteRepository, OFFSITE_PATHS, RESTORE_TEST_PATHS } from '../src/plan/backup-paths.js';
import { aptInstall, aptUpdate } from './helpers.js';
import { timerJobActions } from './timers.js';

/** The packages the off-server copy needs (from the OS's own repositories). */
export const OFFSITE_PACKAGES = ['age', 'restic'] as const;

/**
 * Daily verified archives of the OpenClaw directory, kept N days; optionally an
 * off-server copy (age-encrypted to the operator's key, then restic to SFTP or
 * S3, with retention); and a monthly restore test that alerts when it fails.
 */
export function planBackups(ctx: PlanContext): Step | null {
  const a = ctx.answers;
  if (!a.backups.enabled) return null;
  const p = ctx.paths;
  const o = a.backups.offsite;
  const repo = offsiteRepository(a);
  const offsite: Action[] = [];
  if (o && repo) {
    if (!ctx.secrets.offsite) throw new Error('internal: backups.offsite without its secrets');
    const knownHosts = renderOffsiteKnownHosts(a);
    offsite.push(
      aptUpdate([...OFFSITE_PACKAGES], 'refresh package lists (for age and restic)'),
      aptInstall([...OFFSITE_PACKAGES], 'install age and restic (the OS packages)'),
      run('create /etc/claw-setup (root only)', ['install', '-d', '-m', '0700', '/etc/claw-setup'], { skipIf: ['test', '-d', '/etc/claw-setup'] }),
      run(`create ${OFFSITE_PATHS.dir} (root only)`, ['install', '-d', '-m', '0700', OFFSITE_PATHS.dir], { skipIf: ['test', '-d', OFFSITE_PATHS.dir] }),
      write(OFFSITE_PATHS.password, renderResticPassword(ctx.secrets), { mode: 0o600, title: 'restic repository password (mode 600)' }),
      write(OFFSITE_PATHS.env, renderResticEnv(a, ctx.secrets), {
        mode: 0o600,
        title: repo.kind === 's3' ? 'restic repository and S3 credentials (mode 600)' : 'restic repository (mode 600)',
      }),
      ...(repo.kind === 'sftp'
        ? [
            run(
              `the server's own SSH key for ${repo.user}@${repo.host} (its .pub goes to the storage host)`,
              ['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', `claw-setup-backup@${a.target.host ?? 'server'}`, '-f', OFFSITE_PATHS.sshKey],
              { skipIf: ['test', '-s', OFFSITE_PATHS.sshKey] },
            ),
            ...(knownHosts ? [write(OFFSITE_PATHS.knownHosts, knownHosts, { mode: 0o600, title: `pin the host key of ${repo.host}` })] : []),
          ]
        : []),
      run(`record this server's name for its snapshots (claw-restic selects only these: --host)`, ['sh', '-c', RECORD_RESTIC_HOST, 'sh', OFFSITE_PATHS.host], {
        skipIf: ['test', '-s', OFFSITE_PATHS.host],
      }),
      write(OFFSITE_PATHS.wrapper, renderResticWrapper(a), { mode: 0o700, title: 'claw-restic: restic with these settings' }),
    );
  }
  const next: NonNullable<Step['next']> = [
    { kind: 'note', text: 'back up now', command: 'claw-setup backup --answers FILE', aside: '(prints the archive written)' },
    {
      kind: 'note',
      text: 'restore',
      command: `claw-setup restore --answers FILE [--from ${o ? 'restic:latest --age-identity KEYFILE' : 'ARCHIVE'}]`,
      aside: '(the current state is kept first)',
    },
  ];
  if (repo?.kind === 'sftp')
    next.push({
      kind: 'note',
      text: `allow the server's backup key on ${repo.host} (its authorized_keys for ${repo.user})`,
      command: `sudo cat ${OFFSITE_PATHS.sshKey}.pub`,
    });
  if (o)
    next.push({
      kind: 'note',
      text: 'keep the restic password and your age identity OFF the server (a password manager): a new server needs both to restore',
    });
  return {
    id: 'backups',
    title: 'Backups',
    summary: [
      `daily at ${a.backups.time} UTC into ${a.backups.dir}, each archive verified, kept ${a.backups.keepDays} days; restore-tested monthly`,
      ...(o
        ? [
            `off the server: encrypted with age to ${a.backups.ageRecipient}, then restic to ${o.repository}; kept ${o.keep.daily} daily, ${o.keep.weekly} weekly, ${o.keep.monthly} monthly; read back and checked`,
          ]
        : []),
    ],
    actions: [
      run(`create ${a.backups.dir} (root only)`, ['install', '-d', '-m', '0700', a.backups.dir], { skipIf: ['test', '-d', a.backups.dir] }),
      ...offsite,
      ...timerJobActions({
        name: 'openclaw-backup',
        script: { path: p.backupScript, text: renderBackupScript(a) },
        service: { path: p.backupService, text: renderBackupService(a) },
        timer: { path: p.backupTimer, text: renderBackupTimer(a) },
      }),
      ...timerJobActions({
        name: 'openclaw-restore-test',
        script: { path: RESTORE_TEST_PATHS.script, text: renderRestoreTestScript(a) },
        service: { path: RESTORE_TEST_PATHS.service, text: renderRestoreTestService(a) },
        timer: { path: RESTORE_TEST_PATHS.timer, text: renderRestoreTestTimer() },
      }),
    ],
    next,
  };
}
