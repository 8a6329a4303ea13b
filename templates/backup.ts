import type { Answers } from '../src/answers/schema.js';
import { serverPaths } from '../src/plan/paths.js';
import { shQuote } from '../src/plan/shell.js';
import { oneshotSandbox } from './gateway-shared.js';

/**
 * The nightly backup: a script, a oneshot service and its timer.
 * The archive holds the whole compose directory (docker-compose.yml, .env,
 * config/ with the gateway's state, workspace/), so it contains secrets: it is
 * written with umask 077 (mode 600) into a directory that claw-setup creates
 * root-only; an existing directory keeps its owner and mode.
 */

/** /usr/local/sbin/openclaw-backup: archive, prove it reads back, prune, stamp last-success. */
export function renderBackupScript(a: Answers): string {
  const p = serverPaths(a);
  const b = a.backups;
  return `#!/usr/bin/env bash
# OpenClaw backup, written by claw-setup; run daily by openclaw-backup.timer.
# Archives ${p.composeDir} (compose file, .env, config/, workspace/) into
# ${b.dir}/openclaw-<UTC time>.tar.gz, checks that the archive reads back,
# deletes archives older than ${b.keepDays} days, then stamps ${b.dir}/last-success
# (openclaw-health alerts when that stamp gets old). Any failure exits non-zero.
# Paths in the archive are relative to /, so a restore is (gateway stopped first):
#   tar -xzf ${b.dir}/openclaw-<UTC time>.tar.gz -C /
set -euo pipefail
umask 077

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

date -u +%Y-%m-%dT%H:%M:%SZ >"$dest/last-success.tmp"
echo "$archive" >>"$dest/last-success.tmp"
mv "$dest/last-success.tmp" "$dest/last-success"
echo "openclaw-backup: wrote $archive ($(du -h "$archive" | cut -f1))"
`;
}

/** /etc/systemd/system/openclaw-backup.service: root, but read-only everywhere except the backup directory. */
export function renderBackupService(a: Answers): string {
  const p = serverPaths(a);
  const dir = a.backups.dir;
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
IOSchedulingClass=idle
${oneshotSandbox([dir])}
# Reads files owned by the container user (uid 1000); writes only root-owned ones.
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
