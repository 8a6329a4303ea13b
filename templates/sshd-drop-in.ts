import type { Answers } from '../src/answers/schema.js';

/**
 * /etc/ssh/sshd_config.d/00-claw-setup.conf. sshd keeps the first value it reads
 * for most keywords, and the stock sshd_config includes sshd_config.d/*.conf at
 * its top, so this file (sorting before cloud-init's 50-cloud-init.conf with its
 * `PasswordAuthentication yes`) wins. Every keyword exists in OpenSSH 8.9
 * (Ubuntu 22.04), 9.2 (Debian 12) and 9.6 (Ubuntu 24.04); no crypto lists are
 * pinned, because those lock out older clients after distro updates.
 * Whether SSH is reachable only over Tailscale is the firewall's job, not this
 * file's: a ListenAddress on the tailnet IP breaks sshd at boot before tailscaled.
 */
export function renderSshdDropIn(a: Answers): string {
  const settings: [string, string | number][] = [
    ['Port', a.ssh.port],
    ['PermitRootLogin', 'no'],
    ['PasswordAuthentication', 'no'],
    ['KbdInteractiveAuthentication', 'no'],
    ['PubkeyAuthentication', 'yes'],
    ['AuthenticationMethods', 'publickey'],
    ['PermitEmptyPasswords', 'no'],
    ['MaxAuthTries', a.ssh.maxAuthTries],
    ['LoginGraceTime', a.ssh.loginGraceTime],
    ['X11Forwarding', 'no'],
    ['AllowAgentForwarding', 'no'],
    ['AllowTcpForwarding', a.ssh.allowTcpForwarding],
    ['AllowStreamLocalForwarding', 'no'],
    ['PermitTunnel', 'no'],
    ['AllowUsers', a.deployUser.name],
    ['ClientAliveInterval', 300],
    ['ClientAliveCountMax', 2],
    // Debian/Ubuntu account and session setup (pam_systemd, limits, motd) go through PAM.
    ['UsePAM', 'yes'],
    // Logs the key fingerprint of each login: who got in, not just which account.
    ['LogLevel', 'VERBOSE'],
  ];
  const width = Math.max(...settings.map(([k]) => k.length)) + 1;
  const body = settings.map(([k, v]) => `${k.padEnd(width)}${v}`).join('\n');
  return `# Written by claw-setup. Loaded before 50-cloud-init.conf, and the first value wins.
# Check with: sshd -t && sshd -T | grep -Ei 'passwordauth|permitroot|port|allowusers'
# Key-only login for ${a.deployUser.name}; root and passwords are refused.
# AllowTcpForwarding ${a.ssh.allowTcpForwarding}: ${
    a.ssh.allowTcpForwarding === 'local' ? 'the SSH tunnel to the gateway (ssh -L) needs local forwarding' : 'no port forwarding at all'
  }.
${body}
`;
}
