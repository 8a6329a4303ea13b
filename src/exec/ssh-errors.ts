import { UserError } from '../core/errors.js';

/**
 * Why a connection could not be made, as user errors with a way out. The
 * classes let the rerun logic tell "root login is off now" (try the deploy
 * user) from "nothing listens there" (try the other port).
 */

/** The server refused our key for this user. */
export class SshAuthRefusedError extends UserError {
  readonly user: string;
  constructor(user: string, host: string, detail: string) {
    super(`${user}@${host} refused the key login (${detail})`, `check --user and --identity; after a first run root login is off: connect as the deploy user`);
    this.name = 'SshAuthRefusedError';
    this.user = user;
  }
}

/** Nothing answered: wrong address or port, firewall, or the server is down. */
export class SshUnreachableError extends UserError {
  readonly host: string;
  readonly port: number;
  readonly detail: string;
  constructor(host: string, port: number, detail: string) {
    super(`cannot reach ${host} on port ${port} (${detail})`, 'check the address and --port, and that the server is up (the provider console shows it)');
    this.name = 'SshUnreachableError';
    this.host = host;
    this.port = port;
    this.detail = detail;
  }

  /** The same failure on a fallback port too: one message naming every port tried. */
  static both(first: SshUnreachableError, second: SshUnreachableError): UserError {
    return new UserError(
      `cannot reach ${first.host} on port ${first.port} (${first.detail}) nor on port ${second.port} (${second.detail})`,
      'check the address and --port, and that the server is up (the provider console shows it)',
    );
  }
}

/** The host key is unknown (with --yes and no --known-hosts) or does not match. */
export class SshHostKeyError extends UserError {
  constructor(message: string, howToFix: string) {
    super(message, howToFix);
    this.name = 'SshHostKeyError';
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

/** Maps the master's stderr to one of the errors above. */
export function classifyConnectError(stderr: string, t: { host: string; port: number; user: string; knownHosts?: string }): Error {
  const tail = lastLines(stderr) || 'no message from ssh';
  if (/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed/i.test(stderr)) {
    return new SshHostKeyError(
      `the host key of ${t.host} is not the one recorded${t.knownHosts ? ` in ${t.knownHosts}` : ''} (${tail})`,
      'if the server was rebuilt, remove the old key with: ssh-keygen -R ' +
        t.host +
        (t.knownHosts ? ` -f ${t.knownHosts}` : '') +
        '; otherwise stop: this may be someone else answering',
    );
  }
  if (/Permission denied|Too many authentication failures/i.test(stderr)) return new SshAuthRefusedError(t.user, t.host, tail);
  if (/Load key .*(incorrect passphrase|bad permissions|invalid format)|no such identity/i.test(stderr)) {
    return new UserError(
      `cannot use the key for ${t.user}@${t.host} (${tail})`,
      'claw-setup never types passphrases: load the key into ssh-agent with ssh-add KEY, or check --identity',
    );
  }
  if (/Connection refused|timed out|No route to host|Could not resolve hostname|Network is unreachable|Connection reset|Connection closed/i.test(stderr)) {
    return new SshUnreachableError(t.host, t.port, tail);
  }
  return new UserError(`ssh to ${t.user}@${t.host}:${t.port} failed (${tail})`, 'try the same login by hand: ssh -p PORT USER@HOST');
}

export { lastLines };
