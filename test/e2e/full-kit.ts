/**
 * What full.e2e.test.ts checks a deployed gateway with, from outside and out of band: the container's
 * hardening as docker inspect reports it, and the gateway's authenticated API (POST /tools/invoke,
 * bearer token) through an SSH tunnel or through Caddy. Kept apart so the e2e file reads as the story
 * of one rollout; nothing here boots a host.
 */
import { spawnSync } from 'node:child_process';
import { expect } from 'vitest';
import { CONTAINER_UID } from '../../templates/gateway-shared.js';
import { look, type Rig } from './rollout-kit.js';

/** docker inspect, out of band: capabilities, limits, user, read-only root, loopback-only ports, no socket, bounded logs. */
export function expectHardenedGateway(r: Rig): void {
  const [c] = JSON.parse(look(r, 'docker inspect openclaw-gateway'));
  expect(c.HostConfig.CapDrop).toEqual(['ALL']);
  expect(c.HostConfig.CapAdd ?? []).toEqual([]);
  expect(c.HostConfig.SecurityOpt).toContain('no-new-privileges:true');
  expect(c.HostConfig.Memory).toBe(2 * 1024 ** 3);
  expect(c.HostConfig.PidsLimit).toBe(512);
  expect(c.HostConfig.Privileged).toBe(false);
  expect(c.Config.User).toBe(`${CONTAINER_UID}:${CONTAINER_UID}`);
  expect(c.HostConfig.ReadonlyRootfs).toBe(true);
  const bindings = Object.values(c.HostConfig.PortBindings as Record<string, { HostIp: string }[]>).flat();
  expect(bindings.length).toBe(2);
  for (const b of bindings) expect(b.HostIp).toBe('127.0.0.1');
  expect(JSON.stringify(c.Mounts)).not.toContain('docker.sock');
  expect(c.HostConfig.LogConfig).toEqual({ Type: 'json-file', Config: { 'max-file': '3', 'max-size': '10m' } });
}

/** POST /tools/invoke with token `t` on a local port (the SSH tunnel's end): status and body. */
export async function invokeThroughTunnel(port: number, t: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}/tools/invoke`, {
    method: 'POST',
    headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' },
    body: JSON.stringify({ tool: 'session_status', args: {} }),
  });
  return { status: res.status, body: await res.text() };
}

/** curl to `domain` resolved to the server's address, trusting only `ca` (Caddy's internal root). */
export const caddyCurl =
  (r: Rig, ca: string, domain: string) =>
  (...args: string[]) =>
    spawnSync(
      'curl',
      ['-sS', '--max-time', '10', '--cacert', ca, '--resolve', `${domain}:443:${r.host.ip}`, '--resolve', `${domain}:80:${r.host.ip}`, ...args],
      { encoding: 'utf8' },
    );

/** POST /tools/invoke with token `t` through Caddy: the body, then the HTTP status on the last line. */
export const invokeThroughCaddy = (curl: ReturnType<typeof caddyCurl>, domain: string, t: string) =>
  curl(
    '-o',
    '-',
    '-w',
    '\n%{http_code}',
    '-X',
    'POST',
    '-H',
    `Authorization: Bearer ${t}`,
    '-H',
    'Content-Type: application/json',
    '--data',
    '{"tool":"session_status","args":{}}',
    `https://${domain}/tools/invoke`,
  ).stdout;
