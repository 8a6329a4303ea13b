import { isIP } from 'node:net';
import { plain, SAFE_ASCII } from './plain-text.js';

/**
 * IP addresses and CIDR ranges: parsing them into numbers and the range checks on operatorIp
 * (the break-glass rule's and fail2ban's source address). Shared by the answers schema, the
 * egress allow-list, the fail2ban template and the server facts.
 */

export function isIPv4(s: string): boolean {
  return isIP(s) === 4 && /^(0|[1-9]\d{0,2})(\.(0|[1-9]\d{0,2})){3}$/.test(s);
}
export function isIPv6(s: string): boolean {
  return isIP(s) === 6 && /^[0-9a-fA-F:.]+$/.test(s);
}

export function isCidr(s: string): boolean {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(s);
  if (!m) return false;
  const bits = Number(m[2]);
  if (isIPv4(m[1])) return bits <= 32 && String(bits) === m[2];
  if (isIPv6(m[1])) return bits <= 128 && String(bits) === m[2];
  return false;
}

/** An IP address or CIDR range as numbers: the address bits (host bits kept) and the prefix length (32/128 for a bare address). */
export interface IpRange {
  family: 4 | 6;
  /** The address as written, as an unsigned integer (32 or 128 bits). */
  addr: bigint;
  prefix: number;
  /** Whether it was written with a "/prefix". */
  cidr: boolean;
}

function v4Bits(s: string): bigint {
  return s.split('.').reduce((acc, o) => (acc << 8n) | BigInt(Number(o)), 0n);
}

function v6Bits(s: string): bigint {
  let text = s;
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    // An embedded IPv4 tail (::ffff:192.0.2.1) stands for the last two groups.
    const v4 = v4Bits(text.slice(lastColon + 1));
    text = `${text.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = text.split('::');
  const left = halves[0] ? halves[0].split(':') : [];
  const right = halves.length > 1 && halves[1] ? halves[1].split(':') : [];
  const groups = halves.length > 1 ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** Parses "203.0.113.7", "203.0.113.0/24", "2001:db8::7" or "2001:db8::/48"; null for anything else. */
export function parseIpRange(s: string): IpRange | null {
  const m = /^([^/]+)(?:\/(\d{1,3}))?$/.exec(s);
  if (!m) return null;
  if (m[2] !== undefined && !isCidr(s)) return null;
  if (isIPv4(m[1])) return { family: 4, addr: v4Bits(m[1]), prefix: m[2] === undefined ? 32 : Number(m[2]), cidr: m[2] !== undefined };
  if (isIPv6(m[1])) return { family: 6, addr: v6Bits(m[1]), prefix: m[2] === undefined ? 128 : Number(m[2]), cidr: m[2] !== undefined };
  return null;
}

function width(r: { family: 4 | 6 }): number {
  return r.family === 4 ? 32 : 128;
}

/** Whether two ranges of one family share any address. */
function overlaps(a: IpRange, b: IpRange): boolean {
  if (a.family !== b.family) return false;
  const p = Math.min(a.prefix, b.prefix);
  const shift = BigInt(width(a) - p);
  return a.addr >> shift === b.addr >> shift;
}

/** The narrowest operatorIp ranges: a /24 for IPv4 (256 addresses), a /48 for IPv6. */
const OPERATOR_MIN_PREFIX = { 4: 24, 6: 48 } as const;

/**
 * Addresses that can never be the operator's address as the server sees it: the
 * break-glass rule and fail2ban's ignoreip would then protect nobody, or read as
 * "any address". Each: [range, what it is, why it is wrong].
 */
const NOT_AN_OPERATOR: [string, string, string][] = [
  ['0.0.0.0/32', 'the unspecified address 0.0.0.0', 'firewalls read it as "any address"'],
  ['::/128', 'the unspecified address ::', 'firewalls read it as "any address"'],
  ['0.0.0.0/8', '"this network" 0.0.0.0/8', 'never the source of a connection'],
  ['127.0.0.0/8', 'loopback 127.0.0.0/8', 'the server would see itself there, not you'],
  ['::1/128', 'the loopback address ::1', 'the server would see itself there, not you'],
  ['::/96', 'the obsolete IPv4-compatible range ::/96', 'never the source of a connection'],
  ['255.255.255.255/32', 'the broadcast address 255.255.255.255', 'never the source of a connection'],
  ['224.0.0.0/4', 'multicast 224.0.0.0/4', 'never the source of an SSH connection'],
  ['ff00::/8', 'multicast ff00::/8', 'never the source of an SSH connection'],
  ['240.0.0.0/4', 'the reserved range 240.0.0.0/4', 'never the source of a connection'],
];
const NOT_AN_OPERATOR_RANGES = NOT_AN_OPERATOR.map(([cidr, what, why]) => [parseIpRange(cidr)!, what, why] as const);
const V4_MAPPED = parseIpRange('::ffff:0:0/96')!;

function v4Text(bits: bigint): string {
  return [24n, 16n, 8n, 0n].map((sh) => String((bits >> sh) & 0xffn)).join('.');
}

/** Why `value` cannot be the operator's address, or null when it can. */
export function operatorIpProblem(value: string): string | null {
  const shown = value.slice(0, 60);
  const r = parseIpRange(value);
  if (!r) return `operatorIp must be "auto", an IP address or a CIDR range (e.g. 203.0.113.7 or 203.0.113.0/24), not "${shown}"`;
  if (r.prefix < OPERATOR_MIN_PREFIX[r.family]) {
    return `operatorIp ${shown} is too wide${r.prefix === 0 ? ' (the whole internet)' : ''}: at most a /${OPERATOR_MIN_PREFIX[4]} for IPv4 (256 addresses) or /${OPERATOR_MIN_PREFIX[6]} for IPv6; give your own address`;
  }
  if (r.prefix >= V4_MAPPED.prefix && overlaps(r, V4_MAPPED)) {
    const v4 = `${v4Text(r.addr & 0xffffffffn)}${r.cidr ? `/${r.prefix - 96}` : ''}`;
    return `operatorIp ${shown} is an IPv4-mapped IPv6 address, which the IPv6 firewall never matches; give the plain IPv4 address ${v4} instead`;
  }
  for (const [bad, what, why] of NOT_AN_OPERATOR_RANGES) {
    if (!overlaps(r, bad)) continue;
    const how = r.prefix < bad.prefix ? 'includes' : bad.prefix === width(bad) ? 'is' : 'is in';
    return `operatorIp ${shown} ${how} ${what} (${why}); give your own address as the server sees it (e.g. 203.0.113.7)`;
  }
  return null;
}

/**
 * The operator's address for the break-glass firewall rule and fail2ban's ignoreip:
 * one unicast host address, or a narrow range (IPv4 /24 or longer, IPv6 /48 or
 * longer); never a range that opens SSH to everyone or an address no SSH client has.
 */
export const operatorIp = plain(49, 'operatorIp').superRefine((s, ctx) => {
  // A value plain() refused is never echoed back (it may hold control characters).
  if (s.length > 49 || !SAFE_ASCII.test(s)) return;
  const problem = operatorIpProblem(s);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

function addressCount(bits: number): string {
  return bits <= 16 ? String(2 ** bits) : `2^${bits}`;
}

/**
 * A one-line warning for an accepted operatorIp that covers more than one host
 * (an IPv4 prefix below /32, an IPv6 prefix below /128); null for a single
 * address, "auto", or a value the schema refuses anyway.
 */
export function operatorIpWarning(value: string): string | null {
  const r = parseIpRange(value);
  if (!r || r.prefix >= width(r) || operatorIpProblem(value) !== null) return null;
  return `operatorIp ${value} lets ${addressCount(width(r) - r.prefix)} addresses through the break-glass rule and past fail2ban; a single address (/${width(r)}) is safest`;
}
