import { z } from 'zod';
import { parseIpRange, type IpRange } from './ip-ranges.js';
import { isHostname } from './validators.js';

/**
 * openclaw.egress: what the gateway container may reach besides the public internet. Entries end
 * up as iptables arguments on the server, so only literal addresses pass: an IP or a CIDR range,
 * with an optional port ("10.0.0.5:11434", "192.168.1.0/24", "[fd00::5]:443"). Never a hostname:
 * iptables resolves a name once, when the rule is added, and a name's addresses change.
 */

/** One parsed entry: family, the range as iptables reads it ("10.0.0.5/32"), and the port or null (every port). */
export interface EgressAllow {
  family: 4 | 6;
  cidr: string;
  port: number | null;
}

export const EGRESS_MODES = ['public', 'allowlist'] as const;
export const EGRESS_ALLOW_MAX = 50;

const PORT = /^[1-9]\d{0,4}$/;
/** The cloud metadata services: every secret of a cloud-init export sits there. Never allowed, not even by a wide range. */
const METADATA = [parseIpRange('169.254.169.254')!, parseIpRange('fd00:ec2::254')!];
const LOOPBACK = [parseIpRange('127.0.0.0/8')!, parseIpRange('::1')!];
const V4_MAPPED = parseIpRange('::ffff:0:0/96')!;

function covers(outer: IpRange, inner: IpRange): boolean {
  if (outer.family !== inner.family || outer.prefix > inner.prefix) return false;
  const shift = BigInt((outer.family === 4 ? 32 : 128) - outer.prefix);
  return outer.addr >> shift === inner.addr >> shift;
}

function overlaps(a: IpRange, b: IpRange): boolean {
  return covers(a, b) || covers(b, a);
}

function hostBitsSet(r: IpRange): boolean {
  const w = r.family === 4 ? 32 : 128;
  return (r.addr & ((1n << BigInt(w - r.prefix)) - 1n)) !== 0n;
}

/** Splits "addr[/len][:port]" or "[v6[/len]]:port" into range and port text. */
function split(s: string): { range: string; port: string | null } {
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (bracket) return { range: bracket[1], port: bracket[2] ?? null };
  if (s.split(':').length === 2) {
    const [range, port] = s.split(':');
    return { range, port };
  }
  // More than one colon and no brackets: a bare IPv6 address or range, no port.
  return { range: s, port: null };
}

/** The entry parsed, or why it is refused (a message for the operator). */
export function parseEgressAllow(s: string): EgressAllow | string {
  const shown = s.slice(0, 60).replace(/[^\x20-\x7e]/g, '?');
  const shape = `egress allow entries are an IP address or CIDR range with an optional port, e.g. "10.0.0.5:11434", "192.168.1.0/24" or "[fd00::5]:443", not "${shown}"`;
  if (s.length > 60 || !/^[0-9A-Za-z.:/[\]-]+$/.test(s)) return shape;
  const parts = split(s);
  const r = parseIpRange(parts.range);
  if (!r) {
    return isHostname(parts.range) && /[a-z]/i.test(parts.range)
      ? `egress allow entry "${shown}" is a hostname: firewall rules match addresses, and a name's addresses change; give the IP address or range (for hostnames, allow your forward proxy and set HTTPS_PROXY)`
      : shape;
  }
  let port: number | null = null;
  if (parts.port !== null) {
    if (!PORT.test(parts.port) || Number(parts.port) > 65535) return `egress allow entry "${shown}": the port must be a number from 1 to 65535`;
    port = Number(parts.port);
  }
  if (hostBitsSet(r)) return `egress allow entry "${shown}" has host bits set after the /${r.prefix}: write the network address of the range`;
  if (METADATA.some((m) => covers(r, m)))
    return `egress allow entry "${shown}" includes the cloud metadata service (169.254.169.254 / fd00:ec2::254), which holds the server's cloud-init data and credentials; allow narrower ranges`;
  if (r.family === 6 && overlaps(r, V4_MAPPED)) return `egress allow entry "${shown}" is an IPv4-mapped IPv6 range: give the plain IPv4 address`;
  if (LOOPBACK.some((l) => overlaps(r, l)))
    return `egress allow entry "${shown}" is loopback: inside the container that is the container itself, never the host`;
  const text = parts.range.includes('/') ? parts.range : `${parts.range}/${r.family === 4 ? 32 : 128}`;
  return { family: r.family, cidr: text.toLowerCase(), port };
}

const allowEntry = z.string({ error: 'egress allow entries are text, e.g. "10.0.0.5:11434"' }).superRefine((s, ctx) => {
  const p = parseEgressAllow(s);
  if (typeof p === 'string') ctx.addIssue({ code: 'custom', message: p });
});

/**
 * mode "public" (default): the container reaches the public internet, DNS and the listed
 * destinations; the metadata services, private, link-local and CGNAT ranges and the host are
 * dropped. mode "allowlist": only DNS and the listed destinations (put a forward proxy there
 * to allow hostnames such as api.anthropic.com).
 */
export const egressSchema = z
  .strictObject({
    mode: z.enum(EGRESS_MODES, { error: 'openclaw.egress.mode must be "public" or "allowlist"' }).default('public'),
    allow: z.array(allowEntry).max(EGRESS_ALLOW_MAX, `at most ${EGRESS_ALLOW_MAX} egress allow entries`).default([]),
  })
  .superRefine((e, ctx) => {
    const seen = new Set<string>();
    e.allow.forEach((s, i) => {
      if (seen.has(s)) ctx.addIssue({ code: 'custom', path: ['allow', i], message: `egress allow entry "${s}" is listed twice` });
      seen.add(s);
    });
    if (e.mode === 'allowlist' && e.allow.length === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['allow'],
        message:
          'egress mode "allowlist" with an empty allow list cuts the gateway off from every model provider and channel: list your forward proxy (e.g. "203.0.113.5:3128") or the addresses it needs',
      });
  });
export type EgressAnswers = z.infer<typeof egressSchema>;

/** Every valid entry parsed (the schema refused the rest before any plan exists). */
export function egressAllowList(e: EgressAnswers): EgressAllow[] {
  return e.allow.map(parseEgressAllow).filter((p): p is EgressAllow => typeof p !== 'string');
}
