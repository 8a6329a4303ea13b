import { isIP } from 'node:net';
import { z } from 'zod';
import { secretShapeProblem } from './rules.js';
import { botApiRootProblem } from './field-checks.js';

/**
 * Field validators shared by the answers file, flags and the wizard.
 * Every user-typed value passes one of these before any plan exists, so no
 * shell metacharacter, newline or oversized value reaches a command or config.
 */

/** Printable ASCII only, no control characters: the first line of defence for every string. */
const SAFE_ASCII = /^[\x20-\x7e]*$/;

export const NAME_MAX = 253;

function plain(max: number, what: string) {
  return z
    .string({ error: `${what} must be text` })
    .max(max, `${what} is too long (at most ${max} characters)`)
    .refine((s) => SAFE_ASCII.test(s), `${what} may only hold printable ASCII: no newlines, tabs, NUL or look-alike unicode`);
}

/** Accounts that exist on stock Ubuntu/Debian images and must not become the deploy user. */
export const SYSTEM_ACCOUNTS = new Set([
  'root',
  'daemon',
  'bin',
  'sys',
  'sync',
  'games',
  'man',
  'lp',
  'mail',
  'news',
  'uucp',
  'proxy',
  'www-data',
  'backup',
  'list',
  'irc',
  'gnats',
  'nobody',
  'systemd-network',
  'systemd-resolve',
  'systemd-timesync',
  'messagebus',
  'syslog',
  'sshd',
  '_apt',
  'tss',
  'uuidd',
  'tcpdump',
  'landscape',
  'pollinate',
  'fwupd-refresh',
  'usbmux',
  'lxd',
  'dnsmasq',
  'polkitd',
  'systemd-coredump',
  'systemd-oom',
  'tailscale',
  'docker',
  'node',
  'sudo',
  'adm',
  'admin',
  'staff',
  'users',
  'nogroup',
  'operator',
  'halt',
  'shutdown',
  'ubuntu',
  'debian',
]);

export const username = plain(32, 'user name')
  .regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'user name must start with a lowercase letter or _, then up to 31 of a-z 0-9 _ - (e.g. "deploy")')
  .refine((s) => !SYSTEM_ACCOUNTS.has(s), 'that is a system account name: pick another, e.g. "deploy"');

/** The admin login for the first connection may be root or an existing sudo user. */
export const loginUser = plain(32, 'login user').regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'login user must look like a Unix user name, e.g. "root"');

export const port = z
  .number({ error: 'port must be a number' })
  .int('port must be a whole number')
  .min(1, 'port must be between 1 and 65535')
  .max(65535, 'port must be between 1 and 65535');

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
export const OPERATOR_MIN_PREFIX = { 4: 24, 6: 48 } as const;

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

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;
export function isHostname(s: string): boolean {
  if (s.length > 253 || s.length === 0) return false;
  const labels = s.replace(/\.$/, '').split('.');
  return labels.every((l) => LABEL.test(l));
}

/** A host to connect to: an IP address or a DNS name (or an ~/.ssh/config alias, which is hostname-shaped). */
export const host = plain(NAME_MAX, 'host').refine(
  (s) => isIPv4(s) || isIPv6(s) || isHostname(s),
  'host must be an IP address or a host name like vps.example.com',
);

/** A public DNS domain with at least two labels and a letter TLD (for Caddy / Let's Encrypt). */
export const domain = plain(NAME_MAX, 'domain').refine(
  (s) => isHostname(s) && s.includes('.') && /\.[a-z]{2,63}$/i.test(s) && !isIPv4(s),
  'domain must be a DNS name like claw.example.com',
);

export const email = plain(254, 'email').regex(/^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]+\.[A-Za-z]{2,63}$/, 'not an email address (e.g. you@example.com)');

/**
 * System directories that must never be the backup directory themselves: the
 * backup job owns its directory as root, and a root-only /usr, /etc, /home or
 * /home/<user> locks every other login out.
 */
const SYSTEM_DIRS = new Set([
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
]);

/** Trees nothing of ours may be written into: kernel/runtime file systems, temporary, boot, configuration and system binaries. */
const SYSTEM_TREES = /^\/(proc|sys|dev|run|tmp|boot|etc|usr|bin|sbin|lib(32|64|x32)?|var\/tmp|var\/run|var\/lock)(\/|$)/;

const BACKUP_DIR_OK = 'give a directory of its own, e.g. /var/backups/openclaw, /srv/backups/openclaw or /home/deploy/backups';

/** Why `dir` cannot be the backup directory, or null when it can. */
export function backupDirProblem(dir: string): string | null {
  const shown = dir.slice(0, 80);
  if (!/^\/[A-Za-z0-9._/-]*$/.test(dir)) return 'backups.dir must be an absolute path using only A-Z a-z 0-9 . _ - / (e.g. /var/backups/openclaw)';
  if (dir !== '/' && (dir.includes('//') || dir.endsWith('/') || dir.split('/').some((c) => c === '.' || c === '..'))) {
    return `backups.dir ${shown} must be written plainly: no "." or ".." parts, no "//" and no trailing "/" (e.g. /var/backups/openclaw)`;
  }
  if (SYSTEM_DIRS.has(dir)) return `backups.dir ${shown} is a system directory; ${BACKUP_DIR_OK}`;
  if (/^\/home\/[^/]+$/.test(dir)) return `backups.dir ${shown} is a user's home directory; ${BACKUP_DIR_OK}`;
  const tree = SYSTEM_TREES.exec(dir);
  if (tree) return `backups.dir ${shown} is inside /${tree[1]}, where backups must not go; ${BACKUP_DIR_OK}`;
  return null;
}

/**
 * The backup directory on the server: an absolute path that is a directory of its
 * own, never a system directory, a user's home or anything under /etc, /usr, /tmp,
 * /proc and the like (see backupDirProblem).
 */
export const backupDir = plain(4096, 'backups.dir').superRefine((s, ctx) => {
  // A value plain() refused is never echoed back (it may hold control characters).
  if (s.length > 4096 || !SAFE_ASCII.test(s)) return;
  const problem = backupDirProblem(s);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** A local path the operator typed (key files, secret files): "~/" allowed, no control characters. */
export const localPath = plain(4096, 'local path')
  .regex(/^(~\/|\/|\.{1,2}\/|[A-Za-z0-9_])[A-Za-z0-9._/@+-]*$/, 'local path may use only A-Z a-z 0-9 . _ - / @ + and may start with ~/')
  .refine((s) => !s.startsWith('-'), 'path must not start with "-"');

/** "10m", "1h", "30s", "7d", "2w". */
export const duration = plain(12, 'duration').regex(/^[1-9]\d{0,6}[smhdw]$/, 'duration must be a number and a unit s, m, h, d or w (e.g. "10m")');

/** 24-hour "HH:MM". */
export const timeOfDay = plain(5, 'time').regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'time must be HH:MM in 24-hour form (e.g. "03:00")');

export const semverish = plain(40, 'version').regex(/^\d{4}\.\d{1,2}\.\d{1,2}(-[a-z0-9.]{1,20})?$/, 'OpenClaw version must look like 2026.9.6');

/** Environment variable names for secret references. */
export const envName = plain(128, 'environment variable name').regex(
  /^[A-Z][A-Z0-9_]{0,127}$/,
  'environment variable names use A-Z, 0-9 and _ and start with a letter',
);

export const telegramUserId = plain(20, 'Telegram user ID').regex(
  /^[1-9]\d{4,19}$/,
  'a Telegram user ID is a number such as 123456789 (ask @userinfobot); not a @username',
);
export const e164 = plain(16, 'phone number').regex(/^\+[1-9]\d{6,14}$/, 'phone numbers use E.164 form: + then country code and number, e.g. +15555550123');
export const discordSnowflake = plain(20, 'Discord ID').regex(
  /^[1-9]\d{16,19}$/,
  'a Discord ID is a 17-20 digit number (enable Developer Mode, then Copy User ID)',
);
export const slackUserId = plain(12, 'Slack user ID').regex(/^[UW][A-Z0-9]{8,11}$/, 'a Slack user ID looks like U0123ABCDEF');
export const slackChannelId = plain(12, 'Slack channel ID').regex(/^[CG][A-Z0-9]{8,11}$/, 'a Slack channel ID looks like C0123ABCDEF');
export const telegramChatId = plain(21, 'Telegram group ID').regex(/^-100\d{6,16}$/, 'a Telegram group ID looks like -1001234567890');

/** ntfy topic names: letters, digits, _ and -, 1-64. */
export const ntfyTopic = plain(64, 'ntfy topic').regex(/^[A-Za-z0-9_-]{1,64}$/, 'ntfy topics use letters, digits, _ and - only');

/** An https URL with a safe character set (ntfy server). */
export const httpsUrl = plain(512, 'URL').regex(
  /^https:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(\/[A-Za-z0-9._~/-]*)?$/,
  'URL must be https://host/path with no query or spaces',
);

/** A Telegram Bot API root (a self-hosted Bot API server): http(s)://host[:port][/path], without the /bot<TOKEN> part. */
export const botApiRoot = plain(200, 'Bot API root')
  .regex(/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(\/[A-Za-z0-9._~/-]*)?$/, 'apiRoot must be http(s)://host[:port][/path] with no query or spaces')
  .refine((u) => !/\/bot/i.test(u.replace(/^https?:\/\/[^/]+/, '')), 'apiRoot is the Bot API root only: leave out /bot<TOKEN>')
  .superRefine((u, ctx) => {
    const problem = botApiRootProblem(u);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** A Tailscale auth key's shape (checked when the value is read, never printed); the rule is SECRET_SHAPES.tailscaleAuthKey. */
export function isTailscaleAuthKey(s: string): boolean {
  return secretShapeProblem('tailscaleAuthKey', s) === null;
}

/** Ports in [start, end] collide with `p`. */
export function describeIssuePath(path: PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

/** A model id as OpenClaw writes it: "provider/model" (the model part may hold "/" and ":"). */
export const modelRef = plain(160, 'model').regex(
  /^[a-z0-9][a-z0-9-]{0,40}\/[A-Za-z0-9][A-Za-z0-9._:/-]{0,118}$/,
  'model must look like "anthropic/claude-opus-5" (provider, "/", model id)',
);

// ─── Off-server backups (backups.offsite, backups.ageRecipient) ─────────────

/** An age X25519 public key: "age1" and 58 bech32 characters (from `age-keygen`). */
export const ageRecipient = plain(200, 'backups.ageRecipient').regex(
  /^age1[02-9ac-hj-np-z]{58}$/,
  'backups.ageRecipient must be an age public key: "age1" and 58 lowercase letters/digits, as `age-keygen -y KEYFILE` prints it (never the AGE-SECRET-KEY-1… identity)',
);

/** A restic repository on an SFTP host, split up (the server connects with its own key). */
export interface SftpRepository {
  kind: 'sftp';
  user: string;
  host: string;
  port: number;
  path: string;
}
/** A restic repository on an S3-compatible store. */
export interface S3Repository {
  kind: 's3';
  endpoint: string;
  bucket: string;
}

const REPO_USER = /^[a-z_][a-z0-9._-]{0,31}$/i;
const REPO_PATH = /^[A-Za-z0-9._~/-]{1,1024}$/;
const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * Parses a restic repository string we support: `sftp:USER@HOST:PATH`, `sftp://USER@HOST[:PORT]/PATH`
 * or `s3:https://HOST[:PORT]/BUCKET[/PREFIX]`. Returns the parts, or why it cannot be used.
 */
export function parseResticRepository(s: string): SftpRepository | S3Repository | string {
  const hostOk = (h: string) => isIPv4(h) || (isHostname(h) && !h.startsWith('-'));
  const pathOk = (p: string) => REPO_PATH.test(p) && !p.split('/').some((c) => c === '..') && !p.startsWith('-');
  let m = /^sftp:\/\/([^@/]+)@([^/:]+)(?::(\d{1,5}))?\/(.*)$/.exec(s) ?? null;
  let port = 22;
  if (m) {
    port = m[3] === undefined ? 22 : Number(m[3]);
    if (port < 1 || port > 65535) return 'the port of an sftp:// repository must be between 1 and 65535';
  } else m = /^sftp:([^@/]+)@([^/:]+):(.*)$/.exec(s);
  if (m) {
    const [, user, host] = m;
    const path = m[m.length - 1] ?? '';
    if (!REPO_USER.test(user)) return `the SFTP user "${user.slice(0, 40)}" must look like a Unix user name (e.g. u123456)`;
    if (!hostOk(host)) return `the SFTP host "${host.slice(0, 80)}" must be a host name or an IPv4 address`;
    if (!pathOk(path))
      return 'the SFTP path may use only A-Z a-z 0-9 . _ ~ - / (no ".." parts), e.g. sftp:u123456@u123456.your-storagebox.de:/backups/openclaw';
    return { kind: 'sftp', user, host, port, path };
  }
  const s3 = /^s3:https:\/\/([A-Za-z0-9.-]+)(?::(\d{1,5}))?\/([^/]+)(\/[A-Za-z0-9._~/-]*)?$/.exec(s);
  if (s3) {
    if (!hostOk(s3[1])) return `the S3 endpoint "${s3[1].slice(0, 80)}" must be a host name`;
    if (s3[2] !== undefined && (Number(s3[2]) < 1 || Number(s3[2]) > 65535)) return 'the S3 endpoint port must be between 1 and 65535';
    if (!S3_BUCKET.test(s3[3])) return `the S3 bucket "${s3[3].slice(0, 70)}" must be 3-63 of a-z 0-9 . - (S3 bucket naming)`;
    if (s3[4] && s3[4].split('/').some((c) => c === '..')) return 'the S3 prefix must not hold ".." parts';
    return { kind: 's3', endpoint: `https://${s3[1]}${s3[2] ? `:${s3[2]}` : ''}`, bucket: s3[3] };
  }
  if (/^s3:/.test(s))
    return 'an S3 repository is s3:https://HOST/BUCKET[/PREFIX] (https only), e.g. s3:https://s3.eu-central-1.amazonaws.com/my-bucket/openclaw';
  return 'backups.offsite.repository must be sftp:USER@HOST:/PATH, sftp://USER@HOST:PORT/PATH or s3:https://HOST/BUCKET[/PREFIX]';
}

/** backups.offsite.repository: a restic repository claw-setup knows how to reach (see parseResticRepository). */
export const resticRepository = plain(1200, 'backups.offsite.repository').superRefine((s, ctx) => {
  if (s.length > 1200 || !SAFE_ASCII.test(s)) return;
  const r = parseResticRepository(s);
  if (typeof r === 'string') ctx.addIssue({ code: 'custom', message: r });
});

/** The SFTP host's public host key, as `ssh-keyscan` prints it without the host name: "ssh-ed25519 AAAA…". */
export const sshHostKey = plain(16384, 'backups.offsite.sftpHostKey').regex(
  /^(ssh-ed25519|ecdsa-sha2-nistp(256|384|521)|ssh-rsa) AAAA[A-Za-z0-9+/]{16,16000}={0,2}$/,
  'sftpHostKey is the storage host\'s public host key without its name, e.g. "ssh-ed25519 AAAAC3Nz…" (from `ssh-keyscan -t ed25519 HOST`)',
);
