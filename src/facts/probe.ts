import { UserError } from '../core/errors.js';
import type { Executor } from '../exec/types.js';
import { isIPv4, isIPv6 } from '../answers/ip-ranges.js';
import { osKey, OS_TABLE, type Facts, type OsInfo } from '../plan/facts.js';
import { sectionLines, splitSections } from '../plan/sections.js';

/**
 * The read-only probe: one round trip, one small sh script that prints
 * labelled sections: only what planning reads (OS, the operator's address,
 * sshd's effective settings, socket activation). Nothing in it changes the server. Runs as root (through
 * sudo when the login is not root), which `sshd -T` needs.
 */
export const PROBE_SCRIPT = `s() { printf '\\n@@claw:%s@@\\n' "$1"; }
s os; cat /etc/os-release 2>/dev/null
s conn
c=\${SSH_CONNECTION:-}; p=$$
# Under sudo the environment is reset: find SSH_CONNECTION in the nearest ancestor that has it.
while [ -z "$c" ] && [ -n "$p" ] && [ "$p" -gt 1 ]; do
  c=$(tr '\\0' '\\n' < /proc/$p/environ 2>/dev/null | sed -n 's/^SSH_CONNECTION=//p')
  p=$(awk '/^PPid:/ { print $2 }' /proc/$p/status 2>/dev/null)
done
echo "$c"
s sshd; sshd -T 2>/dev/null
s socket; systemctl is-active ssh.socket 2>/dev/null
s end
`;

function parseOsRelease(lines: string[]): Record<string, string> {
  const kv: Record<string, string> = {};
  for (const l of lines) {
    const m = /^([A-Z_]+)=(.*)$/.exec(l.trim());
    if (m) kv[m[1]] = m[2].replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1');
  }
  return kv;
}

/** The operator's address from SSH_CONNECTION ("client port server port"). */
export function operatorFrom(conn: string | undefined): string | null {
  const ip =
    (conn ?? '')
      .trim()
      .split(/\s+/)[0]
      ?.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1') ?? '';
  return isIPv4(ip) || isIPv6(ip) ? ip : null;
}

export interface ProbeOptions {
  /** --force: go on with an OS outside the supported list (still Debian-family). */
  force?: boolean;
  /** The admin connection's login user. */
  loginUser?: string;
}

/** Facts from the probe output; throws a UserError for an unsupported OS unless forced. */
export function factsFromProbe(out: string, o: ProbeOptions = {}): Facts {
  const sec = splitSections(out);
  const get = (k: string) => sectionLines(sec, k);
  if (!sec.has('end')) throw new UserError('the server probe did not finish', 'check that the login can run /bin/sh and sudo, then run again');
  const rel = parseOsRelease(get('os'));
  const like = `${rel.ID ?? ''} ${rel.ID_LIKE ?? ''}`;
  const family: OsInfo['id'] | null = /\bubuntu\b/.test(like) ? 'ubuntu' : /\bdebian\b/.test(like) ? 'debian' : null;
  const os: OsInfo = {
    id: (rel.ID === 'ubuntu' || rel.ID === 'debian' ? rel.ID : (family ?? 'debian')) as OsInfo['id'],
    versionId: rel.VERSION_ID ?? '',
    codename: rel.VERSION_CODENAME ?? rel.UBUNTU_CODENAME ?? '',
    pretty: rel.PRETTY_NAME ?? 'unknown OS',
  };
  if (!osKey(os)) {
    const supported = Object.values(OS_TABLE)
      .map((x) => x.pretty)
      .join(', ');
    if (!family) throw new UserError(`${os.pretty} is not supported: claw-setup needs a Debian or Ubuntu server (apt, systemd)`, `use one of: ${supported}`);
    if (!o.force) throw new UserError(`${os.pretty} is not a supported release`, `use one of: ${supported}; or pass --force to go on at your own risk`);
  }
  const sshd: Record<string, string> = {};
  for (const l of get('sshd')) {
    const i = l.indexOf(' ');
    if (i > 0) {
      const k = l.slice(0, i).toLowerCase();
      sshd[k] = sshd[k] === undefined ? l.slice(i + 1) : `${sshd[k]} ${l.slice(i + 1)}`;
    }
  }
  return {
    source: 'probed',
    os,
    operatorIp: operatorFrom(get('conn')[0]),
    sshd,
    sshSocket: get('socket')[0]?.trim() === 'active',
    loginUser: o.loginUser ?? 'root',
  };
}

/** Probes the server read-only in one round trip over the admin connection. */
export async function probeFacts(exec: Executor, o: ProbeOptions = {}): Promise<Facts> {
  const r = await exec.run(['sh', '-c', PROBE_SCRIPT], { purpose: 'probe', timeoutSec: 60 });
  if (r.code !== 0) {
    throw new UserError(
      `the read-only probe of the server failed (exit ${r.code}): ${r.stderr.trim().split('\n').slice(-2).join(' / ')}`,
      'check that the login user can run sudo, then run again',
    );
  }
  return factsFromProbe(r.stdout, o);
}
