import { SshExecutor, type SshConnectOptions, type SshCounters } from '../exec/ssh.js';
import { SshAuthRefusedError, SshUnreachableError } from '../exec/ssh-errors.js';
import type { Executor } from '../exec/types.js';
import { loginMemoPath, recallLogin, recordedHostKeyId, rememberLogin } from '../exec/login-memo.js';
import { knownHostName } from '../plan/commands.js';
import type { Facts } from '../plan/facts.js';
import { probeFacts } from '../facts/probe.js';
import { unquoteEnvValue } from '../facts/deployed.js';
import { Secret } from '../core/secret.js';

/**
 * How every front end reaches a server: one set of options (built by
 * `connectOptions`, whoever asks), the admin connection with its rerun
 * fallbacks, and the gateway token a first run left there.
 */

export interface ConnectOptions extends SshConnectOptions {
  /** --force: go on with an unsupported OS release. */
  force: boolean;
  /** Tried when `user` is root and the server refuses it (a rerun: root login is off by now). */
  fallbackUser?: string;
  /** Tried when nothing answers on `port` (a rerun after ssh.port moved sshd). */
  fallbackPort?: number;
  /** Where the login that worked is remembered per server (src/exec/login-memo.ts); null: not at all; default: the user's state directory. */
  loginMemo?: string | null;
}

/** Everything but where to connect: what a front end decides (flags, prompts, the answers' fallbacks). */
export type ConnectChoices = Omit<ConnectOptions, keyof ConnectTarget | 'hostKeyAlias'>;

/** Where to connect: the answers' target, its address already checked by the caller (each says how to give it). */
export interface ConnectTarget {
  host: string;
  port: number;
  user: string;
  identityFile: string;
}

/**
 * The one place connect options are made (the CLI's commands, the wizard's probe and apply,
 * the reboot wait): a sudo password or secret that cannot be read here is left out, so a
 * missing environment variable never surfaces as an error from inside the connection.
 */
export function connectOptions(t: ConnectTarget, c: ConnectChoices): ConnectOptions {
  const { sudoPassword, secrets, ...rest } = c;
  return {
    host: t.host,
    port: t.port,
    user: t.user,
    identityFile: t.identityFile,
    ...rest,
    sudoPassword: sudoPassword?.available() ? sudoPassword : undefined,
    secrets: [...(secrets ?? [])].filter((s) => s.available()),
  };
}

export interface Connection {
  exec: SshExecutor & Executor;
  facts: Facts;
  /** The user the admin connection logged in as (the fallback user on a rerun). */
  user: string;
  counters(): SshCounters;
}

/** `first` first when it is one of `xs`: the remembered choice is tried before the usual order. */
const preferring = <T>(xs: T[], first: T | undefined): T[] => (first !== undefined && xs.includes(first) ? [first, ...xs.filter((x) => x !== first)] : xs);

type Open = (o: SshConnectOptions) => Promise<SshExecutor>;

/**
 * The admin connection, with a choice of logins (root or the deploy user, the given port or the
 * moved one): the one that worked last time on this server first (src/exec/login-memo.ts), then
 * the usual order. `failed` counts the attempts that were refused or found nobody.
 */
export async function openAdmin(o: ConnectOptions, open: Open = (x) => SshExecutor.connect(x)): Promise<{ exec: SshExecutor; user: string; failed: number }> {
  const users = o.user === 'root' && o.fallbackUser && o.fallbackUser !== o.user ? [o.user, o.fallbackUser] : [o.user];
  const ports = o.fallbackPort && o.fallbackPort !== o.port ? [o.port, o.fallbackPort] : [o.port];
  const memoFile = users.length + ports.length > 2 ? (o.loginMemo === undefined ? loginMemoPath(process.env) : o.loginMemo) : null;
  const keyId = memoFile ? await recordedHostKeyId(o, o.hostKeyAlias) : null;
  const last = memoFile ? recallLogin(memoFile, o.host, o.port, keyId) : null;
  let failed = 0;

  const asUsers = async (port: number): Promise<{ exec: SshExecutor; user: string }> => {
    // The host key stays recorded under the original port's name.
    const hostKeyAlias = port === o.port ? o.hostKeyAlias : knownHostName(o.host, o.port);
    const refusals = new Map<string, Error>();
    for (const user of preferring(users, last?.user)) {
      try {
        return { exec: await open({ ...o, port, user, hostKeyAlias }), user };
      } catch (e) {
        if (!(e instanceof SshAuthRefusedError) || users.length === 1) throw e;
        failed++;
        refusals.set(user, e);
      }
    }
    // Every login refused: say it for the last of the usual order (the deploy user), whatever was tried first.
    throw refusals.get(users[users.length - 1]!)!;
  };

  const unreachable = new Map<number, SshUnreachableError>();
  for (const port of preferring(ports, last?.port)) {
    try {
      const { exec, user } = await asUsers(port);
      if (memoFile) rememberLogin(memoFile, o.host, o.port, keyId ?? (await recordedHostKeyId(o, o.hostKeyAlias)), { user, port });
      return { exec, user, failed };
    } catch (e) {
      if (!(e instanceof SshUnreachableError) || ports.length === 1) throw e;
      failed++;
      unreachable.set(port, e);
    }
  }
  // Name every port tried, not just the last one.
  throw SshUnreachableError.both(unreachable.get(ports[0]!)!, unreachable.get(ports[1]!)!);
}

/** Opens the admin connection (asking about an unknown host key; see openAdmin) and probes the server read-only. */
export async function connect(o: ConnectOptions): Promise<Connection> {
  const { exec, user, failed } = await openAdmin(o);
  try {
    const facts = await probeFacts(exec, { force: o.force, loginUser: user });
    const counters = () => {
      const c = exec.counters();
      // Each failed attempt opened a connection of its own.
      return { ...c, connections: c.connections + failed };
    };
    return { exec, facts, user, counters };
  } catch (e) {
    await exec.close();
    throw e;
  }
}

const TOKEN = /^[A-Za-z0-9._~+/=-]{16,512}$/;

/**
 * The gateway token already on the server (from a first run), so a rerun
 * writes the same .env instead of a new random token. Null when there is none.
 */
export async function readGatewayToken(exec: Executor, envFile: string): Promise<Secret | null> {
  const r = await exec.run(['sed', '-n', 's/^OPENCLAW_GATEWAY_TOKEN=//p', envFile], { purpose: 'probe', timeoutSec: 30 });
  if (r.code !== 0) return null;
  const value = unquoteEnvValue(r.stdout.split('\n')[0] ?? '');
  if (!TOKEN.test(value)) return null;
  const s = Secret.of('OPENCLAW_GATEWAY_TOKEN', value, `${envFile} on the server`);
  if (exec instanceof SshExecutor) exec.addSecrets(s);
  return s;
}
