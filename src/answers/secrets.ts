import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { Secret } from '../core/secret.js';
import { OFFSITE_SECRETS } from './backups-schema.js';
import type { Channel } from './channel-schema.js';
import type { Answers } from './schema.js';
import type { SecretRef } from './secret-ref.js';
import { CHANNEL_SECRETS, GATEWAY_TOKEN_BYTES, PROVIDER_KEYS, SECRETS, type ChannelSecret, type ProviderName } from './rules.js';

/**
 * Every secret the plan may need, as lazy Secret objects. Nothing is read
 * here: the env var or file is read only when the executor reveals the value,
 * so a dry-run never touches a secret.
 */
export interface Secrets {
  sudoPassword: Secret;
  tailscaleAuthKey: Secret;
  gatewayToken: Secret;
  providers: Partial<Record<ProviderName, Secret>>;
  /** Channel credentials by env-file variable name (TELEGRAM_BOT_TOKEN, …). */
  channels: Record<string, Secret>;
  discordWebhook: Secret | null;
  /** The ntfy topic (a password for the alert feed): from its reference, or the topic an answers file wrote inline. */
  ntfyTopic?: Secret | null;
  /** The off-server backup copy's secrets (backups.offsite), when configured. */
  offsite?: OffsiteSecrets | null;
}

/** restic's repository password, and the S3 credentials for an s3: repository. */
export interface OffsiteSecrets {
  password: Secret;
  s3AccessKeyId: Secret | null;
  s3SecretAccessKey: Secret | null;
}

export function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? homedir() + p.slice(1) : p;
}

/** A Secret that loads from the reference: env var or file (trailing newline trimmed). */
export function secretFromRef(name: string, ref: SecretRef, env: NodeJS.ProcessEnv = process.env): Secret {
  if ('env' in ref) {
    return new Secret(name, `environment variable ${ref.env}`, () => {
      const v = env[ref.env];
      if (v === undefined || v === '') throw new Error(`environment variable ${ref.env} is not set`);
      return v;
    });
  }
  return new Secret(name, `file ${ref.file}`, () => readFileSync(expandHome(ref.file), 'utf8').replace(/\r?\n$/, ''));
}

/** The env-file variables a channel needs, with their references (from CHANNEL_SECRETS in rules.ts). */
export function channelSecretRefs(c: Channel): [string, SecretRef][] {
  const fields = c as unknown as Record<string, SecretRef>;
  return (CHANNEL_SECRETS[c.type] as readonly ChannelSecret[]).map((s) => [s.envVar, fields[s.field]]);
}

/** Builds the lazy secrets for a set of answers. `overrides` holds values typed at prompts. */
export function secretsFor(a: Answers, env: NodeJS.ProcessEnv = process.env, overrides: Record<string, Secret> = {}): Secrets {
  const pick = (name: string, ref: SecretRef) => overrides[name] ?? secretFromRef(name, ref, env);
  const providers: Partial<Record<ProviderName, Secret>> = {};
  for (const [p, ref] of Object.entries(a.openclaw.providers) as [ProviderName, SecretRef | undefined][]) {
    if (ref) providers[p] = pick(PROVIDER_KEYS[p].envVar, ref);
  }
  const channels: Record<string, Secret> = {};
  for (const c of a.openclaw.channels) for (const [name, ref] of channelSecretRefs(c)) channels[name] = pick(name, ref);
  const token = a.openclaw.gatewayToken;
  const gw = SECRETS.gatewayToken.name;
  return {
    sudoPassword: pick(SECRETS.sudoPassword.name, a.deployUser.sudoPassword),
    tailscaleAuthKey: pick(SECRETS.tailscaleAuthKey.name, a.tailscale.authKey),
    gatewayToken:
      overrides[gw] ??
      (token === 'generate'
        ? new Secret(gw, `generated (${GATEWAY_TOKEN_BYTES} random bytes)`, () => randomBytes(GATEWAY_TOKEN_BYTES).toString('hex'))
        : secretFromRef(gw, token, env)),
    providers,
    channels,
    discordWebhook: a.monitoring.discordWebhook ? pick(SECRETS.discordWebhook.name, a.monitoring.discordWebhook) : null,
    ntfyTopic: ntfyTopicSecret(a, pick),
    offsite: offsiteSecrets(a, pick),
  };
}

function ntfyTopicSecret(a: Answers, pick: (name: string, ref: SecretRef) => Secret): Secret | null {
  const t = a.monitoring.ntfyTopic;
  const name = SECRETS.ntfyTopic.name;
  if (t === null) return null;
  return typeof t === 'string' ? Secret.of(name, t, 'the answers (written inline)') : pick(name, t);
}

/**
 * The answers with every secret given inline replaced by its reference, for what is written down:
 * the saved answers file and the server's journal. Today only the ntfy topic may be inline (answers
 * files from before it was a secret, and the wizard's text field); it becomes `{ env: "NTFY_TOPIC" }`.
 */
export function withoutInlineSecrets(a: Answers): Answers {
  if (typeof a.monitoring.ntfyTopic !== 'string') return a;
  return { ...a, monitoring: { ...a.monitoring, ntfyTopic: { ...SECRETS.ntfyTopic.ref } } };
}

/** The inline secrets withoutInlineSecrets takes out, as label and the reference that replaces each. */
export function inlineSecretRefs(a: Answers): { label: string; ref: SecretRef }[] {
  return typeof a.monitoring.ntfyTopic === 'string' ? [{ label: 'ntfy topic for alerts', ref: { ...SECRETS.ntfyTopic.ref } }] : [];
}

function offsiteSecrets(a: Answers, pick: (name: string, ref: SecretRef) => Secret): OffsiteSecrets | null {
  const o = a.backups.offsite;
  if (!o) return null;
  const opt = (s: { name: string }, ref: SecretRef | undefined) => (ref ? pick(s.name, ref) : null);
  return {
    password: pick(OFFSITE_SECRETS.password.name, o.password),
    s3AccessKeyId: opt(OFFSITE_SECRETS.s3AccessKeyId, o.s3AccessKeyId),
    s3SecretAccessKey: opt(OFFSITE_SECRETS.s3SecretAccessKey, o.s3SecretAccessKey),
  };
}

/** Every Secret in the bundle (for redaction of process output). */
export function allSecrets(s: Secrets): Secret[] {
  return [
    s.sudoPassword,
    s.tailscaleAuthKey,
    s.gatewayToken,
    ...Object.values(s.providers),
    ...Object.values(s.channels),
    ...(s.discordWebhook ? [s.discordWebhook] : []),
    ...(s.ntfyTopic ? [s.ntfyTopic] : []),
    ...(s.offsite ? [s.offsite.password, s.offsite.s3AccessKeyId, s.offsite.s3SecretAccessKey] : []),
  ].filter((x): x is Secret => !!x);
}
