import { CHANNEL_SECRETS, CHANNEL_TYPES, MAX_CHANNELS, type ChannelSecret, type ChannelType } from '../../answers/rules.js';
import type { Path } from '../wizard/draft.js';
import type { SecretSpec } from '../wizard/types.js';
import type { Walk } from '../wizard/walk.js';
import { secretSpec } from './secret-spec.js';

export const DONE = 'done';

const LABEL: Record<ChannelType, string> = {
  telegram: 'Telegram (bot token)',
  whatsapp: 'WhatsApp (pair with a QR code after setup)',
  discord: 'Discord (bot token)',
  slack: 'Slack (bot and app tokens)',
};

/** Per type: the ID list the allowlist takes, the optional room list. */
const SPEC: Record<ChannelType, { idHint: string; rooms?: [string, string] }> = {
  telegram: {
    idHint: 'numeric user IDs (ask @userinfobot), comma-separated',
    rooms: ['groups', 'Group IDs the bot may answer in (optional, -100…)'],
  },
  whatsapp: { idHint: 'phone numbers in +E.164 form, comma-separated' },
  discord: {
    idHint: 'user IDs (Developer Mode → Copy User ID), comma-separated',
    rooms: ['guilds', 'Server (guild) IDs the bot may answer in (optional)'],
  },
  slack: {
    idHint: 'member IDs like U0123ABCDEF, comma-separated',
    rooms: ['channels', 'Channel IDs the bot may answer in (optional, C…)'],
  },
};

/** The credentials a channel type asks for: [answers field, prompt, secret spec], all from CHANNEL_SECRETS. */
function secretsOf(type: ChannelType): [string, string, SecretSpec][] {
  return (CHANNEL_SECRETS[type] as readonly ChannelSecret[]).map((c) => [c.field, c.label, secretSpec({ name: c.envVar, kind: c.kind, ref: c.ref })]);
}

/** Add channels one at a time; each type asks its own fields. */
export function channelQuestions(w: Walk): void {
  const s = 'channels' as const;
  if (w.isProvided(['openclaw', 'channels'])) {
    const list = (w.get(['openclaw', 'channels']) as { type: string }[]) ?? [];
    w.given('openclaw.channels', s, 'Channels', list.map((c) => c.type).join(', ') || 'none');
    list.forEach((c, i) => {
      const known = (CHANNEL_TYPES as readonly string[]).includes(c.type);
      for (const [key, label, secret] of known ? secretsOf(c.type as ChannelType) : [])
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
      options: [
        { label: i === 0 ? 'no channel for now (add one later with add-channel)' : 'no more channels', value: DONE },
        ...left.map((t) => ({ label: LABEL[t], value: t })),
      ],
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
  for (const [key, label, secret] of secretsOf(type)) w.secret({ id: id(key), screen: s, path: [...base, key], label, secret });
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
