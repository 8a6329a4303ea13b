import { describe, expect, it } from 'vitest';
import { answersSchema } from '../src/answers/schema.js';
import { parseCli } from '../src/cli/args.js';
import { UserError } from '../src/core/errors.js';
import { backupDirProblem } from '../src/answers/backup-fields.js';
import { operatorIpProblem, operatorIpWarning } from '../src/answers/ip-ranges.js';
import { checkSshOptions, setPath, validateAnswers } from '../src/answers/load.js';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOzac/xuB9gNpgB4w5HHB6XCSigKaq1/D/1Wknm6DDhs you@laptop';

/** Sets one field on otherwise-valid answers. */
function withField(path: string, value: unknown) {
  const base: Record<string, unknown> = { target: { host: '203.0.113.10' }, deployUser: { authorizedKeys: [KEY] } };
  setPath(base as never, path, value as never);
  return base;
}

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

describe('hostile flags', () => {
  it.each([
    ['ProxyCommand=sh -c id'],
    ['ProxyCommand=nc'],
    ['LocalCommand=id'],
    ['PermitLocalCommand=yes'],
    ['KnownHostsCommand=/bin/x'],
    ['ConnectTimeout=10;id'],
    ['ConnectTimeout'],
    ['Match=all'],
    ['SecurityKeyProvider=/path/lib.so'],
    ['PKCS11Provider=/usr/lib/opensc-pkcs11.so'],
    ['ForwardAgent=yes'],
    ['ForwardX11=yes'],
    ['LocalForward=8080:localhost:80'],
    ['RemoteForward=9000:localhost:22'],
    ['DynamicForward=1080'],
    ['RemoteCommand=id'],
    ['StrictHostKeyChecking=no'],
    ['UserKnownHostsFile=/dev/null'],
    ['ControlPath=/tmp/x'],
    ['BatchMode=no'],
    ['IdentityFile=~/.ssh/other'],
    ['SetEnv=FOO=bar'],
    ['Include=/etc/passwd'],
    ['User=root'],
    ['Port=2222'],
  ])('--ssh-option %s is refused', (opt) => {
    expect(() => checkSshOptions([opt])).toThrow(UserError);
  });

  it('--ssh-option ConnectTimeout=10 is accepted', () => expect(checkSshOptions(['ConnectTimeout=10'])).toEqual(['ConnectTimeout=10']));

  it('unknown flags and commands are user errors', () => {
    expect(() => parseCli(['--frobnicate'])).toThrow(UserError);
    expect(() => parseCli(['destroy'])).toThrow(UserError);
  });

  it('day-2 commands refuse hostile operands before connecting: nothing runs', async () => {
    const { main } = await import('../src/cli/main.js');
    const io = { stdout: () => {}, stderr: () => {}, env: {}, isTTY: false } as unknown as Parameters<typeof main>[1];
    const base = ['--answers', 'examples/answers.json5', '--host', '203.0.113.10', '--yes'];
    for (const argv of [
      ['rotate', 'x;rm -rf /'],
      ['rotate', '$(id)'],
      ['rotate', 'gateway-token\nOPENAI_API_KEY'],
      ['rotate'],
      ['upgrade', '--to', '2026.10.1;id'],
      ['upgrade', '--to', '$(reboot)'],
      ['upgrade', '--to', `2026.10.1@sha256:${'g'.repeat(64)}`],
      ['export', 'bogus'],
      ['restore', '--from', 'a;b'],
      ['restore', '--from', '../../etc/shadow'],
    ])
      await expect(main([...argv, ...base], io), argv.join(' ')).rejects.toThrow(UserError);
  });

  it('--set refuses prototype paths', () => {
    expect(() => setPath({}, '__proto__.x', 1)).toThrow(UserError);
    expect(() => setPath({}, 'a..b', 1)).toThrow(UserError);
  });
});

/** The messages of every issue on one field of otherwise-valid answers ([] when valid). */
function issuesOn(path: string, value: unknown): string[] {
  const r = answersSchema.safeParse(withField(path, value));
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('backups.dir: never a system directory', () => {
  const OK = 'give a directory of its own, e.g. /var/backups/openclaw, /srv/backups/openclaw or /home/deploy/backups';

  it.each([
    '/',
    '/bin',
    '/boot',
    '/dev',
    '/etc',
    '/home',
    '/lib',
    '/lib32',
    '/lib64',
    '/libx32',
    '/media',
    '/mnt',
    '/opt',
    '/proc',
    '/root',
    '/run',
    '/sbin',
    '/srv',
    '/sys',
    '/tmp',
    '/usr',
    '/var',
    '/var/lib',
    '/var/backups',
    '/var/log',
    '/var/tmp',
    '/var/cache',
    '/var/spool',
    '/var/mail',
    '/var/opt',
    '/var/local',
    '/var/run',
    '/var/lock',
  ])('%s is a system directory', (dir) => {
    expect(issuesOn('backups.dir', dir)).toEqual([`backups.dir: backups.dir ${dir} is a system directory; ${OK}`]);
  });

  it.each(['/home/deploy', '/home/ubuntu', '/home/x'])('%s is a home directory', (dir) => {
    expect(issuesOn('backups.dir', dir)).toEqual([`backups.dir: backups.dir ${dir} is a user's home directory; ${OK}`]);
  });

  it.each([
    ['/usr/local/backups', 'usr'],
    ['/usr/share/openclaw', 'usr'],
    ['/etc/openclaw', 'etc'],
    ['/etc/ssh/backups', 'etc'],
    ['/tmp/backups', 'tmp'],
    ['/var/tmp/backups', 'var/tmp'],
    ['/proc/self/x', 'proc'],
    ['/sys/x', 'sys'],
    ['/dev/shm/x', 'dev'],
    ['/run/backups', 'run'],
    ['/var/run/backups', 'var/run'],
    ['/boot/backups', 'boot'],
    ['/bin/x', 'bin'],
    ['/sbin/x', 'sbin'],
    ['/lib/x', 'lib'],
    ['/lib64/x', 'lib64'],
    ['/libx32/x', 'libx32'],
  ])('%s is inside a system tree', (dir, tree) => {
    expect(issuesOn('backups.dir', dir)).toEqual([`backups.dir: backups.dir ${dir} is inside /${tree}, where backups must not go; ${OK}`]);
  });

  it.each([
    '/.',
    '/./var',
    '/var/.',
    '/var/backups/./openclaw',
    '/var/backups/..',
    '/srv/../etc',
    '/var//backups',
    '//var/backups/openclaw',
    '/var/backups/openclaw/',
    '/srv/backups/',
  ])('%s is not written plainly', (dir) => {
    expect(issuesOn('backups.dir', dir)).toEqual([
      `backups.dir: backups.dir ${dir} must be written plainly: no "." or ".." parts, no "//" and no trailing "/" (e.g. /var/backups/openclaw)`,
    ]);
  });

  it.each(['relative/dir', '/var/backups/open claw', '/var/backups/$(id)', '~/backups'])('%j is not an absolute path in the safe shape', (dir) => {
    expect(issuesOn('backups.dir', dir)).toEqual([
      'backups.dir: backups.dir must be an absolute path using only A-Z a-z 0-9 . _ - / (e.g. /var/backups/openclaw)',
    ]);
  });

  it('a value with control characters is refused without being echoed', () => {
    const issues = issuesOn('backups.dir', '/usr\n');
    expect(issues).toEqual(['backups.dir: backups.dir may only hold printable ASCII: no newlines, tabs, NUL or look-alike unicode']);
  });

  it.each([
    '/var/backups/openclaw',
    '/srv/backups/openclaw',
    '/opt/openclaw-backups',
    '/home/deploy/backups',
    '/mnt/data/backups',
    '/root/backups',
    '/var/lib/openclaw-backups',
    '/media/usb/openclaw',
    '/data/backups',
    '/usrdata/backups',
    '/etcetera/x',
    '/library/x',
    '/home/deploy/.backups',
    '/var/backups/openclaw.d',
  ])('%s is accepted', (dir) => {
    expect(issuesOn('backups.dir', dir)).toEqual([]);
    expect(backupDirProblem(dir)).toBeNull();
  });

  it('the default stays /var/backups/openclaw', () => {
    expect(answersSchema.parse({}).backups.dir).toBe('/var/backups/openclaw');
  });
});

describe('operatorIp: one host or a narrow range, never everyone', () => {
  const GIVE = 'give your own address as the server sees it (e.g. 203.0.113.7)';
  const wide = (v: string, whole = false) =>
    `operatorIp ${v} is too wide${whole ? ' (the whole internet)' : ''}: at most a /24 for IPv4 (256 addresses) or /48 for IPv6; give your own address`;

  it.each([
    ['0.0.0.0/0', wide('0.0.0.0/0', true)],
    ['::/0', wide('::/0', true)],
    ['0.0.0.0/1', wide('0.0.0.0/1')],
    ['128.0.0.0/1', wide('128.0.0.0/1')],
    ['10.0.0.0/16', wide('10.0.0.0/16')],
    ['203.0.113.0/23', wide('203.0.113.0/23')],
    ['224.0.0.0/4', wide('224.0.0.0/4')],
    ['ff00::/8', wide('ff00::/8')],
    ['2001:db8::/32', wide('2001:db8::/32')],
    ['2001:db8::/47', wide('2001:db8::/47')],
    ['0.0.0.0', `operatorIp 0.0.0.0 is the unspecified address 0.0.0.0 (firewalls read it as "any address"); ${GIVE}`],
    ['0.0.0.0/32', `operatorIp 0.0.0.0/32 is the unspecified address 0.0.0.0 (firewalls read it as "any address"); ${GIVE}`],
    ['::', `operatorIp :: is the unspecified address :: (firewalls read it as "any address"); ${GIVE}`],
    ['::/64', `operatorIp ::/64 includes the unspecified address :: (firewalls read it as "any address"); ${GIVE}`],
    ['0.0.0.0/24', `operatorIp 0.0.0.0/24 includes the unspecified address 0.0.0.0 (firewalls read it as "any address"); ${GIVE}`],
    ['0.1.2.3', `operatorIp 0.1.2.3 is in "this network" 0.0.0.0/8 (never the source of a connection); ${GIVE}`],
    ['127.0.0.1', `operatorIp 127.0.0.1 is in loopback 127.0.0.0/8 (the server would see itself there, not you); ${GIVE}`],
    ['127.0.0.0/24', `operatorIp 127.0.0.0/24 is in loopback 127.0.0.0/8 (the server would see itself there, not you); ${GIVE}`],
    ['::1', `operatorIp ::1 is the loopback address ::1 (the server would see itself there, not you); ${GIVE}`],
    ['::1.2.3.4', `operatorIp ::1.2.3.4 is in the obsolete IPv4-compatible range ::/96 (never the source of a connection); ${GIVE}`],
    ['255.255.255.255', `operatorIp 255.255.255.255 is the broadcast address 255.255.255.255 (never the source of a connection); ${GIVE}`],
    ['255.255.255.0/24', `operatorIp 255.255.255.0/24 includes the broadcast address 255.255.255.255 (never the source of a connection); ${GIVE}`],
    ['224.0.0.1', `operatorIp 224.0.0.1 is in multicast 224.0.0.0/4 (never the source of an SSH connection); ${GIVE}`],
    ['239.255.255.250', `operatorIp 239.255.255.250 is in multicast 224.0.0.0/4 (never the source of an SSH connection); ${GIVE}`],
    ['ff02::1', `operatorIp ff02::1 is in multicast ff00::/8 (never the source of an SSH connection); ${GIVE}`],
    ['ff05::/64', `operatorIp ff05::/64 is in multicast ff00::/8 (never the source of an SSH connection); ${GIVE}`],
    ['240.0.0.1', `operatorIp 240.0.0.1 is in the reserved range 240.0.0.0/4 (never the source of a connection); ${GIVE}`],
    ['250.1.2.0/24', `operatorIp 250.1.2.0/24 is in the reserved range 240.0.0.0/4 (never the source of a connection); ${GIVE}`],
    [
      '::ffff:203.0.113.7',
      'operatorIp ::ffff:203.0.113.7 is an IPv4-mapped IPv6 address, which the IPv6 firewall never matches; give the plain IPv4 address 203.0.113.7 instead',
    ],
    [
      '::ffff:203.0.113.0/120',
      'operatorIp ::ffff:203.0.113.0/120 is an IPv4-mapped IPv6 address, which the IPv6 firewall never matches; give the plain IPv4 address 203.0.113.0/24 instead',
    ],
    ['any', 'operatorIp must be "auto", an IP address or a CIDR range (e.g. 203.0.113.7 or 203.0.113.0/24), not "any"'],
    ['1.2.3.4/33', 'operatorIp must be "auto", an IP address or a CIDR range (e.g. 203.0.113.7 or 203.0.113.0/24), not "1.2.3.4/33"'],
    ['2001:db8::/129', 'operatorIp must be "auto", an IP address or a CIDR range (e.g. 203.0.113.7 or 203.0.113.0/24), not "2001:db8::/129"'],
  ])('%s is refused', (value, message) => {
    expect(issuesOn('operatorIp', value)).toEqual([`operatorIp: ${message}`]);
    expect(operatorIpProblem(value)).toBe(message);
  });

  it('a value with control characters is refused without being echoed', () => {
    expect(issuesOn('operatorIp', '0.0.0.0/0\n')).toEqual([
      'operatorIp: operatorIp may only hold printable ASCII: no newlines, tabs, NUL or look-alike unicode',
    ]);
  });

  it.each([
    'auto',
    '203.0.113.7',
    '203.0.113.7/32',
    '203.0.113.0/24',
    '198.51.100.0/25',
    '10.77.3.1',
    '192.168.1.20',
    '100.101.102.103',
    '1.0.0.1',
    '223.255.255.254',
    '2001:db8::7',
    '2001:db8::7/128',
    '2001:db8:1::/48',
    '2001:db8:1:2::/64',
    'fd00:1234::1',
    '2001:db8::203.0.113.7',
  ])('%s is accepted', (value) => {
    expect(issuesOn('operatorIp', value)).toEqual([]);
  });

  it('the answers schema uses the operator rule (and "auto" stays the default)', () => {
    expect(answersSchema.parse({}).operatorIp).toBe('auto');
    expect(answersSchema.safeParse({ operatorIp: '0.0.0.0/0' }).success).toBe(false);
    expect(() => validateAnswers({ operatorIp: '::/0' }, 'test answers')).toThrow(/operatorIp: operatorIp ::\/0 is too wide \(the whole internet\)/);
  });
});

describe('operatorIpWarning', () => {
  it.each([
    ['203.0.113.0/24', 'operatorIp 203.0.113.0/24 lets 256 addresses through the break-glass rule and past fail2ban; a single address (/32) is safest'],
    ['198.51.100.128/25', 'operatorIp 198.51.100.128/25 lets 128 addresses through the break-glass rule and past fail2ban; a single address (/32) is safest'],
    ['203.0.113.6/31', 'operatorIp 203.0.113.6/31 lets 2 addresses through the break-glass rule and past fail2ban; a single address (/32) is safest'],
    ['2001:db8::/120', 'operatorIp 2001:db8::/120 lets 256 addresses through the break-glass rule and past fail2ban; a single address (/128) is safest'],
    ['2001:db8::/64', 'operatorIp 2001:db8::/64 lets 2^64 addresses through the break-glass rule and past fail2ban; a single address (/128) is safest'],
    ['2001:db8:1::/48', 'operatorIp 2001:db8:1::/48 lets 2^80 addresses through the break-glass rule and past fail2ban; a single address (/128) is safest'],
    ['2001:db8::/127', 'operatorIp 2001:db8::/127 lets 2 addresses through the break-glass rule and past fail2ban; a single address (/128) is safest'],
  ])('%s warns', (value, warning) => {
    expect(issuesOn('operatorIp', value)).toEqual([]);
    expect(operatorIpWarning(value)).toBe(warning);
  });

  it.each(['203.0.113.7', '203.0.113.7/32', '2001:db8::7', '2001:db8::7/128', 'auto'])('%s (one host) gives no warning', (value) => {
    expect(operatorIpWarning(value)).toBeNull();
  });

  it.each(['0.0.0.0/0', '10.0.0.0/16', '127.0.0.0/24', 'any', ''])('%j (refused by the schema) gives no warning', (value) => {
    expect(operatorIpWarning(value)).toBeNull();
  });
});
