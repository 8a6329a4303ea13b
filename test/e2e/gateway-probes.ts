// What the real-server tests ask a running gateway, from the server itself (curl over a fresh SSH
// command) or from this machine (a TCP connect): one definition, so a test's "refused" and
// "healthy" mean the same thing in every file.
import { connect as tcpConnect } from 'node:net';
import { look, type Rig } from './rollout-kit.js';
import { OC } from './gateway-kit.js';

/** The gateway token in the deploy user's .env, without the quotes the .env writes around it. */
export const gatewayToken = (r: Rig) =>
  look(r, `sed -n 's/^OPENCLAW_GATEWAY_TOKEN=//p' ${OC}/.env`)
    .trim()
    .replace(/^'(.*)'$/, '$1');

/**
 * HTTP status of the gateway's authenticated API with this token (curl on the server, like a client
 * through a tunnel). `forwardedFor`: behind Caddy the gateway trusts the compose network's address as
 * a proxy and wants a non-loopback client named in X-Forwarded-For, as Caddy sends it.
 */
export const invokeStatus = (r: Rig, token: string, o: { forwardedFor?: string } = {}) =>
  look(
    r,
    `curl -s -o /dev/null -w '%{http_code}' --max-time 10 -H 'Authorization: Bearer ${token}'${o.forwardedFor ? ` -H 'X-Forwarded-For: ${o.forwardedFor}'` : ''} -H 'content-type: application/json' -X POST --data '{"tool":"session_status","args":{}}' http://127.0.0.1:18789/tools/invoke`,
  ).trim();

/** /healthz answers 200 on the server's loopback. */
export const gatewayHealthy = (r: Rig) => look(r, 'curl -fsS -o /dev/null -w "%{http_code}" http://127.0.0.1:18789/healthz || true').trim() === '200';

/** Is a TCP port open on the host's public address, as seen from this machine? */
export function tcpOpen(host: string, port: number, ms = 1500): Promise<boolean> {
  return new Promise((resolve) => {
    const s = tcpConnect({ host, port });
    const done = (v: boolean) => {
      s.destroy();
      resolve(v);
    };
    s.setTimeout(ms, () => done(false));
    s.on('connect', () => done(true));
    s.on('error', () => done(false));
  });
}
