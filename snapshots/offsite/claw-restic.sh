#!/usr/bin/env bash
# restic with the off-server OpenClaw repository, written by claw-setup.
# e.g.  sudo claw-restic snapshots   |   sudo claw-restic check
# Every snapshot holds one file, /openclaw.tar.gz.age: the archive, encrypted
# with the operator's age key (the identity is never on this server).
# Snapshots are made and selected as this server's host name only (recorded in
# /etc/claw-setup/offsite/restic-host): a repository shared by several servers never gives this one
# another's snapshot. Another server's, on purpose: CLAW_RESTIC_HOST=NAME claw-restic ...
# Every server's (to find a name): CLAW_RESTIC_ALL_HOSTS=1 claw-restic snapshots
set -euo pipefail
case "${CLAW_RESTIC_ALL_HOSTS:-}:${1:-}" in
  1:*) ;;
  *:backup|*:snapshots|*:dump|*:restore|*:forget|*:find|*:ls|*:stats)
    host=${CLAW_RESTIC_HOST:-$(cat /etc/claw-setup/offsite/restic-host 2>/dev/null || true)}
    if [ -z "$host" ]; then
      echo "claw-restic: no host name recorded in /etc/claw-setup/offsite/restic-host: rerun claw-setup with these answers" >&2
      exit 1
    fi
    cmd=$1
    shift
    set -- "$cmd" --host "$host" "$@"
    ;;
esac
set -a
# shellcheck source=/dev/null
. /etc/claw-setup/offsite/restic.env
set +a
export RESTIC_PASSWORD_FILE=/etc/claw-setup/offsite/restic-password
export RESTIC_CACHE_DIR=/var/cache/claw-setup-restic
# The server's own key and known_hosts for the SFTP host; no agent, no forwarding.
exec restic -o sftp.command='ssh -i /etc/claw-setup/offsite/id_ed25519 -o IdentitiesOnly=yes -o BatchMode=yes -o UserKnownHostsFile=/etc/claw-setup/offsite/known_hosts -o StrictHostKeyChecking=yes -o ForwardAgent=no -o ClearAllForwardings=yes -o ServerAliveInterval=30 -o ConnectTimeout=30 -p 22 u123456@u123456.your-storagebox.de -s sftp' "$@"
