import type { Answers } from '../src/answers/schema.js';
import { serverPaths } from '../src/plan/paths.js';
import { shQuote } from '../src/plan/shell.js';
import { CONTAINER_UID, oneshotSandbox } from './gateway-shared.js';
import { OFFSITE_FILE, OFFSITE_PATHS, OFFSITE_TAG } from '../src/plan/backup-paths.js';

/**
 * The nightly backup: a script, a oneshot service and its timer.
 * The archive holds the whole compose directory (docker-compose.yml, .env,
 * config/ with the gateway's state, workspace/), so it contains secrets: it is
 * written with umask 077 (mode 600) into a directory that claw-setup creates
 * root-only; an existing directory keeps its owner and mode.
 */

/**
 * The off-server part of the backup script (bash): the new archive encrypted to the operator's age
 * key, stored in restic as the one file of a snapshot, read back and compared byte for byte,
 * old snapshots forgotten by the retention, and a sample of the repository's data checked.
 */
function offsiteSection(a: Answers): string {
  const o = a.backups.offsite;
  if (!o) return '';
  return `offsite_line=""
# Off-server copy: encrypted to the operator's age key before it leaves, then into restic.
if [ "$local_only" = no ]; then
  enc="$dest/.offsite.age.partial"
  trap 'rm -f "$partial" "$enc"' EXIT
  age -r ${shQuote(a.backups.ageRecipient ?? '')} -o "$enc" "$archive" || fail "age could not encrypt $archive"
  # One restic job at a time on this server (the restore test takes the same lock); then locks that
  # a killed restic of this host left behind (stale ones only) are cleared, or they block every run.
  exec 9>>"$dest/.offsite.lock"
  flock -w 1800 9 || fail "another off-server job held the lock for 30 minutes"
  ${OFFSITE_PATHS.wrapper} unlock >/dev/null 2>&1 || true
  if ! ${OFFSITE_PATHS.wrapper} cat config >/dev/null 2>&1; then
    echo "openclaw-backup: initialising the restic repository"
    ${OFFSITE_PATHS.wrapper} init --quiet >/dev/null || fail "the restic repository cannot be opened or created (see above)"
  fi
  summary=$(${OFFSITE_PATHS.wrapper} backup --json --quiet --tag ${OFFSITE_TAG} --stdin --stdin-filename ${OFFSITE_FILE} <"$enc") ||
    fail "restic backup failed"
  snapshot=$(grep -o '"snapshot_id":"[0-9a-f]*"' <<<"$summary" | tail -n 1 | cut -d'"' -f4)
  [ -n "$snapshot" ] || fail "restic reported no snapshot id"
  # The newest off-server copy, read back from the repository, must be the bytes just sent.
  want=$(sha256sum <"$enc" | cut -d' ' -f1)
  got=$(${OFFSITE_PATHS.wrapper} dump --quiet "$snapshot" /${OFFSITE_FILE} | sha256sum | cut -d' ' -f1)
  [ "$want" = "$got" ] || fail "snapshot $snapshot does not read back as written"
  ${OFFSITE_PATHS.wrapper} forget --quiet --tag ${OFFSITE_TAG} --keep-daily ${o.keep.daily} --keep-weekly ${o.keep.weekly} --keep-monthly ${o.keep.monthly} --prune >/dev/null ||
    fail "restic forget --prune failed"
  ${OFFSITE_PATHS.wrapper} check --quiet --read-data-subset=5% >/dev/null || fail "restic check found a problem in the repository"
  rm -f "$enc"
  trap - EXIT
  offsite_line="offsite $snapshot"
  echo "openclaw-backup: off-server copy: snapshot $snapshot (age-encrypted, read back and verified; retention ${o.keep.daily} daily, ${o.keep.weekly} weekly, ${o.keep.monthly} monthly)"
fi
`;
}

/** The last lines: stamp last-success (what openclaw-health watches) once everything the job does has worked. */
function stampSection(a: Answers): string {
  const stamp = `date -u +%Y-%m-%dT%H:%M:%SZ >"$dest/last-success.tmp"
echo "$archive" >>"$dest/last-success.tmp"
${a.backups.offsite ? '[ -z "$offsite_line" ] || echo "$offsite_line" >>"$dest/last-success.tmp"\n' : ''}mv "$dest/last-success.tmp" "$dest/last-success"
`;
  if (!a.backups.offsite) return stamp;
  // A --local-only run (claw-setup restore keeps the current state first) did not make the off-server copy.
  return `if [ "$local_only" = no ]; then
${stamp.replace(/^/gm, '  ').replace(/ +$/, '')}fi
`;
}

/** /usr/local/sbin/openclaw-backup: archive, prove it reads back, prune, copy off the server, stamp last-success. */
export function renderBackupScript(a: Answers): string {
  const p = serverPaths(a);
  const b = a.backups;
  const off = b.offsite
    ? `# Then encrypts it with age to the operator's key and stores it off the server with
# restic (${b.offsite.repository}), reads it back, forgets old
# snapshots and checks a sample of the repository (skipped with --local-only).
`
    : '';
  return `#!/usr/bin/env bash
# OpenClaw backup, written by claw-setup; run daily by openclaw-backup.timer.
# Archives ${p.composeDir} (compose file, .env, config/, workspace/) into
# ${b.dir}/openclaw-<UTC time>.tar.gz, checks that the archive reads back,
# deletes archives older than ${b.keepDays} days.
${off}# Only when all of it worked, stamps ${b.dir}/last-success
# (openclaw-health alerts when that stamp gets old). Any failure exits non-zero.
# Paths in the archive are relative to /, so a restore is \`claw-setup restore\`, or by hand
# (gateway stopped first): tar -xzf ${b.dir}/openclaw-<UTC time>.tar.gz -C /
# Usage: openclaw-backup [--local-only]
set -euo pipefail
umask 077

${b.offsite ? '' : '# With no off-server copy configured, --local-only changes nothing.\n'}local_only=no
${b.offsite ? '' : '# shellcheck disable=SC2034\n'}case "\${1:-}" in
  --local-only) local_only=yes ;;
  '') ;;
  *)
    echo "usage: $0 [--local-only]" >&2
    exit 2
    ;;
esac

src=${shQuote(p.composeDir.replace(/^\/+/, ''))}
dest=${shQuote(b.dir)}
keep_days=${b.keepDays}

fail() {
  echo "openclaw-backup: FAILED: $*" >&2
  exit 1
}

[ -d "/$src" ] || fail "/$src does not exist: nothing to back up"
# Only a directory this script creates is made root-only; an existing one keeps
# its owner and mode (it may be shared, and a root-only parent locks logins out).
[ -d "$dest" ] || install -d -m 0700 "$dest"

archive="$dest/openclaw-$(date -u +%Y%m%dT%H%M%SZ).tar.gz"
partial="$archive.partial"
trap 'rm -f "$partial"' EXIT

# GNU tar exits 1 when a file changed while it was read (the gateway keeps
# running); the archive is still written, and the read-back below decides.
status=0
tar --create --gzip --file "$partial" --directory / "$src" || status=$?
if [ "$status" -gt 1 ]; then
  fail "tar exited with status $status"
elif [ "$status" -eq 1 ]; then
  echo "openclaw-backup: warning: some files changed while they were archived" >&2
fi

# Reading the whole archive back checks every gzip block and tar header.
tar -tzf "$partial" >/dev/null || fail "$partial does not read back; no archive kept"
mv "$partial" "$archive"
trap - EXIT

find "$dest" -maxdepth 1 -type f -name 'openclaw-*.tar.gz' -mtime +"$keep_days" -delete
echo "openclaw-backup: wrote $archive ($(du -h "$archive" | cut -f1))"
${offsiteSection(a)}${stampSection(a)}`;
}

/** /etc/systemd/system/openclaw-backup.service: root, but read-only everywhere except the backup directory. */
export function renderBackupService(a: Answers): string {
  const p = serverPaths(a);
  const dir = a.backups.dir;
  // The off-server copy: restic's cache, and the SFTP host key pinned on first contact.
  const off = a.backups.offsite ? `\nCacheDirectory=${OFFSITE_PATHS.cacheDir.replace(/^\/var\/cache\//, '')}\nCacheDirectoryMode=0700` : '';
  const writable = a.backups.offsite ? [dir, OFFSITE_PATHS.dir] : [dir];
  return `# Written by claw-setup.
[Unit]
Description=OpenClaw backup of ${p.composeDir}
Documentation=file://${p.backupScript}

[Service]
Type=oneshot
# "+": runs outside the sandbox below, so a deleted backup directory comes back
# instead of failing the sandbox setup (ReadWritePaths= must exist).
ExecStartPre=+/usr/bin/mkdir -p -m 700 ${dir}
ExecStart=${p.backupScript}
UMask=0077
Nice=10
IOSchedulingClass=idle${off}
${oneshotSandbox(writable)}
# Reads files owned by the container user (uid ${CONTAINER_UID}); writes only root-owned ones.
CapabilityBoundingSet=CAP_DAC_READ_SEARCH
`;
}

/** /etc/systemd/system/openclaw-backup.timer: daily at backups.time (server clock), caught up after downtime. */
export function renderBackupTimer(a: Answers): string {
  return `# Written by claw-setup.
[Unit]
Description=Daily OpenClaw backup at ${a.backups.time}

[Timer]
OnCalendar=*-*-* ${a.backups.time}:00
Persistent=true
RandomizedDelaySec=300

[Install]
WantedBy=timers.target
`;
}
