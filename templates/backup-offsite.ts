import type { Answers } from '../src/answers/schema.js';
import type { Secrets } from '../src/answers/secrets.js';
import { joinText, secretText, type SecretText } from '../src/core/secret.js';
import { knownHostsName, offsiteRepository, OFFSITE_PATHS, sftpCommand } from '../src/plan/backup-paths.js';
import { shQuote } from '../src/plan/shell.js';

/**
 * The off-server copy's files on the server: restic's settings (root only, mode
 * 600), the pinned SFTP host key, and `claw-restic`, restic with those settings,
 * which the backup job, the restore test and `claw-setup restore` all call.
 * The repository password is read from a file (RESTIC_PASSWORD_FILE), never
 * from argv; S3 credentials are only in the mode-600 environment file.
 */

/** /etc/claw-setup/offsite/restic.env: where the repository is, and the S3 credentials. */
export function renderResticEnv(a: Answers, s: Secrets): SecretText {
  const o = a.backups.offsite;
  if (!o) throw new Error('internal: no backups.offsite');
  const parts: SecretText[] = [
    [
      '# restic settings for the off-server OpenClaw backup, written by claw-setup.\n' +
        '# Root only, mode 600. Read by claw-restic; the password is in restic-password beside it.\n' +
        `RESTIC_REPOSITORY='${o.repository}'\n`,
    ],
  ];
  if (s.offsite?.s3AccessKeyId && s.offsite.s3SecretAccessKey)
    parts.push(secretText`AWS_ACCESS_KEY_ID='${s.offsite.s3AccessKeyId}'\nAWS_SECRET_ACCESS_KEY='${s.offsite.s3SecretAccessKey}'\n`);
  return joinText(parts);
}

/** /etc/claw-setup/offsite/restic-password: the repository password alone (restic reads the file). */
export function renderResticPassword(s: Secrets): SecretText {
  if (!s.offsite) throw new Error('internal: no off-server secrets');
  return secretText`${s.offsite.password}\n`;
}

/** known_hosts for the SFTP host when the answers pin its key; null otherwise (pinned on first contact). */
export function renderOffsiteKnownHosts(a: Answers): string | null {
  const r = offsiteRepository(a);
  const key = a.backups.offsite?.sftpHostKey;
  if (!r || r.kind !== 'sftp' || !key) return null;
  return `${knownHostsName(r)} ${key}\n`;
}

/** /usr/local/sbin/claw-restic: restic against the configured repository. */
export function renderResticWrapper(a: Answers): string {
  const r = offsiteRepository(a);
  if (!r) throw new Error('internal: no backups.offsite');
  const sftp =
    r.kind === 'sftp'
      ? `# The server's own key and known_hosts for the SFTP host; no agent, no forwarding.
exec restic -o sftp.command=${shQuote(sftpCommand(r, Boolean(a.backups.offsite?.sftpHostKey)))} "$@"`
      : 'exec restic "$@"';
  return `#!/usr/bin/env bash
# restic with the off-server OpenClaw repository, written by claw-setup.
# e.g.  sudo claw-restic snapshots   |   sudo claw-restic check
# Every snapshot holds one file, /openclaw.tar.gz.age: the archive, encrypted
# with the operator's age key (the identity is never on this server).
set -euo pipefail
set -a
# shellcheck source=/dev/null
. ${OFFSITE_PATHS.env}
set +a
export RESTIC_PASSWORD_FILE=${OFFSITE_PATHS.password}
export RESTIC_CACHE_DIR=${OFFSITE_PATHS.cacheDir}
${sftp}
`;
}
