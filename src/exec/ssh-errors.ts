import { UserError } from '../core/errors.js';

/**
 * Why a connection could not be made, as user errors with a way out. The
 * classes let the rerun logic tell "root login is off now" (try the deploy
 * user) from "nothing listens there" (try the other port); each failure has
 * its own words, because each has its own fix.
 */

/** The server refused our key for this user. */
export class SshAuthRefusedError extends UserError {
  readonly user: string;
  constructor(user: string, host: string, detail: string) {
    super(
      `${user}@${host} refused the key login (${detail})`,
      `check --user and --identity (the server must list that key's .pub in ~${user}/.ssh/authorized_keys); after a first run root login is off: connect as the deploy user`,
    );
    this.name = 'SshAuthRefusedError';
    this.user = user;
  }
}

/** How a TCP connection failed; each one points somewhere else. */
export type UnreachableKind = 'refused' | 'timeout' | 'no-route' | 'other';

const UNREACHABLE: Record<UnreachableKind, { what: (host: string, port: number) => string; fix: string }> = {
  refused: {
    what: (h, p) => `nothing accepts SSH connections on ${h} port ${p} (connection refused)`,
    fix: 'the server answers but no sshd listens on that port: check --port (a first run may have moved sshd to ssh.port), or start sshd from the provider console',
  },
  timeout: {
    what: (h, p) => `no answer from ${h} on port ${p} (timed out)`,
    fix: 'check the address, that the server is up (the provider console shows it), and that no firewall (the provider one or ufw) drops your address on that port',
  },
  'no-route': {
    what: (h, p) => `no route to ${h} (port ${p})`,
    fix: 'your machine cannot reach that network: check the address, your connection, and the VPN or Tailscale it may need',
  },
  other: {
    what: (h, p) => `cannot reach ${h} on port ${p}`,
    fix: 'check the address and --port, and that the server is up (the provider console shows it)',
  },
};

/** Nothing answered: wrong address or port, firewall, or the server is down. */
export class SshUnreachableError extends UserError {
  readonly host: string;
  readonly port: number;
  readonly detail: string;
  readonly kind: UnreachableKind;
  constructor(host: string, port: number, detail: string, kind: UnreachableKind = 'other') {
    super(`${UNREACHABLE[kind].what(host, port)} (${detail})`, UNREACHABLE[kind].fix);
    this.name = 'SshUnreachableError';
    this.host = host;
    this.port = port;
    this.detail = detail;
    this.kind = kind;
  }

  /** The same failure on a fallback port too: one message naming every port tried. */
  static both(first: SshUnreachableError, second: SshUnreachableError): UserError {
    return new UserError(
      `cannot reach ${first.host} on port ${first.port} (${first.detail}) nor on port ${second.port} (${second.detail})`,
      first.kind === second.kind ? UNREACHABLE[first.kind].fix : UNREACHABLE.other.fix,
    );
  }
}

/** The name does not resolve: no port fallback can help. */
export class SshUnknownHostnameError extends UserError {
  constructor(host: string, detail: string) {
    super(`the host name ${host} does not resolve (${detail})`, "check the spelling, or give the server's IP address (the provider console shows it)");
    this.name = 'SshUnknownHostnameError';
  }
}

/** The host key is unknown (and nobody vouched for it) or does not match. */
export class SshHostKeyError extends UserError {
  constructor(message: string, howToFix: string) {
    super(message, howToFix);
    this.name = 'SshHostKeyError';
  }
}

/** How to get past an unknown host key when there is nobody to ask (--yes, or no terminal). */
export const UNKNOWN_KEY_FIX =
  'run the command in a terminal without --yes to check the fingerprint and record it, or pass --known-hosts FILE to accept the key and record it there (with --yes, the key is taken on trust: compare ssh-keygen -lf FILE with the provider console)';

/** The key file named by --identity / target.identityFile is not there: said before ssh runs. */
export class SshIdentityMissingError extends UserError {
  constructor(file: string) {
    super(
      `the identity file ${file} does not exist`,
      'pass --identity with your private key (the one whose .pub the server has), or make one with: ssh-keygen -t ed25519',
    );
    this.name = 'SshIdentityMissingError';
  }
}

/** A command could not be run at all (admin connection lost, ssh missing, timeout on a write). Text is redacted. */
export class ExecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExecError';
  }
}

const lastLines = (s: string, n = 3) =>
  s
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('debug1:') && !/^Warning: Permanently added/.test(l))
    .slice(-n)
    .join(' / ');

const KINDS: [RegExp, UnreachableKind][] = [
  [/Connection refused/i, 'refused'],
  [/timed out|Connection timed out during banner exchange/i, 'timeout'],
  [/No route to host|Network is unreachable/i, 'no-route'],
  [/Connection reset|Connection closed/i, 'other'],
];

/** Maps the master's stderr to one of the errors above. */
export function classifyConnectError(stderr: string, t: { host: string; port: number; user: string; knownHosts?: string }): Error {
  const tail = lastLines(stderr) || 'no message from ssh';
  if (/REMOTE HOST IDENTIFICATION HAS CHANGED|host key for .* has changed/i.test(stderr)) {
    return new SshHostKeyError(
      `the host key of ${t.host} is not the one recorded${t.knownHosts ? ` in ${t.knownHosts}` : ''} (${tail})`,
      'if the server was rebuilt, remove the old key with: ssh-keygen -R ' +
        t.host +
        (t.knownHosts ? ` -f ${t.knownHosts}` : '') +
        '; otherwise stop: this may be someone else answering',
    );
  }
  // StrictHostKeyChecking=yes and no key recorded: ssh stops before any login.
  if (/host key is known for .* you have requested strict checking/i.test(stderr) || /Host key verification failed/i.test(stderr)) {
    return new SshHostKeyError(`the host key of ${t.host} is not known yet, and nobody was asked to check it`, UNKNOWN_KEY_FIX);
  }
  if (/Permission denied|Too many authentication failures/i.test(stderr)) return new SshAuthRefusedError(t.user, t.host, tail);
  if (/Load key .*(incorrect passphrase|bad permissions|invalid format)|no such identity/i.test(stderr)) {
    return new UserError(
      `cannot use the key for ${t.user}@${t.host} (${tail})`,
      'claw-setup never types passphrases: load the key into ssh-agent with ssh-add KEY, or check --identity',
    );
  }
  if (/Could not resolve hostname|Name or service not known|Temporary failure in name resolution|nodename nor servname/i.test(stderr)) {
    return new SshUnknownHostnameError(t.host, tail);
  }
  const kind = KINDS.find(([re]) => re.test(stderr))?.[1];
  if (kind) return new SshUnreachableError(t.host, t.port, tail, kind);
  return new UserError(`ssh to ${t.user}@${t.host}:${t.port} failed (${tail})`, 'try the same login by hand: ssh -p PORT USER@HOST');
}

export { lastLines };
