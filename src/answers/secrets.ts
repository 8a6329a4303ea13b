import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { Secret } from '../core/secret.js';
import type { Answers, Channel, SecretRef } from './schema.js';
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
  ].filter((x): x is Secret => !!x);
}
