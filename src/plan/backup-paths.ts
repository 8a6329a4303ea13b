import type { Answers } from '../answers/schema.js';
import { parseResticRepository, type S3Repository, type SftpRepository } from '../answers/backup-fields.js';

/**
 * Where the off-server copy and the restore machinery live on the server. One
 * place, so the backup step, its templates, `claw-setup backup` / `restore` and
 * the tests agree (the paths every deployment has are in paths.ts).
 */
export const OFFSITE_PATHS = {
  /** Root only (700): the restic settings, its password file and the SFTP key. */
  dir: '/etc/claw-setup/offsite',
  /** RESTIC_REPOSITORY and, for S3, the credentials (600). */
  env: '/etc/claw-setup/offsite/restic.env',
  /** restic's repository password (600), read through RESTIC_PASSWORD_FILE: never in argv or the environment of a unit. */
  password: '/etc/claw-setup/offsite/restic-password',
  /** The server's own SSH key for the SFTP host (generated there; its .pub goes to the storage host). */
  sshKey: '/etc/claw-setup/offsite/id_ed25519',
  knownHosts: '/etc/claw-setup/offsite/known_hosts',
  /** This server's name in the repository (600): recorded once at setup; claw-restic passes it as --host. */
  host: '/etc/claw-setup/offsite/restic-host',
  /** restic with the settings above: `sudo claw-restic snapshots`. */
  wrapper: '/usr/local/sbin/claw-restic',
  cacheDir: '/var/cache/claw-setup-restic',
} as const;

export const RESTORE_TEST_PATHS = {
  script: '/usr/local/sbin/openclaw-restore-test',
  service: '/etc/systemd/system/openclaw-restore-test.service',
  timer: '/etc/systemd/system/openclaw-restore-test.timer',
} as const;

/** Where `claw-setup restore` stages an archive on the server (root only; removed afterwards). */
export const RESTORE_STAGE = '/var/lib/claw-setup/restore';

/** The single file every restic snapshot holds: the age-encrypted archive, read back with `dump SNAPSHOT /openclaw.tar.gz.age`. */
export const OFFSITE_FILE = 'openclaw.tar.gz.age';
/** The tag on every snapshot claw-setup makes (forget and restore look only at these). */
export const OFFSITE_TAG = 'openclaw';

/** The parsed repository of the answers' off-server copy, or null when there is none. */
export function offsiteRepository(a: Answers): SftpRepository | S3Repository | null {
  const o = a.backups.offsite;
  if (!o) return null;
  const r = parseResticRepository(o.repository);
  if (typeof r === 'string') throw new Error(`internal: backups.offsite.repository passed the schema but does not parse: ${r}`);
  return r;
}

/** The known_hosts name of an SFTP host ("host", or "[host]:port" off port 22). */
export function knownHostsName(r: SftpRepository): string {
  return r.port === 22 ? r.host : `[${r.host}]:${r.port}`;
}

/**
 * The ssh command restic runs for an SFTP repository (`-o sftp.command=…`): the
 * server's own key, its own known_hosts (pinned when the answers give the host
 * key, else pinned on first contact), batch mode, no agent or forwarding.
 */
export function sftpCommand(r: SftpRepository, pinned: boolean): string {
  return [
    'ssh',
    '-i',
    OFFSITE_PATHS.sshKey,
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    'BatchMode=yes',
    '-o',
    `UserKnownHostsFile=${OFFSITE_PATHS.knownHosts}`,
    '-o',
    `StrictHostKeyChecking=${pinned ? 'yes' : 'accept-new'}`,
    '-o',
    'ForwardAgent=no',
    '-o',
    'ClearAllForwardings=yes',
    '-o',
    'ServerAliveInterval=30',
    '-o',
    'ConnectTimeout=30',
    '-p',
    String(r.port),
    `${r.user}@${r.host}`,
    '-s',
    'sftp',
  ].join(' ');
}
