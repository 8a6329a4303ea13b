import { SshExecutor, type SshConnectOptions, type SshCounters } from '../exec/ssh.js';
import { SshAuthRefusedError, SshUnreachableError } from '../exec/ssh-errors.js';
import type { Executor } from '../exec/types.js';
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

/** Opens the admin connection (asking about an unknown host key) and probes the server read-only. */
export async function connect(o: ConnectOptions): Promise<Connection> {
  let exec: SshExecutor;
  let user = o.user;
  let refused = 0;
  const attempt = async (t: ConnectOptions): Promise<SshExecutor> => {
    try {
      return await SshExecutor.connect(t);
    } catch (e) {
      if (!(e instanceof SshAuthRefusedError && t.user === 'root' && o.fallbackUser)) throw e;
      refused++;
      user = o.fallbackUser;
      return SshExecutor.connect({ ...t, user });
    }
  };
  try {
    exec = await attempt(o);
  } catch (e) {
    if (!(e instanceof SshUnreachableError && o.fallbackPort && o.fallbackPort !== o.port)) throw e;
    // The host key stays recorded under the original port's name.
    refused++;
    try {
      exec = await attempt({ ...o, port: o.fallbackPort, hostKeyAlias: knownHostName(o.host, o.port) });
    } catch (e2) {
      // Name every port tried, not just the last one.
      if (e2 instanceof SshUnreachableError) throw SshUnreachableError.both(e as SshUnreachableError, e2);
      throw e2;
    }
  }
  try {
    const facts = await probeFacts(exec, { force: o.force, loginUser: user });
    const counters = () => {
      const c = exec.counters();
      return { ...c, connections: c.connections + refused };
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
