#!/usr/bin/env bash
# OpenClaw backup, written by claw-setup; run daily by openclaw-backup.timer.
# Archives /home/deploy/openclaw (compose file, .env, config/, workspace/) into
# /var/backups/openclaw/openclaw-<UTC time>.tar.gz, checks that the archive reads back,
# deletes archives older than 14 days.
# Then encrypts it with age to the operator's key and stores it off the server with
# restic (sftp:u123456@u123456.your-storagebox.de:/home/openclaw), reads it back, forgets old
# snapshots and checks a sample of the repository (skipped with --local-only).
# Only when all of it worked, stamps /var/backups/openclaw/last-success
# (openclaw-health alerts when that stamp gets old). Any failure exits non-zero.
# Paths in the archive are relative to /, so a restore is `claw-setup restore`, or by hand
# (gateway stopped first): tar -xzf /var/backups/openclaw/openclaw-<UTC time>.tar.gz -C /
# Usage: openclaw-backup [--local-only]
set -euo pipefail
umask 077

local_only=no
case "${1:-}" in
  --local-only) local_only=yes ;;
  '') ;;
  *)
    echo "usage: $0 [--local-only]" >&2
    exit 2
    ;;
esac

src=home/deploy/openclaw
dest=/var/backups/openclaw
keep_days=14

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
offsite_line=""
# Off-server copy: encrypted to the operator's age key before it leaves, then into restic.
if [ "$local_only" = no ]; then
  enc="$dest/.offsite.age.partial"
  trap 'rm -f "$partial" "$enc"' EXIT
  age -r age1rzg0tp4uy8aygw694snrx0jkt5ktlrayf3kmtcaz4vtr5z755djqrsvydj -o "$enc" "$archive" || fail "age could not encrypt $archive"
  # One restic job at a time on this server (the restore test takes the same lock); then locks that
  # a killed restic of this host left behind (stale ones only) are cleared, or they block every run.
  exec 9>>"$dest/.offsite.lock"
  flock -w 1800 9 || fail "another off-server job held the lock for 30 minutes"
  /usr/local/sbin/claw-restic unlock >/dev/null 2>&1 || true
  if ! /usr/local/sbin/claw-restic cat config >/dev/null 2>&1; then
    echo "openclaw-backup: initialising the restic repository"
    /usr/local/sbin/claw-restic init --quiet >/dev/null || fail "the restic repository cannot be opened or created (see above)"
  fi
  summary=$(/usr/local/sbin/claw-restic backup --json --quiet --tag openclaw --stdin --stdin-filename openclaw.tar.gz.age <"$enc") ||
    fail "restic backup failed"
  snapshot=$(grep -o '"snapshot_id":"[0-9a-f]*"' <<<"$summary" | tail -n 1 | cut -d'"' -f4)
  [ -n "$snapshot" ] || fail "restic reported no snapshot id"
  # The newest off-server copy, read back from the repository, must be the bytes just sent.
  want=$(sha256sum <"$enc" | cut -d' ' -f1)
  got=$(/usr/local/sbin/claw-restic dump --quiet "$snapshot" /openclaw.tar.gz.age | sha256sum | cut -d' ' -f1)
  [ "$want" = "$got" ] || fail "snapshot $snapshot does not read back as written"
  /usr/local/sbin/claw-restic forget --quiet --tag openclaw --keep-daily 7 --keep-weekly 4 --keep-monthly 12 --prune >/dev/null ||
    fail "restic forget --prune failed"
  /usr/local/sbin/claw-restic check --quiet --read-data-subset=5% >/dev/null || fail "restic check found a problem in the repository"
  rm -f "$enc"
  trap - EXIT
  offsite_line="offsite $snapshot"
  echo "openclaw-backup: off-server copy: snapshot $snapshot (age-encrypted, read back and verified; retention 7 daily, 4 weekly, 12 monthly)"
fi
if [ "$local_only" = no ]; then
  date -u +%Y-%m-%dT%H:%M:%SZ >"$dest/last-success.tmp"
  echo "$archive" >>"$dest/last-success.tmp"
  [ -z "$offsite_line" ] || echo "$offsite_line" >>"$dest/last-success.tmp"
  mv "$dest/last-success.tmp" "$dest/last-success"
fi
