import { z } from 'zod';
import { secretRef } from './secret-ref.js';
import * as v from './validators.js';
import { CHANNEL_TYPES, channelSecret, type ChannelType } from './rules.js';

/** The messaging channels of openclaw.channels: one strict object per channel type. */

/** A channel's credential field: a secret reference defaulting to the one in the rules table. */
const channelSecretRef = (type: ChannelType, field: string) => secretRef.default({ ...channelSecret(type, field).ref });

/** DM policies we configure. "open" is refused: a stranger could drive an agent that holds your keys. */
const dmPolicy = z.enum(['allowlist', 'pairing', 'disabled'], {
  error: 'dmPolicy must be "allowlist", "pairing" or "disabled" ("open" lets anyone on the network drive your agent)',
});

const telegram = z.strictObject({
  type: z.literal('telegram'),
  botToken: channelSecretRef('telegram', 'botToken'),
  dmPolicy: dmPolicy.default('allowlist'),
  allowFrom: z.array(v.telegramUserId).max(100).default([]),
  requireMention: z.boolean().default(true),
  groups: z.array(v.telegramChatId).max(100).default([]),
  /** A self-hosted Bot API server instead of api.telegram.org. */
  apiRoot: v.botApiRoot.optional(),
});
const whatsapp = z.strictObject({
  type: z.literal('whatsapp'),
  dmPolicy: dmPolicy.default('allowlist'),
  allowFrom: z.array(v.e164).max(100).default([]),
  requireMention: z.boolean().default(true),
});
const discord = z.strictObject({
  type: z.literal('discord'),
  token: channelSecretRef('discord', 'token'),
  dmPolicy: dmPolicy.default('allowlist'),
  allowFrom: z.array(v.discordSnowflake).max(100).default([]),
  requireMention: z.boolean().default(true),
  guilds: z.array(v.discordSnowflake).max(50).default([]),
});
const slack = z.strictObject({
  type: z.literal('slack'),
  botToken: channelSecretRef('slack', 'botToken'),
  appToken: channelSecretRef('slack', 'appToken'),
  dmPolicy: dmPolicy.default('allowlist'),
  allowFrom: z.array(v.slackUserId).max(100).default([]),
  requireMention: z.boolean().default(true),
  channels: z.array(v.slackChannelId).max(50).default([]),
});
export const channel = z.discriminatedUnion('type', [telegram, whatsapp, discord, slack], {
  error: `channel type must be one of ${CHANNEL_TYPES.map((t) => `"${t}"`).join(', ')}`,
});
export type Channel = z.infer<typeof channel>;
