// src/answers/egress.ts: openclaw.egress, validated before any plan exists. Its entries become
// iptables arguments run as root, so anything but an address, a range and a port is refused.
import { describe, expect, it } from 'vitest';
import { answersSchema } from '../../src/answers/schema.js';
import { parseEgressAllow } from '../../src/answers/egress.js';

const parse = (egress: unknown) => answersSchema.safeParse({ openclaw: { egress } });
const problem = (entry: string) => {
  const r = parse({ allow: [entry] });
  return r.success ? null : r.error.issues[0].message;
};

describe('openclaw.egress answers', () => {
  it('defaults to mode "public" with nothing extra allowed', () => {
    expect(answersSchema.parse({}).openclaw.egress).toEqual({ mode: 'public', allow: [] });
  });

  it.each([
    ['10.0.0.5', { family: 4, cidr: '10.0.0.5/32', port: null }],
    ['10.0.0.5:11434', { family: 4, cidr: '10.0.0.5/32', port: 11434 }],
    ['192.168.1.0/24', { family: 4, cidr: '192.168.1.0/24', port: null }],
    ['172.31.240.1/32:11434', { family: 4, cidr: '172.31.240.1/32', port: 11434 }],
    ['fd00::5', { family: 6, cidr: 'fd00::5/128', port: null }],
    ['[FD00::5]:443', { family: 6, cidr: 'fd00::5/128', port: 443 }],
    ['[fd12:3456::/32]:8080', { family: 6, cidr: 'fd12:3456::/32', port: 8080 }],
    ['203.0.113.5:3128', { family: 4, cidr: '203.0.113.5/32', port: 3128 }],
  ])('accepts %s', (entry, want) => {
    expect(problem(entry)).toBeNull();
    expect(parseEgressAllow(entry)).toEqual(want);
  });

  it.each([
    ['api.anthropic.com', /is a hostname/],
    ['api.anthropic.com:443', /is a hostname/],
    ['169.254.169.254', /metadata service/],
    ['169.254.0.0/16:80', /metadata service/],
    ['0.0.0.0/0', /metadata service/],
    ['::/0', /metadata service/],
    ['fd00:ec2::254', /metadata service/],
    ['127.0.0.1:8080', /loopback/],
    ['::1', /loopback/],
    ['10.0.0.5/24', /host bits/],
    ['::ffff:10.0.0.5', /IPv4-mapped/],
    ['10.0.0.5:0', /port must be/],
    ['10.0.0.5:65536', /port must be/],
    ['10.0.0.5:080', /port must be/],
    ['10.0.0.5/33', /IP address or CIDR range/],
    ['10.0.0.5 -j ACCEPT', /IP address or CIDR range/],
    ['10.0.0.5;reboot', /IP address or CIDR range/],
    ['10.0.0.5\n-A INPUT -j ACCEPT', /IP address or CIDR range/],
    ['$(reboot)', /IP address or CIDR range/],
    ['-s 0/0', /IP address or CIDR range/],
    ['', /IP address or CIDR range/],
  ])('refuses %j', (entry, why) => {
    expect(problem(entry)).toMatch(why);
  });

  it('refuses an entry listed twice, an empty allow-list in mode "allowlist", an unknown mode or key', () => {
    expect(parse({ allow: ['10.0.0.5', '10.0.0.5'] }).error?.issues[0].message).toMatch(/listed twice/);
    expect(parse({ mode: 'allowlist' }).error?.issues[0].message).toMatch(/forward proxy/);
    expect(parse({ mode: 'open' }).error?.issues[0].message).toMatch(/"public" or "allowlist"/);
    expect(parse({ allowed: [] }).success).toBe(false);
    expect(parse({ allow: Array.from({ length: 51 }, (_, i) => `10.0.${i}.1`) }).success).toBe(false);
  });
});
