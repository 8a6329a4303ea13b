import { describe, expect, it } from 'vitest';
import { answersSchema } from '../../src/answers/schema.js';
import { validateAnswers } from '../../src/answers/load.js';
import { operatorIpProblem, operatorIpWarning } from '../../src/answers/ip-ranges.js';
import { issuesOn } from './field-fixture.js';

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
