#!/bin/sh
# claw-setup dead-man switch for "ssh".
# backup: save /etc/ssh/sshd_config.d/00-claw-setup.conf
# restore: put them back exactly as they were, then undo the live change.
set -u
dir='/var/lib/claw-setup/deadman/ssh'
paths='/etc/ssh/sshd_config.d/00-claw-setup.conf'

case "${1:-restore}" in
  backup)
    rm -rf "$dir/files"
    mkdir -p "$dir/files"
    : > "$dir/absent"
    # shellcheck disable=SC2086 # the list is ours and space-separated on purpose
    for p in $paths; do
      if [ -e "$p" ]; then
        cp -a --parents "$p" "$dir/files/"
      else
        echo "$p" >> "$dir/absent"
      fi
    done
    echo armed > "$dir/state"
    ;;
  restore)
    # Path by path: copying "$dir/files/." onto / would also copy the backup
    # directory's own mode (700 under umask 077) onto / and lock out every non-root login.
    # shellcheck disable=SC2086
    for p in $paths; do
      rm -rf "$p"
      if [ -e "$dir/files$p" ] || [ -L "$dir/files$p" ]; then
        cp -a "$dir/files$p" "$p"
      fi
    done
    systemctl reload ssh || systemctl reload sshd || true
    echo restored > "$dir/state"
    logger -t claw-setup "dead-man switch restored ssh" || true
    ;;
  *)
    echo "usage: $0 backup|restore" >&2
    exit 2
    ;;
esac
