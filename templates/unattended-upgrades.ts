import type { Answers } from '../src/answers/schema.js';
import type { OsInfo } from '../src/plan/facts.js';

/**
 * /etc/apt/apt.conf.d/20auto-upgrades: refresh the package lists, run
 * unattended-upgrade and clean the package cache, from apt's daily timers.
 */
export function renderAutoUpgrades(a: Answers): string {
  const on = a.updates.unattended ? '1' : '0';
  return `// Written by claw-setup.
APT::Periodic::Update-Package-Lists "${on}";
APT::Periodic::Unattended-Upgrade "${on}";
APT::Periodic::AutocleanInterval "7";
`;
}

/**
 * Release-file origins of the third-party repositories claw-setup adds. The
 * distro's own security origins are already allowed by the stock
 * 50unattended-upgrades, but a repository added by hand is left alone until its
 * origin is listed (Docker: "Origin: Docker", "Label: Docker CE"; Tailscale:
 * "Origin: Tailscale", "Label: Tailscale"; Caddy's Cloudsmith repository:
 * "Origin: cloudsmith/caddy/stable").
 */
export function thirdPartyOrigins(a: Answers): string[] {
  const origins: string[] = [];
  if (a.docker.install) origins.push('origin=Docker,label=Docker CE');
  if (a.tailscale.enabled) origins.push('origin=Tailscale,label=Tailscale');
  if (a.access.mode === 'caddy') origins.push('origin=cloudsmith/caddy/stable');
  return origins;
}

/**
 * /etc/apt/apt.conf.d/52claw-setup-unattended-upgrades: sorts after
 * 50unattended-upgrades; apt appends list entries across files, so this only
 * adds origins. Docker's engine restarts on upgrade; daemon.json's
 * live-restore keeps the gateway container running through it.
 */
export function renderUnattendedUpgrades(a: Answers, os: OsInfo): string {
  const origins = thirdPartyOrigins(a)
    .map((o) => `    "${o}";`)
    .join('\n');
  const reboot = a.updates.autoReboot;
  return `// Written by claw-setup for ${os.id === 'ubuntu' ? 'Ubuntu' : 'Debian'} ${os.versionId} (${os.codename}).
// Its security updates are allowed by the stock 50unattended-upgrades;
// this adds the repositories claw-setup installed from.
${origins ? `Unattended-Upgrade::Origins-Pattern {\n${origins}\n};\n` : ''}Unattended-Upgrade::Remove-Unused-Dependencies "true";
Unattended-Upgrade::Automatic-Reboot "${reboot}";
${reboot ? `Unattended-Upgrade::Automatic-Reboot-Time "${a.updates.rebootTime}";\n` : ''}`;
}
