import { isIP } from 'node:net';
import { z } from 'zod';

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
  'root', 'daemon', 'bin', 'sys', 'sync', 'games', 'man', 'lp', 'mail', 'news', 'uucp', 'proxy', 'www-data',
  'backup', 'list', 'irc', 'gnats', 'nobody', 'systemd-network', 'systemd-resolve', 'systemd-timesync',
  'messagebus', 'syslog', 'sshd', '_apt', 'tss', 'uuidd', 'tcpdump', 'landscape', 'pollinate', 'fwupd-refresh',
  'usbmux', 'lxd', 'dnsmasq', 'polkitd', 'systemd-coredump', 'systemd-oom', 'tailscale', 'docker', 'node',
  'sudo', 'adm', 'admin', 'staff', 'users', 'nogroup', 'operator', 'halt', 'shutdown', 'ubuntu', 'debian',
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

export const ipAddress = plain(45, 'IP address').refine((s) => isIPv4(s) || isIPv6(s), 'not an IPv4 or IPv6 address (e.g. 203.0.113.7)');
export const ipOrCidr = plain(49, 'IP address or CIDR').refine(
  (s) => isIPv4(s) || isIPv6(s) || isCidr(s),
  'not an IP address or CIDR range (e.g. 203.0.113.7 or 203.0.113.0/24)',
);

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;
export function isHostname(s: string): boolean {
  if (s.length > 253 || s.length === 0) return false;
  const labels = s.replace(/\.$/, '').split('.');
  return labels.every((l) => LABEL.test(l));
}

/** A host to connect to: an IP address or a DNS name (or an ~/.ssh/config alias, which is hostname-shaped). */
export const host = plain(NAME_MAX, 'host').refine((s) => isIPv4(s) || isIPv6(s) || isHostname(s), 'host must be an IP address or a host name like vps.example.com');

/** A public DNS domain with at least two labels and a letter TLD (for Caddy / Let's Encrypt). */
export const domain = plain(NAME_MAX, 'domain').refine(
  (s) => isHostname(s) && s.includes('.') && /\.[a-z]{2,63}$/i.test(s) && !isIPv4(s),
  'domain must be a DNS name like claw.example.com',
);

export const email = plain(254, 'email').regex(/^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]+\.[A-Za-z]{2,63}$/, 'not an email address (e.g. you@example.com)');

/** An absolute path on the server: no spaces, quotes, globs or `..`. */
export const absPath = plain(4096, 'path')
  .regex(/^\/[A-Za-z0-9._\/-]*$/, 'path must be absolute and use only A-Z a-z 0-9 . _ - / (e.g. /var/backups/openclaw)')
  .refine((s) => !s.split('/').includes('..'), 'path must not contain ".."')
  .refine((s) => s !== '/' && !s.includes('//'), 'path must not be / or contain //');

/** A local path the operator typed (key files, secret files): "~/" allowed, no control characters. */
export const localPath = plain(4096, 'local path')
  .regex(/^(~\/|\/|\.{1,2}\/|[A-Za-z0-9_])[A-Za-z0-9._\/@+-]*$/, 'local path may use only A-Z a-z 0-9 . _ - / @ + and may start with ~/')
  .refine((s) => !s.startsWith('-'), 'path must not start with "-"');

/** "10m", "1h", "30s", "7d", "2w". */
export const duration = plain(12, 'duration').regex(/^[1-9]\d{0,6}[smhdw]$/, 'duration must be a number and a unit s, m, h, d or w (e.g. "10m")');

export function durationSeconds(d: string): number {
  const n = Number(d.slice(0, -1));
  const unit = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 }[d.slice(-1) as 's'];
  return n * unit;
}

/** 24-hour "HH:MM". */
export const timeOfDay = plain(5, 'time').regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'time must be HH:MM in 24-hour form (e.g. "03:00")');

export const semverish = plain(40, 'version').regex(/^\d{4}\.\d{1,2}\.\d{1,2}(-[a-z0-9.]{1,20})?$/, 'OpenClaw version must look like 2026.9.6');

/** Environment variable names for secret references. */
export const envName = plain(128, 'environment variable name').regex(/^[A-Z][A-Z0-9_]{0,127}$/, 'environment variable names use A-Z, 0-9 and _ and start with a letter');

export const telegramUserId = plain(20, 'Telegram user ID').regex(/^[1-9]\d{4,19}$/, 'a Telegram user ID is a number such as 123456789 (ask @userinfobot); not a @username');
export const e164 = plain(16, 'phone number').regex(/^\+[1-9]\d{6,14}$/, 'phone numbers use E.164 form: + then country code and number, e.g. +15555550123');
export const discordSnowflake = plain(20, 'Discord ID').regex(/^[1-9]\d{16,19}$/, 'a Discord ID is a 17-20 digit number (enable Developer Mode, then Copy User ID)');
export const slackUserId = plain(12, 'Slack user ID').regex(/^[UW][A-Z0-9]{8,11}$/, 'a Slack user ID looks like U0123ABCDEF');
export const slackChannelId = plain(12, 'Slack channel ID').regex(/^[CG][A-Z0-9]{8,11}$/, 'a Slack channel ID looks like C0123ABCDEF');
export const telegramChatId = plain(21, 'Telegram group ID').regex(/^-100\d{6,16}$/, 'a Telegram group ID looks like -1001234567890');

/** ntfy topic names: letters, digits, _ and -, 1-64. */
export const ntfyTopic = plain(64, 'ntfy topic').regex(/^[A-Za-z0-9_-]{1,64}$/, 'ntfy topics use letters, digits, _ and - only');

/** An https URL with a safe character set (ntfy server). */
export const httpsUrl = plain(512, 'URL').regex(/^https:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(\/[A-Za-z0-9._~\/-]*)?$/, 'URL must be https://host/path with no query or spaces');

/** A Tailscale auth key's shape (checked when the value is read, never printed). */
export function isTailscaleAuthKey(s: string): boolean {
  return /^tskey-(auth|client)-[A-Za-z0-9]{6,64}-[A-Za-z0-9]{10,128}$/.test(s) || /^tskey-[A-Za-z0-9-]{20,200}$/.test(s);
}

/** Ports in [start, end] collide with `p`. */
export function describeIssuePath(path: PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('');
}
