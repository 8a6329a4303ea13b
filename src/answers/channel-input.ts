import { CHANNEL_TYPES, type ChannelType } from './rules.js';
import { parseValue, setPath, validateAnswers } from './load.js';
import type { Channel } from './channel-schema.js';
import { answersSchema, type Answers } from './schema.js';
import { UserError } from '../core/errors.js';

/** Channel fields that hold lists: `--set allowFrom=123,456` splits on commas, numbers become strings. */
const LIST_FIELDS = new Set(['allowFrom', 'groups', 'guilds', 'channels']);

/** The channel type named by --type, checked against the table. */
export function channelTypeArg(raw: string | undefined, command: string): ChannelType {
  if (!raw) throw new UserError(`${command} needs --type`, `one of: ${CHANNEL_TYPES.join(', ')}`);
  if (!(CHANNEL_TYPES as readonly string[]).includes(raw))
    throw new UserError(`unknown channel type "${raw.slice(0, 40)}"`, `one of: ${CHANNEL_TYPES.join(', ')}`);
  return raw as ChannelType;
}

/**
 * One channel from `--type T --set FIELD=VALUE...`, validated with the same
 * schema and cross-field rules as an answers file (by placing it among the
 * deployed answers' channels, replacing one of the same type).
 */
export function channelFromFlags(type: ChannelType, sets: string[], deployed: Answers): Channel {
  const raw: Record<string, unknown> = { type };
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq < 1) throw new UserError(`--set ${s.slice(0, 60)}: expected FIELD=VALUE`, 'e.g. --set allowFrom=123456789 --set dmPolicy=allowlist');
    const field = s.slice(0, eq);
    if (field === 'type') throw new UserError('--set type: use --type');
    let value = parseValue(s.slice(eq + 1));
    const top = field.split('.')[0];
    if (LIST_FIELDS.has(top) && field === top) {
      const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [value];
      value = list.map((x) => (typeof x === 'number' ? String(x) : x)).map((x) => (typeof x === 'string' ? x.trim() : x)) as typeof value;
      if (Array.isArray(value)) value = value.filter((x) => x !== '');
    }
    setPath(raw as never, field, value);
  }
  const others = deployed.openclaw.channels.filter((c) => c.type !== type);
  const i = others.length;
  const candidate = { ...deployed, openclaw: { ...deployed.openclaw, channels: [...others, raw] } };
  let checked: Answers;
  try {
    checked = validateAnswers(candidate, `the ${type} channel`);
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    // Name the flags, not the position in the answers.
    throw new UserError(
      e.message.replaceAll(`openclaw.channels[${i}].`, '--set ').replaceAll(`openclaw.channels.${i}.`, '--set '),
      'fix the --set values above and run again',
    );
  }
  return checked.openclaw.channels[i];
}

/**
 * A rerun's answers: the channels the server's journal records (added with add-channel)
 * that these answers do not name are kept, so a rerun never drops a running channel.
 * Removing one is remove-channel's job.
 */
export function withDeployedChannels(a: Answers, journalAnswers: unknown): Answers {
  const r = answersSchema.safeParse(journalAnswers);
  if (!r.success) return a;
  const named = new Set(a.openclaw.channels.map((c) => c.type));
  const kept = r.data.openclaw.channels.filter((c) => !named.has(c.type));
  return kept.length ? { ...a, openclaw: { ...a.openclaw, channels: [...a.openclaw.channels, ...kept] } } : a;
}

/** What the guided add-channel says about each type: where the credentials come from and how to find an ID. */
export const CHANNEL_GUIDE: Record<ChannelType, { label: string; token: string | null; ids: string }> = {
  telegram: {
    label: 'Telegram',
    token: 'Open Telegram, talk to @BotFather, send /newbot and follow it; it answers with a token like 123456789:AA… (keep it secret).',
    ids: 'Your numeric Telegram user ID: send any message to @userinfobot and it replies with it (not your @username).',
  },
  whatsapp: {
    label: 'WhatsApp',
    token: null,
    ids: 'Phone numbers that may message the agent, in +E.164 form (+ country code and number, e.g. +15555550123).',
  },
  discord: {
    label: 'Discord',
    token: 'Discord Developer Portal → New Application → Bot → Reset Token; also turn on the Message Content intent there.',
    ids: 'Your Discord user ID: Settings → Advanced → Developer Mode on, then right-click your name → Copy User ID (17-20 digits).',
  },
  slack: {
    label: 'Slack',
    token:
      'api.slack.com/apps → your app: OAuth & Permissions gives the bot token (xoxb-…); Basic Information → App-Level Tokens (connections:write) gives the app token (xapp-…).',
    ids: 'Your Slack member ID: your profile → ⋮ → Copy member ID (looks like U0123ABCDEF).',
  },
};
