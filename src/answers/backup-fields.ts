import { isIPv4 } from './ip-ranges.js';
import { plain, SAFE_ASCII } from './plain-text.js';
import { isHostname } from './validators.js';

/**
 * The backup fields: the directory on the server (never a system directory), and the off-server
 * copy's age recipient, restic repository and SFTP host key.
 */

/**
 * System directories that must never be the backup directory themselves: the
 * backup job owns its directory as root, and a root-only /usr, /etc, /home or
 * /home/<user> locks every other login out.
 */
const SYSTEM_DIRS = new Set([
  '/',
  '/bin',
  '/boot',
  '/dev',
  '/etc',
  '/home',
  '/lib',
  '/lib32',
  '/lib64',
  '/libx32',
  '/media',
  '/mnt',
  '/opt',
  '/proc',
  '/root',
  '/run',
  '/sbin',
  '/srv',
  '/sys',
  '/tmp',
  '/usr',
  '/var',
  '/var/lib',
  '/var/backups',
  '/var/log',
  '/var/tmp',
  '/var/cache',
  '/var/spool',
  '/var/mail',
  '/var/opt',
  '/var/local',
  '/var/run',
  '/var/lock',
]);

/** Trees nothing of ours may be written into: kernel/runtime file systems, temporary, boot, configuration and system binaries. */
const SYSTEM_TREES = /^\/(proc|sys|dev|run|tmp|boot|etc|usr|bin|sbin|lib(32|64|x32)?|var\/tmp|var\/run|var\/lock)(\/|$)/;

const BACKUP_DIR_OK = 'give a directory of its own, e.g. /var/backups/openclaw, /srv/backups/openclaw or /home/deploy/backups';

/** Why `dir` cannot be the backup directory, or null when it can. */
export function backupDirProblem(dir: string): string | null {
  const shown = dir.slice(0, 80);
  if (!/^\/[A-Za-z0-9._/-]*$/.test(dir)) return 'backups.dir must be an absolute path using only A-Z a-z 0-9 . _ - / (e.g. /var/backups/openclaw)';
  if (dir !== '/' && (dir.includes('//') || dir.endsWith('/') || dir.split('/').some((c) => c === '.' || c === '..'))) {
    return `backups.dir ${shown} must be written plainly: no "." or ".." parts, no "//" and no trailing "/" (e.g. /var/backups/openclaw)`;
  }
  if (SYSTEM_DIRS.has(dir)) return `backups.dir ${shown} is a system directory; ${BACKUP_DIR_OK}`;
  if (/^\/home\/[^/]+$/.test(dir)) return `backups.dir ${shown} is a user's home directory; ${BACKUP_DIR_OK}`;
  const tree = SYSTEM_TREES.exec(dir);
  if (tree) return `backups.dir ${shown} is inside /${tree[1]}, where backups must not go; ${BACKUP_DIR_OK}`;
  return null;
}

/**
 * The backup directory on the server: an absolute path that is a directory of its
 * own, never a system directory, a user's home or anything under /etc, /usr, /tmp,
 * /proc and the like (see backupDirProblem).
 */
export const backupDir = plain(4096, 'backups.dir').superRefine((s, ctx) => {
  // A value plain() refused is never echoed back (it may hold control characters).
  if (s.length > 4096 || !SAFE_ASCII.test(s)) return;
  const problem = backupDirProblem(s);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** An age X25519 public key: "age1" and 58 bech32 characters (from `age-keygen`). */
export const ageRecipient = plain(200, 'backups.ageRecipient').regex(
  /^age1[02-9ac-hj-np-z]{58}$/,
  'backups.ageRecipient must be an age public key: "age1" and 58 lowercase letters/digits, as `age-keygen -y KEYFILE` prints it (never the AGE-SECRET-KEY-1… identity)',
);

/** A restic repository on an SFTP host, split up (the server connects with its own key). */
export interface SftpRepository {
  kind: 'sftp';
  user: string;
  host: string;
  port: number;
  path: string;
}
/** A restic repository on an S3-compatible store. */
export interface S3Repository {
  kind: 's3';
  endpoint: string;
  bucket: string;
}

const REPO_USER = /^[a-z_][a-z0-9._-]{0,31}$/i;
const REPO_PATH = /^[A-Za-z0-9._~/-]{1,1024}$/;
const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * Parses a restic repository string we support: `sftp:USER@HOST:PATH`, `sftp://USER@HOST[:PORT]/PATH`
 * or `s3:https://HOST[:PORT]/BUCKET[/PREFIX]`. Returns the parts, or why it cannot be used.
 */
export function parseResticRepository(s: string): SftpRepository | S3Repository | string {
  const hostOk = (h: string) => isIPv4(h) || (isHostname(h) && !h.startsWith('-'));
  const pathOk = (p: string) => REPO_PATH.test(p) && !p.split('/').some((c) => c === '..') && !p.startsWith('-');
  let m = /^sftp:\/\/([^@/]+)@([^/:]+)(?::(\d{1,5}))?\/(.*)$/.exec(s) ?? null;
  let port = 22;
  if (m) {
    port = m[3] === undefined ? 22 : Number(m[3]);
    if (port < 1 || port > 65535) return 'the port of an sftp:// repository must be between 1 and 65535';
  } else m = /^sftp:([^@/]+)@([^/:]+):(.*)$/.exec(s);
  if (m) {
    const [, user, host] = m;
    const path = m[m.length - 1] ?? '';
    if (!REPO_USER.test(user)) return `the SFTP user "${user.slice(0, 40)}" must look like a Unix user name (e.g. u123456)`;
    if (!hostOk(host)) return `the SFTP host "${host.slice(0, 80)}" must be a host name or an IPv4 address`;
    if (!pathOk(path))
      return 'the SFTP path may use only A-Z a-z 0-9 . _ ~ - / (no ".." parts), e.g. sftp:u123456@u123456.your-storagebox.de:/backups/openclaw';
    return { kind: 'sftp', user, host, port, path };
  }
  const s3 = /^s3:https:\/\/([A-Za-z0-9.-]+)(?::(\d{1,5}))?\/([^/]+)(\/[A-Za-z0-9._~/-]*)?$/.exec(s);
  if (s3) {
    if (!hostOk(s3[1])) return `the S3 endpoint "${s3[1].slice(0, 80)}" must be a host name`;
    if (s3[2] !== undefined && (Number(s3[2]) < 1 || Number(s3[2]) > 65535)) return 'the S3 endpoint port must be between 1 and 65535';
    if (!S3_BUCKET.test(s3[3])) return `the S3 bucket "${s3[3].slice(0, 70)}" must be 3-63 of a-z 0-9 . - (S3 bucket naming)`;
    if (s3[4] && s3[4].split('/').some((c) => c === '..')) return 'the S3 prefix must not hold ".." parts';
    return { kind: 's3', endpoint: `https://${s3[1]}${s3[2] ? `:${s3[2]}` : ''}`, bucket: s3[3] };
  }
  if (/^s3:/.test(s))
    return 'an S3 repository is s3:https://HOST/BUCKET[/PREFIX] (https only), e.g. s3:https://s3.eu-central-1.amazonaws.com/my-bucket/openclaw';
  return 'backups.offsite.repository must be sftp:USER@HOST:/PATH, sftp://USER@HOST:PORT/PATH or s3:https://HOST/BUCKET[/PREFIX]';
}

/** backups.offsite.repository: a restic repository claw-setup knows how to reach (see parseResticRepository). */
export const resticRepository = plain(1200, 'backups.offsite.repository').superRefine((s, ctx) => {
  if (s.length > 1200 || !SAFE_ASCII.test(s)) return;
  const r = parseResticRepository(s);
  if (typeof r === 'string') ctx.addIssue({ code: 'custom', message: r });
});

/** The SFTP host's public host key, as `ssh-keyscan` prints it without the host name: "ssh-ed25519 AAAA…". */
export const sshHostKey = plain(16384, 'backups.offsite.sftpHostKey').regex(
  /^(ssh-ed25519|ecdsa-sha2-nistp(256|384|521)|ssh-rsa) AAAA[A-Za-z0-9+/]{16,16000}={0,2}$/,
  'sftpHostKey is the storage host\'s public host key without its name, e.g. "ssh-ed25519 AAAAC3Nz…" (from `ssh-keyscan -t ed25519 HOST`)',
);
