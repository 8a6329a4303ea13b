/**
 * The dead-man switch script a guarded group leaves on the server, and the
 * boot-time unit that backs it up across a reboot.
 *
 * One script per group, one subcommand per step of the protocol:
 *   backup           copy the files the group will touch, check every copy, write a manifest
 *   arm SECONDS      state "armed", enable the boot-time restore, start the timer
 *   disarm           stop the timer; fails when a restore already started (too late)
 *   restore REASON   put the files back from the manifest, undo the live change
 *
 * The state file says where the group is: backed-up → armed → disarmed or
 * restoring → restored (or broken when the backup cannot be trusted).
 * disarm and restore take the same lock, so a restore that fires while the
 * operator's run disarms either runs entirely before (and disarm fails) or
 * not at all (it finds "disarmed" and does nothing).
 */
import { CLAW_PUT, CLAW_TMPDIR } from './nofollow.js';

export interface DeadmanInput {
  id: string;
  dir: string;
  paths: readonly string[];
  afterRestore: readonly string[];
  /** The transient systemd unit (timer + service) of this group. */
  unit: string;
  /** The boot-time template instance, e.g. claw-setup-deadman-boot@ssh.service. */
  bootUnit: string;
}

export function renderDeadman({ id, dir, paths, afterRestore, unit, bootUnit }: DeadmanInput): string {
  const list = paths.join(' ');
  const after = afterRestore.map((l) => `    ${l}`).join('\n');
  return `#!/bin/sh
# claw-setup dead-man switch for "${id}".
# Files: ${list}
# Usage: deadman.sh backup | arm SECONDS | disarm | restore REASON
set -u
# from /: GNU cp 9.1's "cp -a --parents" resolves the parent directories against the working directory
cd / || exit 1
dir='${dir}'
paths='${list}'
unit='${unit}'
boot='${bootUnit}'

say() {
  echo "claw-setup dead-man ${id}: $*" >&2
  logger -t claw-setup "dead-man switch ${id}: $*" 2>/dev/null || true
}
state() { cat "$dir/state" 2>/dev/null || echo none; }
set_state() { echo "$1" > "$dir/state.new" && mv -f "$dir/state.new" "$dir/state"; }
lock() { exec 9>>"$dir/lock" && flock -w 300 9; }
${CLAW_TMPDIR}
${CLAW_PUT}
# cp -a copies a symlink or FIFO as what it is (never reads through it). Only regular files and
# directories are compared by content (diff would open a FIFO and wait for a writer); the timeout
# stops a diff that a FIFO swapped in meanwhile would hang.
same_copy() {
  if [ -L "$1" ] || { [ ! -f "$1" ] && [ ! -d "$1" ]; }; then [ "$(stat -c %F -- "$1")" = "$(stat -c %F -- "$2")" ]
  else timeout 30 diff -r --no-dereference -- "$1" "$2"; fi
}

case "\${1:-}" in
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
    secs=\${2:?seconds}
    if [ "$(state)" != backed-up ] || ! tail -n 1 "$dir/manifest" 2>/dev/null | grep -qx complete; then
      say "cannot arm: no complete backup (state $(state))"
      exit 3
    fi
    systemctl stop "$unit.timer" "$unit.service" 2>/dev/null
    systemctl reset-failed "$unit.timer" "$unit.service" 2>/dev/null
    set_state armed
    if systemctl enable --quiet "$boot" && systemd-run --quiet --unit="$unit" --description="claw-setup dead-man switch (${id})" \\
      --on-active="$secs" --timer-property=AccuracySec=1s /bin/sh "$dir/deadman.sh" restore timer; then
      say "armed: restores in \${secs}s unless disarmed"
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
    why=\${2:-now}
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
            [ -z "\${t:-}" ] || rm -rf -- "$t"
            t=
          else
            say "the backup of $p is missing: left $p as it is"
            rc=1
          fi ;;
        absent) rm -rf "$p" ;;
      esac
    done < "$dir/manifest"
${after}
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
`;
}

/**
 * The boot-time restore: one template unit, one enabled instance per armed
 * group. A reboot (the locked-out operator's first reflex) loses the transient
 * timer, so this puts the files back at boot when the state still says armed.
 */
export function renderDeadmanBootUnit(root: string): string {
  return `[Unit]
Description=claw-setup: restore dead-man group %i left armed across a reboot
After=network.target ssh.service ufw.service
ConditionPathExists=${root}/%i/deadman.sh

[Service]
Type=oneshot
ExecStart=/bin/sh ${root}/%i/deadman.sh restore boot

[Install]
WantedBy=multi-user.target
`;
}
