import { SECRETS } from '../../answers/rules.js';
import { secretSpec } from './secret-spec.js';
import type { Walk } from '../wizard/walk.js';

/** Break-glass address: "auto" or the probed address once connected. */
export function firewallQuestions(w: Walk): void {
  const probed = w.ctx.facts?.operatorIp ?? null;
  w.ask({
    id: 'operatorIp',
    screen: 'firewall',
    kind: 'text',
    path: ['operatorIp'],
    label: 'Your IP address (always allowed to reach SSH)',
    hint: probed
      ? `the server sees you coming from ${probed}; a CIDR range works too`
      : '"auto" = the address the server sees you connect from; or an IP / CIDR',
    initial: probed ?? undefined,
  });
}

export function tailscaleQuestions(w: Walk): void {
  const s = 'tailscale' as const;
  const on = w.ask({
    id: 'tailscale.enabled',
    screen: s,
    kind: 'bool',
    path: ['tailscale', 'enabled'],
    label: 'Join a Tailscale tailnet?',
    hint: 'a private network path to the server, independent of the public IP',
  });
  if (on !== true) return;
  w.secret({
    id: 'tailscale.authKey',
    screen: s,
    path: ['tailscale', 'authKey'],
    label: 'Tailscale auth key',
    hint: 'admin console → Settings → Keys → Generate auth key (tskey-auth-…)',
    secret: secretSpec(SECRETS.tailscaleAuthKey),
  });
  w.ask({ id: 'tailscale.hostname', screen: s, kind: 'text', path: ['tailscale', 'hostname'], label: 'Machine name on the tailnet' });
  w.ask({
    id: 'tailscale.sshOnlyOverTailscale',
    screen: s,
    kind: 'bool',
    path: ['tailscale', 'sshOnlyOverTailscale'],
    label: 'Allow SSH only over Tailscale?',
    hint: 'the break-glass rule for your IP stays',
  });
}

export function sshQuestions(w: Walk): void {
  w.ask({
    id: 'ssh.port',
    screen: 'ssh',
    kind: 'number',
    path: ['ssh', 'port'],
    label: 'SSH port after hardening',
    hint: 'changing it adds no real security, but quiets log noise',
  });
  w.ask({ id: 'ssh.maxAuthTries', screen: 'ssh', kind: 'number', path: ['ssh', 'maxAuthTries'], label: 'Authentication attempts per connection' });
}

export function fail2banQuestions(w: Walk): void {
  const s = 'fail2ban' as const;
  const on = w.ask({ id: 'fail2ban.enabled', screen: s, kind: 'bool', path: ['fail2ban', 'enabled'], label: 'Ban addresses that keep failing to log in?' });
  if (on !== true) return;
  w.ask({ id: 'fail2ban.maxRetry', screen: s, kind: 'number', path: ['fail2ban', 'maxRetry'], label: 'Failures before a ban' });
  w.ask({ id: 'fail2ban.banTime', screen: s, kind: 'text', path: ['fail2ban', 'banTime'], label: 'Ban length', hint: 'e.g. 10m, 1h, 1d' });
}

export function updatesQuestions(w: Walk): void {
  const s = 'updates' as const;
  const on = w.ask({ id: 'updates.unattended', screen: s, kind: 'bool', path: ['updates', 'unattended'], label: 'Install security updates automatically?' });
  if (on !== true) return;
  const reboot = w.ask({
    id: 'updates.autoReboot',
    screen: s,
    kind: 'bool',
    path: ['updates', 'autoReboot'],
    label: 'Reboot automatically when an update needs it?',
  });
  if (reboot === true)
    w.ask({ id: 'updates.rebootTime', screen: s, kind: 'text', path: ['updates', 'rebootTime'], label: 'Reboot time (server clock, HH:MM)' });
}
