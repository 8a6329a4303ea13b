import { stringify } from 'yaml';
import type { Answers } from '../src/answers/schema.js';
import { COMPOSE_BRIDGE, COMPOSE_GATEWAY_IP, COMPOSE_SUBNET } from '../src/plan/paths.js';
import { CONTAINER_BRIDGE_PORT, CONTAINER_GATEWAY_PORT, CONTAINER_UID, GATEWAY_CONTAINER, execDenied } from './gateway-shared.js';

function header(a: Answers): string {
  const exec = execDenied(a)
    ? `#   sandbox backend cannot start containers without the socket, so risky tools
#   (exec, process, ...) stay denied. That is the deliberate, safe trade-off.`
    : `#   sandbox backend cannot start containers without the socket. WARNING: these
#   answers allow the exec tool, so commands an agent runs may execute inside this
#   container, which holds the keys in .env. Deny "exec" unless you need it.`;
  return `# OpenClaw gateway, written by claw-setup. Rerun claw-setup to change it.
#
# - Ports are published on 127.0.0.1 only: Docker's published ports bypass ufw, so
#   nothing here may listen on a public address. Reach the gateway through the SSH
#   tunnel, Tailscale Serve or Caddy, which all connect to 127.0.0.1.
# - Inside the container the gateway binds "lan" (0.0.0.0), because container
#   loopback is unreachable through port publishing.
# - Secrets come from .env (mode 600) through env_file; openclaw.json refers to them.
# - The container is untrusted (it reads strangers' messages, installs npm plugins): it runs
#   as its own uid ${CONTAINER_UID} (not the deploy user's), on a read-only root file system with
#   small tmpfs for /tmp and its home, and with memory, process and CPU caps and a raised OOM
#   score, so under pressure the kernel kills it, not sshd.
# - The Docker socket is never mounted: it is root on the host. Tool sandboxing is
#   configured in openclaw.json (agents.defaults.sandbox), but OpenClaw's Docker
${exec}
`;
}

/**
 * Where the gateway writes outside its two volumes, found with `docker diff` on the real 2026.9.6
 * gateway run on a writable root (test/e2e/room.e2e.test.ts): /tmp (its log /tmp/openclaw, the
 * lifecycle locks /tmp/openclaw-state-locks-UID, the terminal's staging dir, Node's compile cache)
 * and HOME (~/.cache/openclaw*, ~/.npm: npm's logs and cache when a plugin is installed).
 * The image's /home/node belongs to uid 1000, so a tmpfs owned by the container's uid replaces it;
 * /home/node/.openclaw (the config volume) is mounted on top. tmpfs pages count against mem_limit.
 * noexec: nothing runs from either (plugins install into the config volume).
 */
export const GATEWAY_TMPFS = [
  { path: '/tmp', size: '256m', mode: '1777' },
  { path: '/home/node', size: '512m', mode: '0700' },
] as const;

/** Docker's tmpfs option string for one GATEWAY_TMPFS entry, owned by the container's uid. */
function tmpfsSpec(t: (typeof GATEWAY_TMPFS)[number]): string {
  return `${t.path}:rw,noexec,nosuid,nodev,size=${t.size},mode=${t.mode},uid=${CONTAINER_UID},gid=${CONTAINER_UID}`;
}

/** The gateway's oom_score_adj: the first victim in a host-wide out-of-memory. */
export const GATEWAY_OOM_SCORE_ADJ = 500;

/** Converts a compose memory size ("2g", "1536m") to MiB. */
export function memoryLimitMiB(limit: string): number {
  const m = /^(\d+)([mg])$/.exec(limit);
  if (!m) throw new Error(`memory limit must look like "2g" or "1536m", got "${limit}"`);
  return Number(m[1]) * (m[2] === 'g' ? 1024 : 1);
}

/** Node's heap ceiling: about 75% of the container's memory, leaving room for buffers and native memory. */
export function nodeHeapMiB(limit: string): number {
  return Math.floor((memoryLimitMiB(limit) * 3) / 4);
}

/** The image the compose file names: tag, and the digest when pinned (then Docker takes exactly that image). */
export const imageRef = (a: Pick<Answers, 'openclaw'>) => `${a.openclaw.image}:${a.openclaw.version}${a.openclaw.digest ? `@${a.openclaw.digest}` : ''}`;

/** The compose file as data (what renderCompose serializes). */
export function composeConfig(a: Answers): Record<string, unknown> {
  const o = a.openclaw;
  const healthProbe = `fetch('http://127.0.0.1:${CONTAINER_GATEWAY_PORT}/healthz')` + '.then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))';
  return {
    name: 'openclaw',
    services: {
      'openclaw-gateway': {
        image: imageRef(a),
        container_name: GATEWAY_CONTAINER,
        // A stable hostname: OpenClaw records the host with its state-dir leases and only reclaims a
        // dead owner's lease on the same host. With Docker's default (the container id) a gateway
        // that did not release its lease blocks every recreated container for 5 minutes.
        hostname: GATEWAY_CONTAINER,
        command: ['node', 'dist/index.js', 'gateway', '--bind', 'lan', '--port', String(CONTAINER_GATEWAY_PORT)],
        env_file: ['.env'],
        environment: {
          HOME: '/home/node',
          NODE_OPTIONS: `--max-old-space-size=${nodeHeapMiB(o.memoryLimit)}`,
        },
        ports: [`127.0.0.1:${o.gatewayPort}:${CONTAINER_GATEWAY_PORT}`, `127.0.0.1:${o.bridgePort}:${CONTAINER_BRIDGE_PORT}`],
        volumes: ['./config:/home/node/.openclaw', './workspace:/home/node/.openclaw/workspace'],
        user: `${CONTAINER_UID}:${CONTAINER_UID}`,
        read_only: true,
        tmpfs: GATEWAY_TMPFS.map(tmpfsSpec),
        init: true,
        restart: 'unless-stopped',
        // Time to stop channels and release its leases before Docker's SIGKILL (default 10 s).
        stop_grace_period: '30s',
        security_opt: ['no-new-privileges:true'],
        cap_drop: ['ALL'],
        mem_limit: o.memoryLimit,
        pids_limit: o.pidsLimit,
        cpus: o.cpus,
        // Half Docker's default weight: under contention the host's own services get the CPU first.
        cpu_shares: 512,
        // Positive: in a host-wide out-of-memory the kernel picks the gateway before sshd (-1000/-900).
        oom_score_adj: GATEWAY_OOM_SCORE_ADJ,
        logging: { driver: 'json-file', options: { 'max-size': '10m', 'max-file': '3' } },
        healthcheck: {
          test: ['CMD', 'node', '-e', healthProbe],
          interval: '30s',
          timeout: '10s',
          retries: 3,
          start_period: '60s',
        },
        networks: ['openclaw'],
      },
    },
    networks: {
      openclaw: {
        driver: 'bridge',
        driver_opts: { 'com.docker.network.bridge.name': COMPOSE_BRIDGE },
        ipam: { config: [{ subnet: COMPOSE_SUBNET, gateway: COMPOSE_GATEWAY_IP }] },
      },
    },
  };
}

/**
 * docker-compose.yml for the gateway, serialized from data with `yaml` (never by
 * pasting answers into text). String values are double-quoted so YAML 1.1
 * readers never reinterpret "10000:10000" or ports as numbers.
 */
export function renderCompose(a: Answers): string {
  const body = stringify(composeConfig(a), {
    lineWidth: 0,
    defaultStringType: 'QUOTE_DOUBLE',
    defaultKeyType: 'PLAIN',
  });
  return `${header(a)}\n${body}`;
}
