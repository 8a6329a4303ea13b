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

/** The restic commands that make or select snapshots: each gets `--host` (restic 0.12 and later take it). */
export const RESTIC_HOST_COMMANDS = ['backup', 'snapshots', 'dump', 'restore', 'forget', 'find', 'ls', 'stats'] as const;

/** The variable that names another server's snapshots on purpose (`claw-setup restore --from-host NAME`). */
export const RESTIC_HOST_OVERRIDE = 'CLAW_RESTIC_HOST';

/**
 * Records this server's name for its snapshots, once (a rerun keeps it, so a renamed server still
 * finds its own): the hostname plus the start of /etc/machine-id, since servers made from one
 * image often share a hostname, and two members of a fleet sharing a repository must never
 * select each other's snapshots. Written to $1 (root only), by rename.
 */
export const RECORD_RESTIC_HOST = `set -eu
id=$(head -c 8 /etc/machine-id 2>/dev/null || true)
name=$(uname -n | tr -c 'A-Za-z0-9.\n-' '-')
printf '%s\n' "$name\${id:+-$id}" >"$1.new"
chmod 600 "$1.new"
mv -f "$1.new" "$1"
echo "snapshots of this server are made and selected as host $(cat "$1")"`;

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
# Snapshots are made and selected as this server's host name only (recorded in
# ${OFFSITE_PATHS.host}): a repository shared by several servers never gives this one
# another's snapshot. Another server's, on purpose: ${RESTIC_HOST_OVERRIDE}=NAME claw-restic ...
# Every server's (to find a name): CLAW_RESTIC_ALL_HOSTS=1 claw-restic snapshots
set -euo pipefail
case "\${CLAW_RESTIC_ALL_HOSTS:-}:\${1:-}" in
  1:*) ;;
  *:${RESTIC_HOST_COMMANDS.join('|*:')})
    host=\${${RESTIC_HOST_OVERRIDE}:-$(cat ${OFFSITE_PATHS.host} 2>/dev/null || true)}
    if [ -z "$host" ]; then
      echo "claw-restic: no host name recorded in ${OFFSITE_PATHS.host}: rerun claw-setup with these answers" >&2
      exit 1
    fi
    cmd=$1
    shift
    set -- "$cmd" --host "$host" "$@"
    ;;
esac
set -a
# shellcheck source=/dev/null
. ${OFFSITE_PATHS.env}
set +a
export RESTIC_PASSWORD_FILE=${OFFSITE_PATHS.password}
export RESTIC_CACHE_DIR=${OFFSITE_PATHS.cacheDir}
${sftp}
`;
}
