/**
 * What we know about the server. Probed read-only in one round trip when a
 * host is reachable; otherwise "assumed" for an offline plan (fresh image of
 * the chosen OS, nothing installed yet).
 */
export type OsKey = 'ubuntu-22.04' | 'ubuntu-24.04' | 'debian-12';

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
  /** Ubuntu >= 22.10 starts sshd from ssh.socket. */
  sshSocket: boolean;
  /** The login used for the admin connection. */
  loginUser: string;
}

export const OS_TABLE: Record<OsKey, OsInfo> = {
  'ubuntu-22.04': { id: 'ubuntu', versionId: '22.04', codename: 'jammy', pretty: 'Ubuntu 22.04 LTS' },
  'ubuntu-24.04': { id: 'ubuntu', versionId: '24.04', codename: 'noble', pretty: 'Ubuntu 24.04 LTS' },
  'debian-12': { id: 'debian', versionId: '12', codename: 'bookworm', pretty: 'Debian GNU/Linux 12 (bookworm)' },
};

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
    sshSocket: info.id === 'ubuntu' && info.versionId === '24.04',
    loginUser,
  };
}
