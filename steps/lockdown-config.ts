import JSON5 from 'json5';
import { TOOL_GROUPS } from '../src/answers/openclaw-tools.js';
import { UserError } from '../src/core/errors.js';

/**
 * The openclaw.json of a locked-down deployment, from the live one: every channel closed,
 * every risky tool denied, the operator terminal and inbound automation off. Everything
 * else (gateway auth, ports, models, the sandbox) stays as it is, so the gateway still
 * starts and the operator keeps the Control UI through the SSH tunnel with the new token.
 * Applying it twice gives the same text (a second lockdown changes nothing here).
 */

/**
 * What each channel of OpenClaw 2026.9.6 accepts (from `openclaw config schema --json`):
 * e enabled, d dmPolicy, g groupPolicy, D dm.enabled, G dm.groupEnabled, P dm.policy.
 * A channel missing here (none of these keys, or unknown to this table) loses its
 * section instead: a channel without a section does not start, and the snapshot has it.
 */
const CLOSABLE: Record<string, string> = {
  a2a: 'e',
  buzz: 'eg',
  clickclack: 'e',
  discord: 'edgDG',
  feishu: 'edg',
  googlechat: 'edgD',
  imessage: 'edg',
  irc: 'edg',
  line: 'edg',
  matrix: 'egDP',
  mattermost: 'edg',
  msteams: 'edg',
  'nextcloud-talk': 'edg',
  nostr: 'ed',
  'qa-channel': 'eg',
  raft: 'e',
  reef: 'e',
  signal: 'edg',
  slack: 'edgDG',
  sms: 'ed',
  telegram: 'edg',
  tlon: 'e',
  whatsapp: 'edg',
  zalo: 'edg',
  zalouser: 'edg',
};
/** Accounts (`channels.<type>.accounts.<id>`) take the channel's keys, except these. */
const ACCOUNT_EXCEPTIONS: Record<string, string> = { matrix: '' };
/** Keys of `channels` that are not channels. */
const NOT_CHANNELS = new Set(['defaults', 'modelByChannel']);

/**
 * Denied while locked: every tool group but `group:openclaw` (it holds session_status, the one tool
 * the token check calls; its dangerous members are denied through their own groups), and the
 * session tools one by one for the same reason. Deny wins over any allow, profile or per-agent rule.
 */
export const LOCKDOWN_DENY: readonly string[] = [
  ...Object.keys(TOOL_GROUPS).filter((g) => g !== 'group:openclaw' && g !== 'group:sessions'),
  ...TOOL_GROUPS['group:sessions'].filter((t) => t !== 'session_status'),
];

type Obj = Record<string, unknown>;
const isObject = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const obj = (x: unknown): Obj => (isObject(x) ? { ...x } : {});

/** One channel (or account) closed with the keys its schema has. */
function close(section: Obj, caps: string): Obj {
  const out = { ...section };
  if (caps.includes('e')) out.enabled = false;
  if (caps.includes('d')) out.dmPolicy = 'disabled';
  if (caps.includes('g')) out.groupPolicy = 'disabled';
  if (/[DGP]/.test(caps)) {
    const dm = obj(out.dm);
    if (caps.includes('D')) dm.enabled = false;
    if (caps.includes('G')) dm.groupEnabled = false;
    if (caps.includes('P')) dm.policy = 'disabled';
    out.dm = dm;
  }
  return out;
}

/** Telegram's per-group entries can set their own groupPolicy: closed too. */
function closeTelegramGroups(section: Obj): Obj {
  if (!isObject(section.groups)) return section;
  const groups = Object.fromEntries(Object.entries(section.groups).map(([id, g]) => [id, isObject(g) ? { ...g, enabled: false, groupPolicy: 'disabled' } : g]));
  return { ...section, groups };
}

function closeChannels(channels: Obj): { channels: Obj; removed: string[] } {
  const out: Obj = {};
  const removed: string[] = [];
  for (const [type, section] of Object.entries(channels)) {
    if (NOT_CHANNELS.has(type)) {
      out[type] = type === 'defaults' ? { ...obj(section), groupPolicy: 'disabled' } : section;
      continue;
    }
    const caps = CLOSABLE[type];
    if (!caps || !caps.includes('e') || !isObject(section)) {
      removed.push(type);
      continue;
    }
    let closed = close(section, caps);
    if (isObject(closed.accounts)) {
      const acaps = ACCOUNT_EXCEPTIONS[type] ?? caps;
      closed.accounts = Object.fromEntries(Object.entries(closed.accounts).map(([id, acc]) => [id, isObject(acc) ? close(acc, acaps) : acc]));
    }
    if (type === 'telegram') closed = closeTelegramGroups(closed);
    out[type] = closed;
  }
  return { channels: out, removed };
}

export function parseConfig(text: string, path: string): Obj {
  let config: unknown;
  try {
    config = JSON5.parse(text);
  } catch (e) {
    throw new UserError(`cannot read ${path} on the server: ${(e as Error).message.slice(0, 200)}`, 'fix the file by hand, then run again');
  }
  if (!isObject(config)) throw new UserError(`${path} on the server is not a JSON object`, 'fix the file by hand, then run again');
  return config;
}

export interface LockedConfig {
  text: string;
  /** Channel types whose section was removed (no `enabled` key to turn off). */
  removed: string[];
  /** Channel types closed in place. */
  closed: string[];
}

/** The locked config for the live `text`. */
export function lockedConfig(text: string, path: string): LockedConfig {
  const config = parseConfig(text, path);
  const next: Obj = { ...config };
  const { channels, removed } = closeChannels(obj(config.channels));
  if (isObject(config.channels)) next.channels = channels;
  const tools = obj(config.tools);
  // allow/alsoAllow would widen the minimal profile; deny wins anyway, they go for a clean audit.
  delete tools.allow;
  delete tools.alsoAllow;
  next.tools = {
    ...tools,
    profile: 'minimal',
    deny: [...new Set([...(Array.isArray(tools.deny) ? (tools.deny as string[]) : []), ...LOCKDOWN_DENY])],
    exec: { ...obj(tools.exec), security: 'deny', ask: 'always' },
    elevated: { ...obj(tools.elevated), enabled: false },
  };
  const gateway = obj(config.gateway);
  next.gateway = { ...gateway, terminal: { ...obj(gateway.terminal), enabled: false } };
  // Inbound webhooks and stored automations start agent runs with no message from anyone
  // (automations run by default, so cron is set even when the section is absent).
  if (isObject(config.hooks)) next.hooks = { ...config.hooks, enabled: false };
  next.cron = { ...obj(config.cron), enabled: false };
  const closed = Object.keys(channels).filter((t) => !NOT_CHANNELS.has(t));
  return { text: `${JSON.stringify(next, null, 2)}\n`, removed, closed };
}

/** The channels of a config that OpenClaw starts (a section, not `enabled: false`). */
export function enabledChannels(text: string, path: string): string[] {
  const channels = obj(parseConfig(text, path).channels);
  return Object.entries(channels)
    .filter(([t, s]) => !NOT_CHANNELS.has(t) && isObject(s) && s.enabled !== false)
    .map(([t]) => t);
}
