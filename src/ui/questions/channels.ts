import { CHANNEL_TYPES, type Channel } from '../../answers/schema.js';
import type { Path } from '../wizard/draft.js';
import type { SecretSpec } from '../wizard/types.js';
import type { Walk } from '../wizard/walk.js';

type ChannelType = Channel['type'];
export const DONE = 'done';
const MAX_CHANNELS = 10;

const LABEL: Record<ChannelType, string> = {
  telegram: 'Telegram (bot token)',
  whatsapp: 'WhatsApp (pair with a QR code after setup)',
  discord: 'Discord (bot token)',
  slack: 'Slack (bot and app tokens)',
};

/** Per type: the secrets it needs, the ID list the allowlist takes, the optional room list. */
const SPEC: Record<ChannelType, { secrets: [string, string, SecretSpec][]; idHint: string; rooms?: [string, string] }> = {
  telegram: {
    secrets: [['botToken', 'Telegram bot token (from @BotFather)', { name: 'TELEGRAM_BOT_TOKEN', ref: { env: 'TELEGRAM_BOT_TOKEN' }, check: (t) => (/^\d{5,}:[A-Za-z0-9_-]{20,}$/.test(t) ? null : 'a bot token looks like 123456789:AA… (from @BotFather)') }]],
    idHint: 'numeric user IDs (ask @userinfobot), comma-separated',
    rooms: ['groups', 'Group IDs the bot may answer in (optional, -100…)'],
  },
  whatsapp: { secrets: [], idHint: 'phone numbers in +E.164 form, comma-separated' },
  discord: {
    secrets: [['token', 'Discord bot token', { name: 'DISCORD_BOT_TOKEN', ref: { env: 'DISCORD_BOT_TOKEN' } }]],
    idHint: 'user IDs (Developer Mode → Copy User ID), comma-separated',
    rooms: ['guilds', 'Server (guild) IDs the bot may answer in (optional)'],
  },
  slack: {
    secrets: [
      ['botToken', 'Slack bot token (xoxb-…)', { name: 'SLACK_BOT_TOKEN', ref: { env: 'SLACK_BOT_TOKEN' }, check: (t) => (t.startsWith('xoxb-') ? null : 'a Slack bot token starts with xoxb-') }],
      ['appToken', 'Slack app token (xapp-…)', { name: 'SLACK_APP_TOKEN', ref: { env: 'SLACK_APP_TOKEN' }, check: (t) => (t.startsWith('xapp-') ? null : 'a Slack app token starts with xapp-') }],
    ],
    idHint: 'member IDs like U0123ABCDEF, comma-separated',
    rooms: ['channels', 'Channel IDs the bot may answer in (optional, C…)'],
  },
};

/** Add channels one at a time; each type asks its own fields. */
export function channelQuestions(w: Walk): void {
  const s = 'channels' as const;
  if (w.isProvided(['openclaw', 'channels'])) {
    const list = (w.get(['openclaw', 'channels']) as { type: string }[]) ?? [];
    w.given('openclaw.channels', s, 'Channels', list.map((c) => c.type).join(', ') || 'none');
    list.forEach((c, i) => {
      const spec = SPEC[c.type as ChannelType];
      for (const [key, label, secret] of spec?.secrets ?? [])
        w.secret({ id: `channels.${i}.${c.type}.${key}`, screen: s, path: ['openclaw', 'channels', i, key], label, secret });
    });
    return;
  }
  w.set(['openclaw', 'channels'], []);
  const added: ChannelType[] = [];
  for (let i = 0; i < MAX_CHANNELS; i++) {
    const left = CHANNEL_TYPES.filter((t) => !added.includes(t));
    if (!left.length) break;
    const pick = w.choose({
      id: `channels.add.${i}`,
      screen: s,
      kind: 'select',
      label: i === 0 ? 'Add a messaging channel?' : 'Add another channel?',
      options: [{ label: i === 0 ? 'no channel for now (add one later with add-channel)' : 'no more channels', value: DONE }, ...left.map((t) => ({ label: LABEL[t], value: t }))],
      initial: DONE,
    });
    if (pick === DONE || typeof pick !== 'string') break;
    const type = pick as ChannelType;
    added.push(type);
    channelFields(w, i, type);
  }
}

function channelFields(w: Walk, i: number, type: ChannelType): void {
  const s = 'channels' as const;
  const base: Path = ['openclaw', 'channels', i];
  const id = (k: string) => `channels.${i}.${type}.${k}`;
  w.set(base, { type });
  const spec = SPEC[type];
  for (const [key, label, secret] of spec.secrets) w.secret({ id: id(key), screen: s, path: [...base, key], label, secret });
  const policy = w.ask({
    id: id('dmPolicy'),
    screen: s,
    kind: 'select',
    path: [...base, 'dmPolicy'],
    label: `Who may message the ${type} bot directly?`,
    options: [
      { label: 'only the IDs I list (allowlist)', value: 'allowlist' },
      { label: 'anyone who completes pairing (you approve each)', value: 'pairing' },
      { label: 'nobody (direct messages off)', value: 'disabled' },
    ],
  });
  w.ask({
    id: id('allowFrom'),
    screen: s,
    kind: 'list',
    path: [...base, 'allowFrom'],
    label: 'Allowed senders',
    hint: spec.idHint,
    optional: policy !== 'allowlist',
    required: policy === 'allowlist' ? 'an allowlist needs at least one ID (otherwise every message is dropped)' : undefined,
  });
  w.ask({ id: id('requireMention'), screen: s, kind: 'bool', path: [...base, 'requireMention'], label: 'In groups, answer only when mentioned?' });
  if (spec.rooms) w.ask({ id: id(spec.rooms[0]), screen: s, kind: 'list', path: [...base, spec.rooms[0]], label: spec.rooms[1], optional: true });
}
