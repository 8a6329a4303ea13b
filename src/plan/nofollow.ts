/**
 * Shell pieces for root working next to what the gateway container can write (DESIGN.md
 * invariant 8). The container owns config/ and workspace/: any name there may be a planted
 * symlink, FIFO or hard link, or be swapped between two commands. So root
 *   - reads such a file only after checking it is a regular file with one link, and opens it
 *     with O_NOFOLLOW under a timeout (a FIFO swapped in after the check cannot hang it);
 *   - writes by building the new file in a fresh root-only directory and renaming it into
 *     place: rename replaces whatever the name holds (a symlink included) and never follows it.
 * Each piece is one line (`;`-joined) so it fits in a printed plan command.
 */

/**
 * `claw_tmpdir PATH`: prints a fresh 0700 directory (mktemp -d) for building PATH's new
 * content. It sits in the nearest ancestor of PATH that belongs to whoever runs this (root on
 * a server) and that neither group nor others can write, so nobody else can rename or swap
 * anything in it: for config/openclaw.json that is above the container's and the deploy user's
 * directories (e.g. /home), for /etc/… the parent itself. It must be on PATH's file system
 * (rename does not cross file systems; mv would fall back to a copy that opens the target),
 * and PATH's own directory must not be a symlink. Fails with a message otherwise.
 */
export const CLAW_TMPDIR = [
  'claw_tmpdir() {',
  'cd_=${1%/*}; cd_=${cd_:-/}; ct_=$cd_; me_=$(id -u);',
  'if [ -L "$cd_" ] || [ ! -d "$cd_" ]; then echo "claw-setup: $cd_ is not a directory (a symlink or missing): refusing to write $1 through it" >&2; return 1; fi;',
  'until [ ! -L "$ct_" ] && [ "$(stat -c %u -- "$ct_")" = "$me_" ] && [ $((0$(stat -c %a -- "$ct_") & 022)) = 0 ]; do',
  '[ "$ct_" != / ] || { echo "claw-setup: no directory above $1 that only root can write" >&2; return 1; };',
  'ct_=${ct_%/*}; ct_=${ct_:-/};',
  'done;',
  '[ "$(stat -c %d -- "$ct_")" = "$(stat -c %d -- "$cd_")" ] || { echo "claw-setup: $ct_ (root-only) is on another file system than $1: cannot rename into place" >&2; return 1; };',
  'mktemp -d "$ct_/.claw-tmp.XXXXXX";',
  '}',
].join(' ');

/**
 * `claw_put SRC PATH`: renames SRC (built in a claw_tmpdir directory) over PATH. A live
 * directory at PATH is removed first (rm never follows links); anything else is replaced by
 * the rename itself. `mv -T` never moves SRC *into* a directory that appeared at PATH.
 */
export const CLAW_PUT = ['claw_put() {', 'if [ -d "$2" ] && [ ! -L "$2" ]; then rm -rf -- "$2" || return 1; fi;', 'mv -fT -- "$1" "$2";', '}'].join(' ');

/**
 * `claw_read PATH`: PATH's bytes on stdout, only when it is a regular file with one link;
 * otherwise (or when it changes into something else while opened) a message on stderr saying
 * what is there, and exit 1. Missing: exit 2, nothing printed.
 */
export const CLAW_READ = [
  'claw_read() {',
  'if [ ! -e "$1" ] && [ ! -L "$1" ]; then return 2; fi;',
  'if [ -L "$1" ]; then echo "$1 is a symbolic link, not a regular file" >&2; return 1; fi;',
  'if [ ! -f "$1" ]; then echo "$1 is a $(stat -c %F -- "$1"), not a regular file" >&2; return 1; fi;',
  'if [ "$(stat -c %h -- "$1")" != 1 ]; then echo "$1 has $(stat -c %h -- "$1") hard links (another name for the same file)" >&2; return 1; fi;',
  'timeout 10 dd if="$1" iflag=nofollow status=none || { echo "$1 changed while it was read (now not a regular file)" >&2; return 1; };',
  '}',
].join(' ');
