import JSON5 from 'json5';
import type { Channel } from '../src/answers/channel-schema.js';
import type { Answers } from '../src/answers/schema.js';
import { agentModel, CHANNEL_SECRETS, SECRETS, type ChannelSecret } from '../src/answers/rules.js';
import { BASE_URL_API } from '../src/answers/openclaw-schema.js';
import { COMPOSE_GATEWAY_IP } from '../src/plan/paths.js';
import { CONTAINER_GATEWAY_PORT, execDenied } from './gateway-shared.js';

/**
 * openclaw.json for OpenClaw 2026.9.6, whose schema is strict: an unknown key makes
 * the gateway refuse to start. Every key emitted here was checked against
 * `openclaw config schema --json` of 2026.9.6, and test/openclaw-validate.test.ts
 * runs the real `openclaw config validate` and `security audit` on the output.
 * Secrets never appear: they are `{ source: "env" }` SecretRefs resolved from .env.
 */

/** OpenClaw's SecretRef for an environment variable. */
export interface EnvSecretRef {
  source: 'env';
  provider: 'default';
  id: string;
}

/** A SecretRef to an environment variable of the gateway container (filled from .env). */
export function envRef(id: string): EnvSecretRef {
  return { source: 'env', provider: 'default', id };
}

/** Browser origins allowed to open the Control UI, per access mode. */
export function allowedOrigins(a: Answers): string[] {
  const port = a.openclaw.gatewayPort;
  const origins = [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
  if (a.access.mode === 'tailscale-serve') origins.push(`https://${a.tailscale.hostname}.${a.access.tailnetDomain}`);
  if (a.access.mode === 'caddy') origins.push(`https://${a.access.domain}`);
  return origins;
}

function toolsConfig(a: Answers): Record<string, unknown> {
  const deny = a.openclaw.tools.deny;
  const tools: Record<string, unknown> = {
    profile: a.openclaw.tools.profile,
    deny: [...deny],
    elevated: { enabled: false },
    fs: { workspaceOnly: true },
    // Upstream's hardened baseline: sessions only see their own agent, no agent-to-agent messaging.
    sessions: { visibility: 'agent' },
    agentToAgent: { enabled: false },
  };
  // Belt and braces when exec is denied by name; when the user allowed exec we
  // leave its policy at OpenClaw's defaults rather than silently contradicting them.
  if (execDenied(a)) tools.exec = { security: 'deny', ask: 'always' };
  return tools;
}

/** The agents' model: always set when a provider key is given (OpenClaw's own default ignores which keys exist). */
function modelConfig(a: Answers): { model?: { primary: string; fallbacks?: string[] } } {
  const m = agentModel(Object.keys(a.openclaw.providers), a.openclaw.model);
  if (!m) return {};
  return { model: { primary: m.primary, ...(m.fallbacks.length ? { fallbacks: m.fallbacks } : {}) } };
}

/**
 * Providers reached at another base URL. "merge" keeps OpenClaw's catalog for everything else; the
 * key still comes from the provider's usual variable. OpenClaw trusts exactly that origin for model
 * calls, so a private address needs no `request.allowPrivateNetwork`.
 */
function modelsConfig(a: Answers): { models?: object } {
  const urls = Object.entries(a.openclaw.providerBaseUrls).filter((e): e is [keyof typeof BASE_URL_API, string] => e[1] !== undefined);
  if (urls.length === 0) return {};
  return { models: { mode: 'merge', providers: Object.fromEntries(urls.map(([p, baseUrl]) => [p, { baseUrl, api: BASE_URL_API[p] }])) } };
}

function sandboxConfig(a: Answers): Record<string, unknown> {
  const { mode, network } = a.openclaw.sandbox;
  if (mode === 'off') return { mode };
  return { mode, scope: 'agent', workspaceAccess: 'none', docker: { network } };
}

/** A channel's credential keys, each a SecretRef to the .env variable the rules table names for it. */
function credentialRefs(type: Channel['type']): Record<string, EnvSecretRef> {
  return Object.fromEntries((CHANNEL_SECRETS[type] as readonly ChannelSecret[]).map((s) => [s.field, envRef(s.envVar)]));
}

function mentionGroups(ids: readonly string[], requireMention: boolean): Record<string, { requireMention: boolean }> {
  return Object.fromEntries(ids.map((id) => [id, { requireMention }]));
}

/**
 * One channel's section. Groups are fail-closed: groupPolicy "allowlist", and a
 * group is only admitted when its sender allowlist is non-empty. Configured group
 * or channel IDs are admitted by ID; with none configured Telegram and WhatsApp
 * admit any group ("*") but only the allowlisted users in it can trigger the bot.
 */
export function channelConfig(c: Channel): Record<string, unknown> {
  const base = { enabled: true, dmPolicy: c.dmPolicy, allowFrom: [...c.allowFrom] };
  const senders = c.allowFrom.length > 0;
  switch (c.type) {
    case 'telegram':
      return {
        ...base,
        ...credentialRefs('telegram'),
        ...(c.apiRoot && { apiRoot: c.apiRoot }),
        groupPolicy: 'allowlist',
        ...(senders && {
          groupAllowFrom: [...c.allowFrom],
          groups: mentionGroups(c.groups.length > 0 ? c.groups : ['*'], c.requireMention),
        }),
      };
    case 'whatsapp':
      return {
        ...base,
        ...credentialRefs('whatsapp'),
        groupPolicy: 'allowlist',
        ...(senders && { groupAllowFrom: [...c.allowFrom], groups: mentionGroups(['*'], c.requireMention) }),
      };
    case 'discord':
      return {
        ...base,
        ...credentialRefs('discord'),
        groupPolicy: 'allowlist',
        ...(senders &&
          c.guilds.length > 0 && {
            guilds: Object.fromEntries(c.guilds.map((g) => [g, { requireMention: c.requireMention, users: [...c.allowFrom] }])),
          }),
      };
    case 'slack':
      return {
        ...base,
        mode: 'socket',
        ...credentialRefs('slack'),
        groupPolicy: 'allowlist',
        requireMention: c.requireMention,
        ...(senders &&
          c.channels.length > 0 && {
            channels: Object.fromEntries(c.channels.map((ch) => [ch, { requireMention: c.requireMention, users: [...c.allowFrom] }])),
          }),
      };
  }
}

/**
 * Telegram ships inside OpenClaw; WhatsApp, Discord and Slack are plugins the gateway installs
 * from npm on first start and then runs only when trusted by name: without
 * `plugins.entries.<id>.enabled` it logs "installed without explicit trust" and the channel
 * never starts (seen with the real 2026.9.6 gateway).
 */
export function channelPlugin(type: Channel['type']): boolean {
  return type !== 'telegram';
}

/** The openclaw.json data for these answers. */
export function openclawConfig(a: Answers): object {
  const config: Record<string, unknown> = {
    gateway: {
      mode: 'local',
      // Same as the `--bind lan` flag in docker-compose.yml (the flag wins; they must agree).
      bind: 'lan',
      port: CONTAINER_GATEWAY_PORT,
      auth: {
        mode: 'token',
        token: envRef(SECRETS.gatewayToken.envVar),
        rateLimit: { maxAttempts: 10, windowMs: 60_000, lockoutMs: 300_000, exemptLoopback: true },
      },
      controlUi: { allowedOrigins: allowedOrigins(a) },
      // OpenClaw's web terminal (on by default) is a shell in the container, which holds every key,
      // for anyone with the gateway token. Off unless the answers ask for it (openclaw.terminal).
      terminal: { enabled: a.openclaw.terminal },
      // A reverse proxy in front (Tailscale Serve, Caddy) reaches the container from the compose
      // network's gateway address and sets X-Forwarded-For: trust it for that. Not for the SSH
      // tunnel: its requests come from the same address with no forwarded header, and OpenClaw
      // refuses those from a trusted proxy (403 proxy_attribution_required; found on a real server).
      ...(a.access.mode === 'ssh-tunnel' ? {} : { trustedProxies: [COMPOSE_GATEWAY_IP] }),
    },
    discovery: { mdns: { mode: 'off' } },
    session: { dmScope: 'per-channel-peer' },
    tools: toolsConfig(a),
    agents: { defaults: { ...modelConfig(a), sandbox: sandboxConfig(a) } },
    ...modelsConfig(a),
  };
  if (a.openclaw.channels.length > 0) {
    config.channels = Object.fromEntries(a.openclaw.channels.map((c) => [c.type, channelConfig(c)]));
    const plugins = a.openclaw.channels.filter((c) => channelPlugin(c.type)).map((c) => [c.type, { enabled: true }]);
    if (plugins.length) config.plugins = { entries: Object.fromEntries(plugins) };
  }
  return config;
}

/** openclaw.json text: JSON (a subset of JSON5), 2-space indent, trailing newline. On a rerun, merged into the live file. */
export function renderOpenclawJson(a: Answers, liveText?: string): string {
  const ours = openclawConfig(a) as Record<string, unknown>;
  return liveText === undefined ? `${JSON.stringify(ours, null, 2)}\n` : mergeIntoLive(liveText, ours);
}

/**
 * A rerun's openclaw.json: the live file with ours merged in. What the answers set wins
 * (objects merge key by key, anything else is replaced, and each `channels.<type>` the
 * answers name is replaced whole); every key the answers do not set stays as it is on the
 * server: settings changed by hand or through OpenClaw, channels added with add-channel.
 */
export function mergeIntoLive(liveText: string, ours: Record<string, unknown>): string {
  let live: unknown;
  try {
    live = JSON5.parse(liveText);
  } catch {
    return `${JSON.stringify(ours, null, 2)}\n`; // unreadable: ours, as a first run writes it
  }
  if (!isObject(live)) return `${JSON.stringify(ours, null, 2)}\n`;
  const merged = deepMerge(live, ours, []);
  return `${JSON.stringify(merged, null, 2)}\n`;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

function deepMerge(live: Record<string, unknown>, ours: Record<string, unknown>, path: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...live };
  for (const [k, v] of Object.entries(ours)) {
    const whole = path.length === 1 && path[0] === 'channels';
    out[k] = !whole && isObject(v) && isObject(live[k]) ? deepMerge(live[k] as Record<string, unknown>, v, [...path, k]) : v;
  }
  return out;
}
