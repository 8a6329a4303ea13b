import { SshExecutor, type SshCounters } from '../exec/ssh.js';
import { SshAuthRefusedError, SshUnreachableError } from '../exec/ssh-errors.js';
import type { Executor } from '../exec/types.js';
import { knownHostName, type SshEndpoint } from '../exec/ssh-args.js';
import type { Facts } from '../plan/facts.js';
import { probeFacts } from '../facts/probe.js';
import { unquoteEnvValue } from '../facts/deployed.js';
import { Secret } from '../core/secret.js';

/**
 * What the wizard (and the non-interactive CLI) call to reach a server:
 * `connect` opens the admin connection and probes the facts, `runPlan`
 * applies a plan through it, `readGatewayToken` keeps a generated token
 * stable across reruns.
 */
export { runPlan, type RunPlanOptions } from './runner.js';
export type { SshCounters } from '../exec/ssh.js';

export interface ConnectOptions extends SshEndpoint {
  yes: boolean;
  /** --force: go on with an unsupported OS release. */
  force: boolean;
  /** Shows the host key fingerprint(s) on first contact; true = trust and record it. */
  confirmHostKey: (fingerprint: string) => Promise<boolean>;
  /** sudo password of a non-root login; also what fresh-login gates check sudo with. */
  sudoPassword?: Secret;
  /** Tried when `user` is root and the server refuses it (a rerun: root login is off by now). */
  fallbackUser?: string;
  /** Tried when nothing answers on `port` (a rerun after ssh.port moved sshd). */
  fallbackPort?: number;
  /** The name the host key is recorded under, when it differs from host:port. */
  hostKeyAlias?: string;
  /** Values to scrub from all output. */
  secrets?: Secret[];
  /** Live dry run: take no run lock, write nothing on the server. */
  readOnly?: boolean;
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
