import type { Answers } from '../src/answers/schema.js';

/**
 * Weak algorithms removed from OpenSSH's own default lists. Each keyword takes a
 * `-` list ("remove these from the default set"), never a full pinned list, so
 * whatever a later OpenSSH adds (ML-KEM arrived in 10.0) still comes with OS
 * updates. OpenSSH does not check the names in a `-` list (servconf.c skips the
 * validity check when the value starts with `-`, in 8.9, 9.2, 9.6 and 10.x), so a
 * name one version does not know is ignored there, not an error; every name
 * below exists in all of them anyway. What stays: kex curve25519, the
 * sntrup761/ML-KEM hybrids, group16/18 and group exchange (its small moduli are
 * filtered out of /etc/ssh/moduli by the ssh step); host keys ed25519 and RSA
 * (rsa-sha2-*); MACs umac-128-etm, hmac-sha2-256-etm, hmac-sha2-512-etm.
 * Measured from outside with ssh-audit (test/e2e/ssh-audit.e2e.test.ts).
 */
export const SSHD_REMOVED_ALGORITHMS: readonly { keyword: 'KexAlgorithms' | 'HostKeyAlgorithms' | 'MACs'; why: string; names: readonly string[] }[] = [
  {
    keyword: 'KexAlgorithms',
    // The NIST P-curves (constants of unexplained origin; ssh-audit fails them), and
    // group14: a fixed 2048-bit group, about 112-bit strength, below everything else offered.
    why: 'NIST P-curve ECDH (ssh-audit: fail) and the 2048-bit group14',
    names: ['ecdh-sha2-nistp256', 'ecdh-sha2-nistp384', 'ecdh-sha2-nistp521', 'diffie-hellman-group14-sha256'],
  },
  {
    keyword: 'HostKeyAlgorithms',
    // ECDSA: NIST P-curves again, and one weak signature nonce leaks the private key
    // (ssh-audit: fail). The key file stays, it is just no longer offered. Login keys are
    // PubkeyAcceptedAlgorithms, untouched: an operator's ECDSA key still logs in.
    why: 'ECDSA host keys (NIST P-curves; ssh-audit: fail); ed25519 and RSA stay',
    names: [
      'ecdsa-sha2-nistp256',
      'ecdsa-sha2-nistp384',
      'ecdsa-sha2-nistp521',
      'ecdsa-sha2-nistp256-cert-v01@openssh.com',
      'ecdsa-sha2-nistp384-cert-v01@openssh.com',
      'ecdsa-sha2-nistp521-cert-v01@openssh.com',
      'sk-ecdsa-sha2-nistp256@openssh.com',
      'sk-ecdsa-sha2-nistp256-cert-v01@openssh.com',
    ],
  },
  {
    keyword: 'MACs',
    // umac-64*: a 64-bit tag. hmac-sha1*: SHA-1. umac-128, hmac-sha2-256/512 (and the two
    // above): encrypt-and-MAC, a MAC over the plaintext; their -etm twins stay. The default
    // ciphers chacha20-poly1305 and AES-GCM carry their own tag and use no MAC at all.
    why: '64-bit tags, SHA-1 and encrypt-and-MAC (non-ETM); the ETM MACs stay',
    names: [
      'umac-64-etm@openssh.com',
      'hmac-sha1-etm@openssh.com',
      'umac-64@openssh.com',
      'umac-128@openssh.com',
      'hmac-sha2-256',
      'hmac-sha2-512',
      'hmac-sha1',
    ],
  },
];

/** The drop-in's settings, in order: what the file says and what `claw-setup audit` expects from `sshd -T`. */
export function sshdSettings(a: Answers): [string, string | number][] {
  return [
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
}

/**
 * /etc/ssh/sshd_config.d/00-claw-setup.conf. sshd keeps the first value it reads
 * for most keywords, and the stock sshd_config includes sshd_config.d/*.conf at
 * its top, so this file (sorting before cloud-init's 50-cloud-init.conf with its
 * `PasswordAuthentication yes`) wins. Every keyword exists in OpenSSH 8.9
 * (Ubuntu 22.04), 9.2 (Debian 12) and 9.6 (Ubuntu 24.04). No crypto list is
 * pinned (a pinned list locks out older clients and misses new algorithms after
 * distro updates): weak ones are only removed, see SSHD_REMOVED_ALGORITHMS.
 * Whether SSH is reachable only over Tailscale is the firewall's job, not this
 * file's: a ListenAddress on the tailnet IP breaks sshd at boot before tailscaled.
 */
export function renderSshdDropIn(a: Answers): string {
  const settings = sshdSettings(a);
  const width = Math.max(...settings.map(([k]) => k.length)) + 1;
  const body = settings.map(([k, v]) => `${k.padEnd(width)}${v}`).join('\n');
  const crypto = SSHD_REMOVED_ALGORITHMS.map(({ keyword, why, names }) => `# Removed: ${why}.\n${keyword.padEnd(width)}-${names.join(',')}`).join('\n');
  return `# Written by claw-setup. Loaded before 50-cloud-init.conf, and the first value wins.
# Check with: sshd -t && sshd -T | grep -Ei 'passwordauth|permitroot|port|allowusers'
# Key-only login for ${a.deployUser.name}; root and passwords are refused.
# AllowTcpForwarding ${a.ssh.allowTcpForwarding}: ${
    a.ssh.allowTcpForwarding === 'local' ? 'the SSH tunnel to the gateway (ssh -L) needs local forwarding' : 'no port forwarding at all'
  }.
${body}
# Weak algorithms are removed from OpenSSH's defaults ("-" list), none are pinned:
# new ones still arrive with OS updates. See: sshd -T | grep -E '^(kexalgorithms|hostkeyalgorithms|macs) '
${crypto}
`;
}
