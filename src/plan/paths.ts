import type { Answers } from '../answers/schema.js';

/** Where everything lives on the server. One place, so steps, templates and tests agree. */
export function serverPaths(a: Answers) {
  const home = `/home/${a.deployUser.name}`;
  const root = `${home}/openclaw`;
  return {
    home,
    sshDir: `${home}/.ssh`,
    authorizedKeys: `${home}/.ssh/authorized_keys`,
    /** The compose project: docker-compose.yml and .env (owner deploy, 700). */
    composeDir: root,
    compose: `${root}/docker-compose.yml`,
    env: `${root}/.env`,
    /** Mounted at /home/node/.openclaw in the container (its own uid, CONTAINER_UID, 700). */
    configDir: `${root}/config`,
    config: `${root}/config/openclaw.json`,
    workspaceDir: `${root}/workspace`,
    sshdDropIn: '/etc/ssh/sshd_config.d/00-claw-setup.conf',
    fail2banJail: '/etc/fail2ban/jail.d/claw-setup.local',
    autoUpgrades: '/etc/apt/apt.conf.d/20auto-upgrades',
    unattended: '/etc/apt/apt.conf.d/52claw-setup-unattended-upgrades',
    keyrings: '/etc/apt/keyrings',
    dockerDaemon: '/etc/docker/daemon.json',
    caddyfile: '/etc/caddy/Caddyfile',
    backupScript: '/usr/local/sbin/openclaw-backup',
    backupService: '/etc/systemd/system/openclaw-backup.service',
    backupTimer: '/etc/systemd/system/openclaw-backup.timer',
    healthScript: '/usr/local/sbin/openclaw-health',
    healthService: '/etc/systemd/system/openclaw-health.service',
    healthTimer: '/etc/systemd/system/openclaw-health.timer',
    monitoringEnv: '/etc/claw-setup/monitoring.env',
    /** The audit script `claw-setup audit` sends, installed for the weekly timer; its wrapper, service and timer. */
    auditScript: '/usr/local/sbin/claw-setup-audit',
    auditWeekly: '/usr/local/sbin/claw-setup-audit-weekly',
    auditService: '/etc/systemd/system/claw-setup-audit.service',
    auditTimer: '/etc/systemd/system/claw-setup-audit.timer',
    stateDir: '/var/lib/claw-setup',
    journal: '/var/lib/claw-setup/journal.json',
    /** One file per rotated secret, holding the UTC date it was made (the audit reads the gateway token's). */
    rotatedDir: '/var/lib/claw-setup/rotated',
    tokenStamp: '/var/lib/claw-setup/rotated/OPENCLAW_GATEWAY_TOKEN',
  } as const;
}
export type ServerPaths = ReturnType<typeof serverPaths>;

/** The fixed subnet of the compose network, so the gateway can trust exactly the host-side proxy address. */
export const COMPOSE_SUBNET = '172.31.240.0/24';
export const COMPOSE_GATEWAY_IP = '172.31.240.1';
/** The compose network's bridge on the host, named so firewall rules (egress, host isolation) can match it. */
export const COMPOSE_BRIDGE = 'br-openclaw';
/** Tailscale's CGNAT range. */
export const TAILNET_RANGE = '100.64.0.0/10';
