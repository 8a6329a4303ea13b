/**
 * The dead-man switch script a guarded group leaves on the server.
 * `deadman.sh backup` copies the files the group will touch; `deadman.sh restore`
 * puts them back (removing any that did not exist before) and runs the group's
 * after-restore lines. A systemd timer runs `restore` unless the wizard disarms
 * it after a passing gate, so the server heals itself if the wizard dies.
 */
export interface DeadmanInput {
  id: string;
  dir: string;
  paths: readonly string[];
  afterRestore: readonly string[];
}

export function renderDeadman({ id, dir, paths, afterRestore }: DeadmanInput): string {
  const list = paths.join(' ');
  const after = afterRestore.map((l) => `    ${l}`).join('\n');
  return `#!/bin/sh
# claw-setup dead-man switch for "${id}".
# backup: save ${list}
# restore: put them back exactly as they were, then undo the live change.
set -u
dir='${dir}'
paths='${list}'

case "\${1:-restore}" in
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
${after}
    echo restored > "$dir/state"
    logger -t claw-setup "dead-man switch restored ${id}" || true
    ;;
  *)
    echo "usage: $0 backup|restore" >&2
    exit 2
    ;;
esac
`;
}
