/**
 * Helpers of the harness's own smoke test (testhost.e2e.test.ts), kept apart so that file reads as
 * the list of what a test host must do. Both of its hosts use them; nothing here boots a host.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { connect } from 'node:net';
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { TestHost } from './testhost-types.js';

/** The host a test booted, or the reason the later tests cannot use it. */
export function booted(h: TestHost | undefined, what: string): TestHost {
  if (!h) throw new Error(`${what} did not boot (see the first failure)`);
  return h;
}

export const seconds = (since: number): string => ((Date.now() - since) / 1000).toFixed(2);

/** Whether a TCP connection to ip:port from this machine is accepted within timeoutMs. */
export function tcpConnects(ip: string, port: number, timeoutMs = 3000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: ip, port, timeout: timeoutMs });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

/** `command` as root over real ssh with `key`; `extra` options go first (for ssh the first value given wins). */
export function rootSsh(h: TestHost, key: string, command: string, extra: string[] = []): SpawnSyncReturns<string> {
  return spawnSync('ssh', [...extra, ...h.sshOptions(key), `root@${h.ip}`, command], { encoding: 'utf8', timeout: 300_000 });
}

/** Polls a root key login (2 s to connect each try) until it works or `timeoutMs` is over. */
export function waitForRootSsh(h: TestHost, key: string, timeoutMs: number): boolean {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (rootSsh(h, key, 'true', ['-o', 'ConnectTimeout=2']).status === 0) return true;
    spawnSync('sleep', ['0.2']);
  }
  return false;
}

/**
 * After `down`: no network namespace, mount, veth or supervisor of host `name` (index `index`) is
 * left on this machine (the veth takes the 10.77.N.0/24 route with it).
 */
export function expectHostGone(name: string, index: number): void {
  const netns = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout;
  expect(netns).not.toMatch(new RegExp(`^testhost-${name}\\b`, 'm'));
  const mounts = readFileSync('/proc/self/mounts', 'utf8');
  expect(mounts).not.toContain(`/${name}/`);
  expect(mounts).not.toContain(`testhost-${name}`);
  expect(spawnSync('ip', ['-o', 'link', 'show', `th${index}h`], { encoding: 'utf8' }).status).not.toBe(0);
  expect(spawnSync('pgrep', ['-f', `testhost.sh _supervise ${name}$`], { encoding: 'utf8' }).stdout).toBe('');
}
