import type { Answers } from '../src/answers/schema.js';
import { isCidr, isIPv4, isIPv6 } from '../src/answers/ip-ranges.js';
import { AUTO_OPERATOR_IP } from '../src/plan/context.js';
import { TAILNET_RANGE } from '../src/plan/paths.js';

/**
 * /etc/fail2ban/jail.d/claw-setup.local: the sshd jail on the (possibly moved) SSH
 * port. `backend = systemd` reads the journal: Debian 12 has no /var/log/auth.log,
 * so the stock jail does not even start there, and the journal works on Ubuntu too
 * (needs python3-systemd). The operator's address is in `ignoreip`, so the
 * wizard's own negative login probes can never ban the person running it.
 * `.local` files in jail.d are read after the distro's defaults-debian.conf.
 *
 * @param operatorIp the operator's IP or CIDR (confirmed by the wizard), or the offline
 *   placeholder AUTO_OPERATOR_IP (filled in from SSH_CONNECTION at apply time); throws otherwise.
 */
export function renderFail2banJail(a: Answers, operatorIp: string): string {
  if (operatorIp !== AUTO_OPERATOR_IP && !(isIPv4(operatorIp) || isIPv6(operatorIp) || isCidr(operatorIp))) {
    throw new Error(`fail2ban ignoreip needs the operator's IP address or CIDR, got "${operatorIp.slice(0, 60)}"`);
  }
  const ignore = ['127.0.0.1/8', '::1', operatorIp];
  if (a.tailscale.enabled) ignore.push(TAILNET_RANGE);
  const f = a.fail2ban;
  return `# Written by claw-setup. Rerun claw-setup to change it.
# ignoreip: loopback, the operator's address${a.tailscale.enabled ? ' and the tailnet' : ''} (never banned).

[DEFAULT]
ignoreip = ${ignore.join(' ')}
bantime  = ${f.banTime}
findtime = ${f.findTime}
maxretry = ${f.maxRetry}

[sshd]
enabled = true
port    = ${a.ssh.port}
backend = systemd
`;
}
