import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { Secret } from '../core/secret.js';
import { PROVIDER_ENV, type Answers, type Channel, type ProviderName, type SecretRef } from './schema.js';

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

/** The env-file variables a channel needs, with their references. */
export function channelSecretRefs(c: Channel): [string, SecretRef][] {
  switch (c.type) {
    case 'telegram':
      return [['TELEGRAM_BOT_TOKEN', c.botToken]];
    case 'discord':
      return [['DISCORD_BOT_TOKEN', c.token]];
    case 'slack':
      return [
        ['SLACK_BOT_TOKEN', c.botToken],
        ['SLACK_APP_TOKEN', c.appToken],
      ];
    case 'whatsapp':
      return [];
  }
}

/** Builds the lazy secrets for a set of answers. `overrides` holds values typed at prompts. */
export function secretsFor(a: Answers, env: NodeJS.ProcessEnv = process.env, overrides: Record<string, Secret> = {}): Secrets {
  const pick = (name: string, ref: SecretRef) => overrides[name] ?? secretFromRef(name, ref, env);
  const providers: Partial<Record<ProviderName, Secret>> = {};
  for (const [p, ref] of Object.entries(a.openclaw.providers) as [ProviderName, SecretRef | undefined][]) {
    if (ref) providers[p] = pick(PROVIDER_ENV[p], ref);
  }
  const channels: Record<string, Secret> = {};
  for (const c of a.openclaw.channels) for (const [name, ref] of channelSecretRefs(c)) channels[name] = pick(name, ref);
  const token = a.openclaw.gatewayToken;
  return {
    sudoPassword: pick('SUDO_PASSWORD', a.deployUser.sudoPassword),
    tailscaleAuthKey: pick('TS_AUTHKEY', a.tailscale.authKey),
    gatewayToken:
      overrides.OPENCLAW_GATEWAY_TOKEN ??
      (token === 'generate'
        ? new Secret('OPENCLAW_GATEWAY_TOKEN', 'generated (32 random bytes)', () => randomBytes(32).toString('hex'))
        : secretFromRef('OPENCLAW_GATEWAY_TOKEN', token, env)),
    providers,
    channels,
    discordWebhook: a.monitoring.discordWebhook ? pick('DISCORD_WEBHOOK_URL', a.monitoring.discordWebhook) : null,
  };
}

/** Every Secret in the bundle (for redaction of process output). */
export function allSecrets(s: Secrets): Secret[] {
  return [
    s.sudoPassword, s.tailscaleAuthKey, s.gatewayToken,
    ...Object.values(s.providers), ...Object.values(s.channels),
    ...(s.discordWebhook ? [s.discordWebhook] : []),
  ].filter((x): x is Secret => !!x);
}
