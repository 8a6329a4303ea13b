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

/**
 * The gateway container's own uid and gid, reserved on the host as the nologin account
 * CONTAINER_USER. Not the image's `node` (1000): that is also the first account adduser makes (the
 * deploy user), who could then read the gateway's /proc/PID/environ (every key) and would own every
 * file the container writes. 10000 lies above the uids adduser hands out in practice, below the
 * subordinate ranges (100000+) and systemd's dynamic users (61184+), and outside the system range
 * that packages allocate from (100-999).
 */
export const CONTAINER_UID = '10000';
/** The host account that holds CONTAINER_UID, so `ls -l` and `ps` show a name and nothing else takes the uid. */
export const CONTAINER_USER = 'claw-agent';

/**
 * `docker run` options for a throwaway container that sees only what it is given: no network, a
 * read-only root, no capabilities, no privilege gain, small memory and process caps. Root's tools
 * use it to run JavaScript on text the gateway container could have written (a candidate config,
 * an archive's openclaw.json), never the live gateway.
 */
export function throwawayRunOptions(o: { memory: string; pids: number }): string[] {
  return [
    '--rm',
    '--network',
    'none',
    '--read-only',
    '--cap-drop',
    'ALL',
    '--security-opt',
    'no-new-privileges',
    '--memory',
    o.memory,
    '--pids-limit',
    String(o.pids),
  ];
}

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
