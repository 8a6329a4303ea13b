import { z } from 'zod';
import { secretShapeProblem } from './rules.js';
import { botApiRootProblem } from './field-checks.js';
import { isIPv4, isIPv6 } from './ip-ranges.js';
import { plain } from './plain-text.js';

/**
 * Field validators shared by the answers file, flags and the wizard.
 * Every user-typed value passes one of these before any plan exists, so no
 * shell metacharacter, newline or oversized value reaches a command or config.
 */

const NAME_MAX = 253;

/** Accounts that exist on stock Ubuntu/Debian images and must not become the deploy user. */
const SYSTEM_ACCOUNTS = new Set([
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

/** A model id as OpenClaw writes it: "provider/model" (the model part may hold "/" and ":"). */
export const modelRef = plain(160, 'model').regex(
  /^[a-z0-9][a-z0-9-]{0,40}\/[A-Za-z0-9][A-Za-z0-9._:/-]{0,118}$/,
  'model must look like "anthropic/claude-opus-5" (provider, "/", model id)',
);
