import { UserError } from '../core/errors.js';

/**
 * What we know about the server. Probed read-only in one round trip when a
 * host is reachable; otherwise "assumed" for an offline plan (fresh image of
 * the chosen OS, nothing installed yet).
 */
export type OsKey = 'ubuntu-22.04' | 'ubuntu-24.04' | 'ubuntu-26.04' | 'debian-12' | 'debian-13';

export interface OsInfo {
  id: 'ubuntu' | 'debian';
  versionId: string;
  codename: string;
  pretty: string;
}

export interface Facts {
  source: 'assumed' | 'probed';
  os: OsInfo;
  /** The operator's address as the server sees it (SSH_CONNECTION), or null when unknown. */
  operatorIp: string | null;
  /** Effective sshd settings (`sshd -T`), keys lower-case. Empty when not probed. */
  sshd: Record<string, string>;
  /** sshd starts from ssh.socket (Ubuntu since 22.10): probed with `systemctl is-active ssh.socket`. */
  sshSocket: boolean;
  /** The login used for the admin connection. */
  loginUser: string;
}

export const OS_TABLE: Record<OsKey, OsInfo> = {
  'ubuntu-22.04': { id: 'ubuntu', versionId: '22.04', codename: 'jammy', pretty: 'Ubuntu 22.04 LTS' },
  'ubuntu-24.04': { id: 'ubuntu', versionId: '24.04', codename: 'noble', pretty: 'Ubuntu 24.04 LTS' },
  'ubuntu-26.04': { id: 'ubuntu', versionId: '26.04', codename: 'resolute', pretty: 'Ubuntu 26.04 LTS' },
  'debian-12': { id: 'debian', versionId: '12', codename: 'bookworm', pretty: 'Debian GNU/Linux 12 (bookworm)' },
  'debian-13': { id: 'debian', versionId: '13', codename: 'trixie', pretty: 'Debian GNU/Linux 13 (trixie)' },
};

/**
 * What each release ships, for planning: its OpenSSH, whether sshd starts
 * from ssh.socket on a fresh install (Ubuntu since 22.10), and the OS's own
 * packages for `packages.source: "distro"` (null where the release has none
 * that will do: Debian 12's docker.io has no compose v2; Ubuntu 22.04 has no
 * caddy package). Debian 13 splits the docker CLI into docker-cli, which docker.io
 * only recommends (and apt runs with --no-install-recommends).
 */
export interface OsRelease {
  openssh: string;
  sshSocket: boolean;
  distro: { docker: readonly string[] | null; caddy: readonly string[] | null };
}

export const OS_RELEASES: Record<OsKey, OsRelease> = {
  'ubuntu-22.04': { openssh: '8.9', sshSocket: false, distro: { docker: ['docker.io', 'docker-compose-v2', 'containerd'], caddy: null } },
  'ubuntu-24.04': { openssh: '9.6', sshSocket: true, distro: { docker: ['docker.io', 'docker-compose-v2', 'containerd'], caddy: ['caddy'] } },
  'ubuntu-26.04': { openssh: '10.2', sshSocket: true, distro: { docker: ['docker.io', 'docker-compose-v2', 'containerd'], caddy: ['caddy'] } },
  'debian-12': { openssh: '9.2', sshSocket: false, distro: { docker: null, caddy: ['caddy'] } },
  'debian-13': { openssh: '10.0', sshSocket: false, distro: { docker: ['docker.io', 'docker-cli', 'docker-compose', 'containerd'], caddy: ['caddy'] } },
};

/** The release table entry for a probed or assumed OS (a --force'd unknown release plans like its family's newest). */
export function osRelease(os: OsInfo): OsRelease {
  const k = osKey(os);
  return OS_RELEASES[k ?? (os.id === 'ubuntu' ? 'ubuntu-26.04' : 'debian-13')];
}

export function osKey(os: OsInfo): OsKey | null {
  const k = `${os.id}-${os.versionId}` as OsKey;
  return k in OS_TABLE ? k : null;
}

/** Facts for a plan made without a connection: a fresh server of the given OS. */
export function assumedFacts(os: OsKey = 'ubuntu-24.04', loginUser = 'root', operatorIp: string | null = null): Facts {
  const info = OS_TABLE[os];
  return {
    source: 'assumed',
    os: info,
    operatorIp,
    sshd: {},
    sshSocket: OS_RELEASES[os].sshSocket,
    loginUser,
  };
}

/** `--os`: a release for a plan made without a connection (default Ubuntu 24.04), or a UserError naming the choices. */
export function osKeyFromFlag(os: string | undefined): OsKey {
  const k = os ?? 'ubuntu-24.04';
  if (!(k in OS_TABLE)) throw new UserError(`--os ${k.slice(0, 40)} is not supported`, `use one of: ${Object.keys(OS_TABLE).join(', ')}`);
  return k as OsKey;
}
