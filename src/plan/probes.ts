import { createHash } from 'node:crypto';
import type { Argv } from './action.js';
import { shQuote } from './shell.js';

/**
 * Read-only "already done?" probes used as skipIf. Each exits 0 only when the
 * change is already in place, which is what makes a rerun change nothing.
 */

/** All packages installed. */
export function packagesInstalled(pkgs: readonly string[]): Argv {
  return ['sh', '-c', `for p in ${pkgs.join(' ')}; do dpkg-query -W -f='\${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || exit 1; done`];
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The `stat -c` format that prints a file's mode, owner and group the way a
 * plan names them: numeric ids for a numeric owner (the container's "10000",
 * which may also be a user's name on the server), names otherwise.
 */
export function ownerStatFormat(owner: string, group: string): string {
  return `%a ${/^\d+$/.test(owner) ? '%u' : '%U'} ${/^\d+$/.test(group) ? '%g' : '%G'}`;
}

/** The file exists with exactly this content, mode and owner. Only for content without secrets. */
export function fileMatches(path: string, content: string, mode: number, owner: string, group: string): Argv {
  const m = mode.toString(8);
  return [
    'sh',
    '-c',
    `[ "$(stat -c '${ownerStatFormat(owner, group)}' ${shQuote(path)} 2>/dev/null)" = ${shQuote(`${m} ${owner} ${group}`)} ] && echo ${sha256(content)}'  '${shQuote(path)} | sha256sum -c --status`,
  ];
}

export function unitActive(unit: string): Argv {
  return ['systemctl', 'is-active', '--quiet', unit];
}

export function unitEnabledAndActive(unit: string): Argv {
  return ['sh', '-c', `systemctl is-enabled --quiet ${unit} && systemctl is-active --quiet ${unit}`];
}

/** A directory with mode 700 owned by `owner` (a user name or a numeric uid). */
export function privateDirOwnedBy(path: string, owner: string): Argv {
  return ['sh', '-c', `[ "$(stat -c '%a %u' ${path} 2>/dev/null)" = "700 $(id -u ${owner})" ]`];
}
