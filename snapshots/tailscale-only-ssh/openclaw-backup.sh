#!/usr/bin/env bash
# OpenClaw backup, written by claw-setup; run daily by openclaw-backup.timer.
# Archives /home/claw/openclaw (compose file, .env, config/, workspace/) into
# /var/backups/openclaw/openclaw-<UTC time>.tar.gz, checks that the archive reads back,
# deletes archives older than 14 days.
# Only when all of it worked, stamps /var/backups/openclaw/last-success
# (openclaw-health alerts when that stamp gets old). Any failure exits non-zero.
# Paths in the archive are relative to /, so a restore is `claw-setup restore`, or by hand
# (gateway stopped first): tar -xzf /var/backups/openclaw/openclaw-<UTC time>.tar.gz -C /
# Usage: openclaw-backup [--local-only]
set -euo pipefail
umask 077

# With no off-server copy configured, --local-only changes nothing.
local_only=no
# shellcheck disable=SC2034
case "${1:-}" in
  --local-only) local_only=yes ;;
  '') ;;
  *)
    echo "usage: $0 [--local-only]" >&2
    exit 2
    ;;
esac

src=home/claw/openclaw
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
date -u +%Y-%m-%dT%H:%M:%SZ >"$dest/last-success.tmp"
echo "$archive" >>"$dest/last-success.tmp"
mv "$dest/last-success.tmp" "$dest/last-success"
