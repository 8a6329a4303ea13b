#!/bin/sh
# claw-setup dead-man switch for "ssh".
# Files: /etc/ssh/sshd_config.d/00-claw-setup.conf
# Usage: deadman.sh backup | arm SECONDS | disarm | restore REASON
set -u
# from /: GNU cp 9.1's "cp -a --parents" resolves the parent directories against the working directory
cd / || exit 1
dir='/var/lib/claw-setup/deadman/ssh'
paths='/etc/ssh/sshd_config.d/00-claw-setup.conf'
unit='claw-setup-deadman-ssh'
boot='claw-setup-deadman-boot@ssh.service'

say() {
  echo "claw-setup dead-man ssh: $*" >&2
  logger -t claw-setup "dead-man switch ssh: $*" 2>/dev/null || true
}
state() { cat "$dir/state" 2>/dev/null || echo none; }
set_state() { echo "$1" > "$dir/state.new" && mv -f "$dir/state.new" "$dir/state"; }
lock() { exec 9>>"$dir/lock" && flock -w 300 9; }
claw_tmpdir() { cd_=${1%/*}; cd_=${cd_:-/}; ct_=$cd_; me_=$(id -u); if [ -L "$cd_" ] || [ ! -d "$cd_" ]; then echo "claw-setup: $cd_ is not a directory (a symlink or missing): refusing to write $1 through it" >&2; return 1; fi; until [ ! -L "$ct_" ] && [ "$(stat -c %u -- "$ct_")" = "$me_" ] && [ $((0$(stat -c %a -- "$ct_") & 022)) = 0 ]; do [ "$ct_" != / ] || { echo "claw-setup: no directory above $1 that only root can write" >&2; return 1; }; ct_=${ct_%/*}; ct_=${ct_:-/}; done; [ "$(stat -c %d -- "$ct_")" = "$(stat -c %d -- "$cd_")" ] || { echo "claw-setup: $ct_ (root-only) is on another file system than $1: cannot rename into place" >&2; return 1; }; mktemp -d "$ct_/.claw-tmp.XXXXXX"; }
claw_put() { if [ -d "$2" ] && [ ! -L "$2" ]; then rm -rf -- "$2" || return 1; fi; mv -fT -- "$1" "$2"; }
# cp -a copies a symlink or FIFO as what it is (never reads through it). Only regular files and
# directories are compared by content (diff would open a FIFO and wait for a writer); the timeout
# stops a diff that a FIFO swapped in meanwhile would hang.
same_copy() {
  if [ -L "$1" ] || { [ ! -f "$1" ] && [ ! -d "$1" ]; }; then [ "$(stat -c %F -- "$1")" = "$(stat -c %F -- "$2")" ]
  else timeout 30 diff -r --no-dereference -- "$1" "$2"; fi
}

case "${1:-}" in
  backup)
    lock || exit 1
    case "$(state)" in
      armed|restoring)
        # The backup of an interrupted run is the only good copy: never overwrite it with a half-applied state.
        say "refusing a new backup: still $(state) from an earlier run; run 'restore stale' first"
        exit 3 ;;
    esac
    rm -rf "$dir/files" "$dir/manifest" "$dir/manifest.new"
    mkdir -p "$dir/files" || exit 1
    : > "$dir/manifest.new" || exit 1
    # shellcheck disable=SC2086 # the list is ours and space-separated on purpose
    for p in $paths; do
      if [ -e "$p" ] || [ -L "$p" ]; then
        if ! cp -a --parents "$p" "$dir/files/" || ! same_copy "$p" "$dir/files$p" >/dev/null 2>&1; then
          say "backup of $p failed or differs from the original; nothing will be changed"
          exit 1
        fi
        echo "present $p" >> "$dir/manifest.new"
      else
        echo "absent $p" >> "$dir/manifest.new"
      fi
    done
    echo complete >> "$dir/manifest.new" && mv -f "$dir/manifest.new" "$dir/manifest" || exit 1
    set_state backed-up
    ;;
  arm)
    lock || exit 1
    secs=${2:?seconds}
    if [ "$(state)" != backed-up ] || ! tail -n 1 "$dir/manifest" 2>/dev/null | grep -qx complete; then
      say "cannot arm: no complete backup (state $(state))"
      exit 3
    fi
    systemctl stop "$unit.timer" "$unit.service" 2>/dev/null
    systemctl reset-failed "$unit.timer" "$unit.service" 2>/dev/null
    set_state armed
    if systemctl enable --quiet "$boot" && systemd-run --quiet --unit="$unit" --description="claw-setup dead-man switch (ssh)" \
      --on-active="$secs" --timer-property=AccuracySec=1s /bin/sh "$dir/deadman.sh" restore timer; then
      say "armed: restores in ${secs}s unless disarmed"
    else
      set_state backed-up
      systemctl disable --quiet "$boot" 2>/dev/null
      say "could not arm the timer; nothing was changed"
      exit 1
    fi
    ;;
  disarm)
    lock || exit 1
    systemctl stop "$unit.timer" 2>/dev/null
    if [ "$(state)" != armed ]; then
      say "too late to disarm: the restore already ran (state $(state))"
      exit 3
    fi
    set_state disarmed
    systemctl disable --quiet "$boot" 2>/dev/null
    systemctl reset-failed "$unit.timer" "$unit.service" 2>/dev/null
    true
    ;;
  restore)
    why=${2:-now}
    lock || exit 1
    case "$(state)" in
      armed|restoring) ;;
      *) say "restore ($why): nothing to do (state $(state))"; exit 0 ;;
    esac
    set_state restoring
    # Only what the manifest can put back is touched: a missing or cut-short backup deletes nothing.
    if ! tail -n 1 "$dir/manifest" 2>/dev/null | grep -qx complete; then
      set_state broken
      say "restore ($why) refused: the backup manifest is missing or incomplete; left every file as it is"
      exit 4
    fi
    rc=0
    while read -r what p; do
      case "$what" in
        present)
          if [ -e "$dir/files$p" ] || [ -L "$dir/files$p" ]; then
            # Built in a root-only directory, renamed into place: never a name in $p's own directory,
            # which the gateway container may own (config/) and could swap for a symlink meanwhile.
            if t=$(claw_tmpdir "$p") && cp -a "$dir/files$p" "$t/copy" && claw_put "$t/copy" "$p"; then :; else
              say "could not put $p back"
              rc=1
            fi
            [ -z "${t:-}" ] || rm -rf -- "$t"
            t=
          else
            say "the backup of $p is missing: left $p as it is"
            rc=1
          fi ;;
        absent) rm -rf "$p" ;;
      esac
    done < "$dir/manifest"
    systemctl reload ssh || systemctl reload sshd || true
    if [ "$rc" = 0 ]; then set_state restored; else set_state broken; fi
    systemctl disable --quiet "$boot" 2>/dev/null
    [ "$why" = timer ] || systemctl stop "$unit.timer" 2>/dev/null
    say "restored ($why)$([ "$rc" = 0 ] || echo ', with files left as they were (see above)')"
    exit "$rc"
    ;;
  *)
    echo "usage: $0 backup | arm SECONDS | disarm | restore REASON" >&2
    exit 2
    ;;
esac
