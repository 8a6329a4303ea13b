#!/usr/bin/env bash
# restic with the off-server OpenClaw repository, written by claw-setup.
# e.g.  sudo claw-restic snapshots   |   sudo claw-restic check
# Every snapshot holds one file, /openclaw.tar.gz.age: the archive, encrypted
# with the operator's age key (the identity is never on this server).
set -euo pipefail
set -a
# shellcheck source=/dev/null
. /etc/claw-setup/offsite/restic.env
set +a
export RESTIC_PASSWORD_FILE=/etc/claw-setup/offsite/restic-password
export RESTIC_CACHE_DIR=/var/cache/claw-setup-restic
# The server's own key and known_hosts for the SFTP host; no agent, no forwarding.
exec restic -o sftp.command='ssh -i /etc/claw-setup/offsite/id_ed25519 -o IdentitiesOnly=yes -o BatchMode=yes -o UserKnownHostsFile=/etc/claw-setup/offsite/known_hosts -o StrictHostKeyChecking=yes -o ForwardAgent=no -o ClearAllForwardings=yes -o ServerAliveInterval=30 -o ConnectTimeout=30 -p 22 u123456@u123456.your-storagebox.de -s sftp' "$@"
