/**
 * One rule, one place. Every rule about a secret lives here once: what a value
 * of each kind must look like, which answers fields are secrets, the reference
 * each defaults to and the variable it is written to on the server. The zod
 * schema, the wizard's questions, the apply-time check (src/plan/secret-checks.ts),
 * the .env / openclaw.json / monitoring templates and the steps all read these
 * tables; none keeps a copy. Pure data and pure functions: no imports.
 */

// ─── Secret shapes ───────────────────────────────────────────────────────────

/** What a value of one kind of secret must look like. */
export interface SecretShape {
  /** Plain words for the value, used in messages: "a Tailscale auth key (tskey-auth-…)". */
  description: string;
  /** Fewest characters accepted. */
  minLength: number;
  /** Most characters accepted. */
  maxLength: number;
  /** The whole value must match, when set (anchored). */
  pattern: RegExp | null;
  /**
   * The value is written single-quoted into an env file (the compose `.env` or
   * monitoring.env): a quote, backslash, `$` or backtick could not be carried safely.
   */
  envFile: boolean;
}

/** Every secret value, whatever its kind: at most this long, printable ASCII only. */
export const SECRET_MAX_LENGTH = 4096;

const shape = (s: Partial<SecretShape> & Pick<SecretShape, 'description'>): SecretShape => ({
  minLength: 1,
  maxLength: SECRET_MAX_LENGTH,
  pattern: null,
  envFile: true,
  ...s,
});

/** Per kind of secret: lengths, pattern and the words used when a value is refused. */
export const SECRET_SHAPES = {
  /** Fed to chpasswd on stdin, never written to an env file. */
  sudoPassword: shape({ description: 'a sudo password of at least 12 characters', minLength: 12, envFile: false }),
  /** Written to a mode-600 file for `tailscale up --auth-key=file:`, never to an env file. */
  tailscaleAuthKey: shape({
    description: 'a Tailscale auth key (tskey-auth-…)',
    pattern: /^(?:tskey-(?:auth|client)-[A-Za-z0-9]{6,64}-[A-Za-z0-9]{10,128}|tskey-[A-Za-z0-9-]{20,200})$/,
    envFile: false,
  }),
  gatewayToken: shape({ description: 'a gateway token of at least 24 characters', minLength: 24 }),
  discordWebhook: shape({
    description: 'a Discord webhook URL (https://discord.com/api/webhooks/ID/TOKEN)',
    pattern: /^https:\/\/(?:discord\.com|discordapp\.com)\/api\/webhooks\/\d{5,25}\/[A-Za-z0-9_-]{20,100}$/,
  }),
  providerKey: shape({ description: 'a model provider API key' }),
  telegramBotToken: shape({
    description: 'a Telegram bot token (123456789:AA…, from @BotFather)',
    pattern: /^\d{5,}:[A-Za-z0-9_-]{20,}$/,
  }),
  discordBotToken: shape({ description: 'a Discord bot token' }),
  slackBotToken: shape({ description: 'a Slack bot token (xoxb-…)', pattern: /^xoxb-/ }),
  slackAppToken: shape({ description: 'a Slack app token (xapp-…)', pattern: /^xapp-/ }),
  /** Any other secret (a name this table does not know): generic checks only. */
  other: shape({ description: 'a secret value' }),
} as const satisfies Record<string, SecretShape>;
export type SecretKind = keyof typeof SECRET_SHAPES;

const NOT_PRINTABLE = /[^\x20-\x7e]/;
const NOT_ENV_FILE_SAFE = /['"\\$`]/;

/**
 * Why `value` cannot be a secret of this kind, as a phrase whose subject is the
 * secret ("is shorter than 12 characters"), or null when it can. Never echoes
 * the value. The wizard and the apply-time check both call this, so they refuse
 * exactly the same values with the same words.
 */
export function secretShapeProblem(kind: SecretKind, value: string): string | null {
  const r: SecretShape = SECRET_SHAPES[kind];
  if (value.length === 0) return 'is empty';
  if (value.length > r.maxLength) return `is longer than ${r.maxLength} characters`;
  if (NOT_PRINTABLE.test(value)) return 'holds a newline, tab or other control/non-ASCII character';
  if (value.length < r.minLength) return `is shorter than ${r.minLength} characters`;
  if (r.pattern && !r.pattern.test(value)) return `does not look like ${r.description}`;
  if (r.envFile && NOT_ENV_FILE_SAFE.test(value)) return 'holds a quote, backslash, $ or backtick, which the .env file cannot carry safely';
  return null;
}

// ─── Where each secret comes from and where it goes ─────────────────────────

/** A reference to an environment variable on the operator's machine (answers-file form). */
export interface EnvRef {
  env: string;
}

/** One secret that is not tied to a provider or a channel. */
export interface FixedSecret {
  /** The Secret's name: `<secret:NAME>` in output, and the key for values typed at a prompt. */
  name: string;
  kind: SecretKind;
  /** The reference the answers default to (or the wizard writes for a typed value). */
  ref: EnvRef;
  /** The variable it is written to on the server, or null when it goes nowhere as a variable. */
  envVar: string | null;
}

export const SECRETS = {
  sudoPassword: { name: 'SUDO_PASSWORD', kind: 'sudoPassword', ref: { env: 'CLAW_SUDO_PASSWORD' }, envVar: null },
  tailscaleAuthKey: { name: 'TS_AUTHKEY', kind: 'tailscaleAuthKey', ref: { env: 'TS_AUTHKEY' }, envVar: null },
  /** In the compose `.env`; openclaw.json refers to it. */
  gatewayToken: { name: 'OPENCLAW_GATEWAY_TOKEN', kind: 'gatewayToken', ref: { env: 'OPENCLAW_GATEWAY_TOKEN' }, envVar: 'OPENCLAW_GATEWAY_TOKEN' },
  /** In /etc/claw-setup/monitoring.env; the health script reads it. */
  discordWebhook: { name: 'DISCORD_WEBHOOK_URL', kind: 'discordWebhook', ref: { env: 'DISCORD_WEBHOOK_URL' }, envVar: 'DISCORD_WEBHOOK_URL' },
  /**
   * Anyone who knows the topic reads the alerts: a password in effect. In /etc/claw-setup/monitoring.env,
   * inside NTFY_URL (server + topic); the health script reads it. Its shape is the schema's (validators.ts).
   */
  ntfyTopic: { name: 'NTFY_TOPIC', kind: 'other', ref: { env: 'NTFY_TOPIC' }, envVar: null },
} as const satisfies Record<string, FixedSecret>;

/** A generated gateway token: this many random bytes, written as hex. */
export const GATEWAY_TOKEN_BYTES = 32;

// ─── Model providers ─────────────────────────────────────────────────────────

/**
 * Per model provider: the environment variable its key lands in on the server
 * (OpenClaw reads these names), also the reference the wizard writes for a key
 * typed at a prompt and the Secret's name.
 */
/**
 * Each model provider: the variable its API key goes in, and the model OpenClaw
 * 2026.9.6 itself names as that provider's default (its dist's DEFAULT_*_MODEL
 * constants and docs/providers/*.md). Without `agents.defaults.model` the
 * gateway picks openai/gpt-6-astra whatever keys it has, so the first message
 * fails when only another provider's key is set: claw-setup always writes one.
 * The order is the preference when several keys are given.
 */
export const PROVIDER_KEYS = {
  anthropic: { envVar: 'ANTHROPIC_API_KEY', defaultModel: 'anthropic/claude-opus-5' },
  openai: { envVar: 'OPENAI_API_KEY', defaultModel: 'openai/gpt-6-astra' },
  openrouter: { envVar: 'OPENROUTER_API_KEY', defaultModel: 'openrouter/auto' },
  google: { envVar: 'GEMINI_API_KEY', defaultModel: 'google/gemini-3.1-pro-preview' },
  mistral: { envVar: 'MISTRAL_API_KEY', defaultModel: 'mistral/mistral-large-latest' },
  groq: { envVar: 'GROQ_API_KEY', defaultModel: 'groq/openai/gpt-oss-120b' },
  xai: { envVar: 'XAI_API_KEY', defaultModel: 'xai/grok-4.7' },
} as const satisfies Record<string, { envVar: string; defaultModel: string }>;
export type ProviderName = keyof typeof PROVIDER_KEYS;
export const PROVIDER_NAMES = Object.keys(PROVIDER_KEYS) as ProviderName[];

/**
 * The agents' model for the providers given: the chosen one (or the first
 * provider's default for "auto") as primary, the other providers' defaults as
 * fallbacks. Null when no provider key is given (the gateway then cannot answer).
 */
export function agentModel(providers: readonly string[], model: string): { primary: string; fallbacks: string[] } | null {
  const given = PROVIDER_NAMES.filter((p) => providers.includes(p));
  if (given.length === 0) return null;
  const defaults = given.map((p) => PROVIDER_KEYS[p].defaultModel as string);
  const primary = model === 'auto' ? defaults[0] : model;
  return { primary, fallbacks: defaults.filter((m) => m !== primary) };
}
export const PROVIDER_KIND: SecretKind = 'providerKey';

// ─── Channels ────────────────────────────────────────────────────────────────

/** One credential field of a channel. */
export interface ChannelSecret {
  /** The field in the answers' channel entry, also the key in openclaw.json's channel section. */
  field: string;
  kind: SecretKind;
  /** The wizard's prompt. */
  label: string;
  /** The reference the answers default to. */
  ref: EnvRef;
  /** The compose `.env` variable it is written to (the openclaw.json SecretRef id, and the Secret's name). */
  envVar: string;
}

/** Per channel type, in the order the wizard offers them: its credentials (none for WhatsApp: QR login). */
export const CHANNEL_SECRETS = {
  telegram: [
    {
      field: 'botToken',
      kind: 'telegramBotToken',
      label: 'Telegram bot token (from @BotFather)',
      ref: { env: 'TELEGRAM_BOT_TOKEN' },
      envVar: 'TELEGRAM_BOT_TOKEN',
    },
  ],
  whatsapp: [],
  discord: [{ field: 'token', kind: 'discordBotToken', label: 'Discord bot token', ref: { env: 'DISCORD_BOT_TOKEN' }, envVar: 'DISCORD_BOT_TOKEN' }],
  slack: [
    { field: 'botToken', kind: 'slackBotToken', label: 'Slack bot token (xoxb-…)', ref: { env: 'SLACK_BOT_TOKEN' }, envVar: 'SLACK_BOT_TOKEN' },
    { field: 'appToken', kind: 'slackAppToken', label: 'Slack app token (xapp-…)', ref: { env: 'SLACK_APP_TOKEN' }, envVar: 'SLACK_APP_TOKEN' },
  ],
} as const satisfies Record<string, readonly ChannelSecret[]>;
export type ChannelType = keyof typeof CHANNEL_SECRETS;
export const CHANNEL_TYPES = ['telegram', 'whatsapp', 'discord', 'slack'] as const satisfies readonly ChannelType[];

/** One channel secret by type and field (throws on a field the table does not list). */
export function channelSecret(type: ChannelType, field: string): ChannelSecret {
  const s = (CHANNEL_SECRETS[type] as readonly ChannelSecret[]).find((x) => x.field === field);
  if (!s) throw new Error(`internal: ${type} has no secret field ${field}`);
  return s;
}

/** At most this many channel entries (one per type, so the wizard never reaches it). */
export const MAX_CHANNELS = 10;

// ─── Lookup by Secret name (the apply-time check) ────────────────────────────

const KIND_BY_NAME: ReadonlyMap<string, SecretKind> = new Map<string, SecretKind>([
  ...Object.values(SECRETS).map((s): [string, SecretKind] => [s.name, s.kind]),
  ...Object.values(PROVIDER_KEYS).map((p): [string, SecretKind] => [p.envVar, PROVIDER_KIND]),
  ...Object.values(CHANNEL_SECRETS).flatMap((list) => (list as readonly ChannelSecret[]).map((c): [string, SecretKind] => [c.envVar, c.kind])),
]);

/** The kind of a Secret by its name (SUDO_PASSWORD, TELEGRAM_BOT_TOKEN, …); "other" for a name not in these tables. */
export function secretKindOf(name: string): SecretKind {
  return KIND_BY_NAME.get(name) ?? 'other';
}
