import type { Answers } from '../src/answers/schema.js';

/**
 * What docker-compose.yml, openclaw.json and the health check must agree on
 * about the gateway container.
 */

/** The port the gateway listens on inside the container (the host side is answers.openclaw.gatewayPort). */
export const CONTAINER_GATEWAY_PORT = 18789;
/** The bridge port inside the container (the host side is answers.openclaw.bridgePort). */
export const CONTAINER_BRIDGE_PORT = 18790;
/** A fixed container name, so the health check and operators can `docker inspect openclaw-gateway`. */
export const GATEWAY_CONTAINER = 'openclaw-gateway';

/** Deny entries that switch off command execution as a whole (`bash` is an alias of `exec`). */
const EXEC_DENIALS = new Set(['exec', 'bash', 'group:runtime']);

/** True when the answers deny the exec tool, i.e. no agent can run commands. */
export function execDenied(a: Answers): boolean {
  return a.openclaw.tools.deny.some((t) => EXEC_DENIALS.has(t));
}

/**
 * The systemd sandbox both root oneshot jobs (backup, health) run in: the whole
 * file system read-only apart from `writable`, no new privileges, no kernel knobs.
 */
export function oneshotSandbox(writable: string[] = []): string {
  return [
    'ProtectSystem=strict',
    'ProtectHome=read-only',
    ...writable.map((w) => `ReadWritePaths=${w}`),
    'PrivateTmp=yes',
    'PrivateDevices=yes',
    'NoNewPrivileges=yes',
    'ProtectKernelTunables=yes',
    'ProtectKernelModules=yes',
    'ProtectControlGroups=yes',
    'RestrictSUIDSGID=yes',
    'LockPersonality=yes',
  ].join('\n');
}
