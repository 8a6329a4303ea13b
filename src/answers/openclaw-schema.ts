import { z } from 'zod';
import { KNOWN_TOOL_NAMES, closestTool } from './openclaw-tools.js';
import { channel } from './channel-schema.js';
import { egressSchema } from './egress.js';
import { secretRef } from './secret-ref.js';
import { isPrivateOrLoopbackV4 } from './field-checks.js';
import { plain } from './plain-text.js';
import * as v from './validators.js';
import { MAX_CHANNELS, PROVIDER_KEYS, PROVIDER_NAMES, type ProviderName } from './rules.js';

/** The openclaw section of the answers: the image, ports, providers, tools, limits, channels and egress. */

/** The environment variable each provider's key lands in (OpenClaw reads these); from PROVIDER_KEYS in rules.ts. */
export const PROVIDER_ENV: Record<ProviderName, string> = Object.fromEntries(PROVIDER_NAMES.map((p) => [p, PROVIDER_KEYS[p].envVar])) as Record<
  ProviderName,
  string
>;

const providers = z
  .strictObject(Object.fromEntries(PROVIDER_NAMES.map((p) => [p, secretRef.optional()])) as Record<ProviderName, z.ZodOptional<typeof secretRef>>)
  .default({});

/**
 * The API shape OpenClaw speaks to a provider at a base URL of the operator's choosing
 * (`models.providers.<id>.api`): Anthropic's Messages API, or OpenAI's Chat Completions, the
 * shape OpenAI-compatible proxies and local servers answer. Providers not listed keep their endpoint.
 */
export const BASE_URL_API = {
  anthropic: 'anthropic-messages',
  openai: 'openai-completions',
  openrouter: 'openai-completions',
  groq: 'openai-completions',
  mistral: 'openai-completions',
  xai: 'openai-completions',
} as const satisfies Partial<Record<ProviderName, string>>;
type BaseUrlProvider = keyof typeof BASE_URL_API;

/**
 * Where a provider's API is, when not at its public endpoint: a compatible proxy, a local model
 * server, the tests' stand-in. The API key goes with every request, so plain http only to a
 * loopback or private address; no query, user info or spaces (it lands in openclaw.json as is).
 */
const providerBaseUrl = plain(200, 'provider base URL')
  .regex(/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(\/[A-Za-z0-9._~/-]*)?$/, 'a provider base URL is http(s)://host[:port][/path] with no query, user or spaces')
  .superRefine((u, ctx) => {
    const host = /^http:\/\/([A-Za-z0-9.-]+)/i.exec(u)?.[1].toLowerCase();
    if (host !== undefined && host !== 'localhost' && !isPrivateOrLoopbackV4(host))
      ctx.addIssue({
        code: 'custom',
        message: `provider base URL http://${host.slice(0, 80)} would send the API key in clear: use https://, or http:// only to localhost or a private address`,
      });
  });
const providerBaseUrls = z
  .strictObject(
    Object.fromEntries(Object.keys(BASE_URL_API).map((p) => [p, providerBaseUrl.optional()])) as Record<BaseUrlProvider, z.ZodOptional<typeof providerBaseUrl>>,
  )
  .default({});

const toolName = z
  .string()
  .max(64)
  .superRefine((s, ctx) => {
    if (!KNOWN_TOOL_NAMES.has(s)) {
      const near = /^[\x20-\x7e]*$/.test(s) ? closestTool(s) : undefined;
      ctx.addIssue({
        code: 'custom',
        message: `"${s.slice(0, 64).replace(/[^\x20-\x7e]/g, '?')}" is not an OpenClaw tool or group${near ? ` (did you mean "${near}"?)` : ''}; OpenClaw would silently ignore it`,
      });
    }
  });

/**
 * OpenClaw's own hardened baseline (docs/gateway/security/hardened-baseline.md of 2026.9.6): the
 * "messaging" profile, and automation (cron, gateway, plugins), runtime (exec, process), the file
 * system, spawning and cross-session sending denied. We also deny nodes/computer and the UI group
 * (browser, canvas, terminal). Opening any of them is an explicit choice (the wizard warns).
 */
const DEFAULT_TOOL_PROFILE = 'messaging';
const TOOL_PROFILES = ['minimal', 'messaging', 'coding', 'full'] as const;
const DEFAULT_DENY = ['group:automation', 'group:runtime', 'group:fs', 'group:nodes', 'group:ui', 'sessions_spawn', 'sessions_send'];

export const openclaw = z.strictObject({
  version: v.semverish.default('2026.9.6'),
  image: z
    .string()
    .max(200)
    .regex(/^[a-z0-9][a-z0-9._/-]*[a-z0-9]$/, 'image must be a registry path like ghcr.io/openclaw/openclaw')
    .default('ghcr.io/openclaw/openclaw'),
  /** Pins the exact image: "sha256:" and 64 hex digits (the registry digest of openclaw.version). */
  digest: z
    .string()
    .max(80)
    .regex(/^sha256:[0-9a-f]{64}$/, 'digest must be "sha256:" followed by 64 lowercase hex digits (docker image inspect shows RepoDigests)')
    .optional(),
  /** The audit warns when the gateway token is older than this (claw-setup rotate gateway-token). */
  tokenMaxAgeDays: z.number().int().min(1).max(3650).default(90),
  gatewayPort: v.port.default(18789),
  bridgePort: v.port.default(18790),
  gatewayToken: z.union([z.literal('generate'), secretRef], { error: 'gatewayToken is "generate" or a secret reference' }).default('generate'),
  providers,
  /** A provider's API at another address (models.providers.<id>.baseUrl), e.g. { openai: "https://llm-proxy.example/v1" }. */
  providerBaseUrls,
  /** "auto": the default model of the first provider given (PROVIDER_KEYS order); or "provider/model". */
  model: z.union([z.literal('auto'), v.modelRef], { error: 'model is "auto" or a model id like "anthropic/claude-opus-5"' }).default('auto'),
  tools: z
    .strictObject({
      profile: z.enum(TOOL_PROFILES, { error: `tools.profile must be one of ${TOOL_PROFILES.join(', ')}` }).default(DEFAULT_TOOL_PROFILE),
      deny: z.array(toolName).max(100).default(DEFAULT_DENY),
    })
    .default({ profile: DEFAULT_TOOL_PROFILE, deny: DEFAULT_DENY }),
  /**
   * OpenClaw's tool sandbox starts a Docker container per session, which needs a Docker engine
   * inside the gateway container: the host's socket is root on the host, so it is never given.
   * "all" or "non-main" then fails every message a channel brings before the model is called
   * (SandboxProvisioningError, "docker" not found; seen on the real 2026.9.6 gateway, issue 21), so
   * the only mode that works here is "off": the capped, read-only gateway container is the
   * sandbox, with runtime and file-system tools denied by default.
   */
  sandbox: z
    .strictObject({
      mode: z
        .enum(['off', 'non-main', 'all'])
        .default('off')
        .refine((m) => m === 'off', {
          error:
            'sandbox.mode must be "off": OpenClaw\'s sandbox needs Docker inside the gateway container, which claw-setup never gives it (the Docker socket is root on the host), so every message would fail before reaching the model. The container itself is the sandbox: keep exec/process/fs denied in tools.deny',
        }),
      network: z.enum(['none', 'bridge']).default('none'),
    })
    .default({ mode: 'off', network: 'none' }),
  memoryLimit: z
    .string()
    .regex(/^[1-9]\d{0,4}[mg]$/, 'memoryLimit like "2g" or "1536m"')
    // The gateway alone needs about 200 MiB; below 256m it is killed in a loop at start.
    .refine((s) => (s.endsWith('g') ? 1024 : 1) * parseInt(s, 10) >= 256, 'memoryLimit must be at least "256m" (the gateway alone needs about 200 MiB)')
    .default('2g'),
  pidsLimit: z.number().int().min(64).max(32768).default(512),
  /** CPU cap of the gateway container (Docker `cpus`): Node runs the gateway on one core; the rest stays for sshd. */
  cpus: z.number().min(0.25).max(64).default(1),
  /** OpenClaw's web terminal: a shell in the container (which holds every key) for anyone with the gateway token. */
  terminal: z.boolean().default(false),
  channels: z.array(channel).max(MAX_CHANNELS).default([]),
  /** What the container may reach (src/answers/egress.ts): public internet only by default, or an allow-list. */
  egress: egressSchema.default({ mode: 'public', allow: [] }),
});
