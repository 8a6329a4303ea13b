import { z } from 'zod';

/**
 * A strict zod mirror of the part of OpenClaw 2026.9.6's config schema that
 * templates/openclaw-json.ts emits. Every object is `z.strictObject`, so a key
 * the real gateway would reject ("Unrecognized key", and then it refuses to
 * start) fails here too, without the 650 MB OpenClaw install that
 * test/openclaw-validate.test.ts uses for the real check.
 *
 * Sources: `openclaw config schema --json` of 2026.9.6 (objects there all have
 * additionalProperties:false) and ../shared/reference/openclaw.md §1. Only
 * keys we emit, or expect to emit soon, are listed: adding a key to the
 * template means checking it against the real schema and adding it here.
 * A few cross-field rules are stricter than upstream on purpose (upstream
 * only warns, or accepts a setting that silently listens on 0.0.0.0).
 */

const envId = /^[A-Z][A-Z0-9_]{0,127}$/;

export const secretRefSchema = z
  .strictObject({
    source: z.enum(['env', 'file', 'exec', 'store']),
    provider: z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/),
    id: z.string().min(1),
  })
  .refine((r) => (r.source === 'env' || r.source === 'store' ? envId.test(r.id) : true), {
    message: 'env/store SecretRef ids must match ^[A-Z][A-Z0-9_]{0,127}$',
    path: ['id'],
  });
const secretInput = z.union([z.string(), secretRefSchema]);

export const BIND_MODES = ['auto', 'lan', 'loopback', 'custom', 'tailnet'] as const;
export const AUTH_MODES = ['none', 'token', 'password', 'trusted-proxy'] as const;
export const DM_POLICIES = ['pairing', 'allowlist', 'open', 'disabled'] as const;
export const GROUP_POLICIES = ['open', 'disabled', 'allowlist'] as const;
export const SANDBOX_MODES = ['off', 'non-main', 'all'] as const;
export const MDNS_MODES = ['off', 'minimal', 'full'] as const;

const port = z.number().int().min(1).max(65535);
const idList = z.array(z.union([z.string(), z.number()]));

const gateway = z
  .strictObject({
    mode: z.enum(['local', 'remote']),
    port: port.optional(),
    bind: z.enum(BIND_MODES).optional(),
    customBindHost: z.string().optional(),
    auth: z
      .strictObject({
        mode: z.enum(AUTH_MODES).optional(),
        token: secretInput.optional(),
        password: secretInput.optional(),
        allowTailscale: z.boolean().optional(),
        rateLimit: z
          .strictObject({
            maxAttempts: z.number().optional(),
            windowMs: z.number().optional(),
            lockoutMs: z.number().optional(),
            exemptLoopback: z.boolean().optional(),
          })
          .optional(),
      })
      .optional(),
    controlUi: z
      .strictObject({
        enabled: z.boolean().optional(),
        basePath: z.string().optional(),
        allowedOrigins: z.array(z.string()).optional(),
      })
      .optional(),
    trustedProxies: z.array(z.string()).optional(),
    allowRealIpFallback: z.boolean().optional(),
    tailscale: z.strictObject({ mode: z.enum(['off', 'serve', 'funnel']).optional() }).optional(),
    terminal: z
      .strictObject({ enabled: z.boolean().optional(), shell: z.string().optional(), detachedSessionTimeoutSeconds: z.number().int().optional() })
      .optional(),
  })
  .superRefine((g, ctx) => {
    if (g.bind === 'custom' && !g.customBindHost)
      ctx.addIssue({ code: 'custom', path: ['customBindHost'], message: 'bind "custom" without customBindHost listens on 0.0.0.0' });
    if (g.tailscale?.mode === 'serve' && g.bind !== undefined && g.bind !== 'loopback')
      ctx.addIssue({ code: 'custom', path: ['bind'], message: 'gateway.bind must resolve to loopback when gateway.tailscale.mode=serve' });
    if (g.auth?.token !== undefined && g.auth?.password !== undefined && g.auth.mode === undefined)
      ctx.addIssue({ code: 'custom', path: ['auth', 'mode'], message: 'token and password both set need an explicit auth.mode' });
  });

const toolPolicy = z
  .strictObject({
    profile: z.enum(['minimal', 'coding', 'messaging', 'full']).optional(),
    allow: z.array(z.string()).optional(),
    alsoAllow: z.array(z.string()).optional(),
    deny: z.array(z.string()).optional(),
    elevated: z.strictObject({ enabled: z.boolean().optional(), allowFrom: z.record(z.string(), idList).optional() }).optional(),
    fs: z.strictObject({ workspaceOnly: z.boolean().optional() }).optional(),
    exec: z
      .strictObject({
        host: z.enum(['auto', 'sandbox', 'gateway', 'node']).optional(),
        mode: z.enum(['deny', 'allowlist', 'ask', 'auto', 'full']).optional(),
        security: z.enum(['deny', 'allowlist', 'full']).optional(),
        ask: z.enum(['off', 'on-miss', 'always']).optional(),
      })
      .optional(),
    sessions: z.strictObject({ visibility: z.enum(['self', 'tree', 'agent', 'all']).optional() }).optional(),
    agentToAgent: z.strictObject({ enabled: z.boolean().optional(), allow: z.array(z.string()).optional() }).optional(),
  })
  .refine((t) => !(t.allow && t.alsoAllow), { message: 'allow and alsoAllow in the same scope are rejected' });

const sandbox = z.strictObject({
  mode: z.enum(SANDBOX_MODES).optional(),
  backend: z.string().min(1).optional(),
  scope: z.enum(['session', 'agent', 'shared']).optional(),
  workspaceAccess: z.enum(['none', 'ro', 'rw']).optional(),
  docker: z
    .strictObject({
      image: z.string().optional(),
      network: z.string().optional(),
      readOnlyRoot: z.boolean().optional(),
      user: z.string().optional(),
      capDrop: z.array(z.string()).optional(),
      pidsLimit: z.number().int().optional(),
    })
    .optional(),
});

const dmFields = {
  enabled: z.boolean().optional(),
  dmPolicy: z.enum(DM_POLICIES).optional(),
  allowFrom: idList.optional(),
  groupPolicy: z.enum(GROUP_POLICIES).optional(),
};

const telegram = z.strictObject({
  ...dmFields,
  groupAllowFrom: idList.optional(),
  botToken: secretInput.optional(),
  tokenFile: z.string().optional(),
  groups: z
    .record(
      z.string().regex(/^(\*|-?\d+)$/, 'Telegram group keys are "*" or a numeric chat ID'),
      z.strictObject({
        requireMention: z.boolean().optional(),
        allowFrom: idList.optional(),
        enabled: z.boolean().optional(),
        groupPolicy: z.enum(GROUP_POLICIES).optional(),
      }),
    )
    .optional(),
});

const whatsapp = z.strictObject({
  ...dmFields,
  allowFrom: z.array(z.string()).optional(),
  groupAllowFrom: z.array(z.string()).optional(),
  selfChatMode: z.boolean().optional(),
  groups: z.record(z.string(), z.strictObject({ requireMention: z.boolean().optional() })).optional(),
});

const discord = z.strictObject({
  ...dmFields,
  allowFrom: z.array(z.string()).optional(),
  token: secretInput.optional(),
  applicationId: z.string().optional(),
  guilds: z
    .record(
      z.string().regex(/^\d+$/),
      z.strictObject({
        requireMention: z.boolean().optional(),
        users: z.array(z.string()).optional(),
        roles: z.array(z.string()).optional(),
      }),
    )
    .optional(),
});

const slack = z.strictObject({
  ...dmFields,
  mode: z.enum(['socket', 'http', 'relay']).optional(),
  botToken: secretInput.optional(),
  appToken: secretInput.optional(),
  requireMention: z.boolean().optional(),
  channels: z.record(z.string(), z.strictObject({ requireMention: z.boolean().optional(), users: idList.optional() })).optional(),
});

/** The mirror's root: only the sections claw-setup writes. */
export const openclawConfigMirror = z
  .strictObject({
    $schema: z.string().optional(),
    gateway,
    // plugins.entries.<id>: { enabled } is all we write (trust for a channel plugin by name).
    plugins: z.strictObject({ entries: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), z.object({ enabled: z.boolean().optional() })).optional() }).optional(),
    discovery: z.strictObject({ mdns: z.strictObject({ mode: z.enum(MDNS_MODES) }).optional() }).optional(),
    session: z.strictObject({ dmScope: z.enum(['main', 'per-peer', 'per-channel-peer', 'per-account-channel-peer']).optional() }).optional(),
    tools: toolPolicy.optional(),
    agents: z
      .strictObject({
        defaults: z
          .strictObject({
            // agents.defaults.model: "provider/model" or { primary, fallbacks } (docs/gateway/config-agents/models.md)
            model: z.union([z.string(), z.strictObject({ primary: z.string(), fallbacks: z.array(z.string()).optional() })]).optional(),
            sandbox: sandbox.optional(),
          })
          .optional(),
      })
      .optional(),
    channels: z.strictObject({ telegram: telegram.optional(), whatsapp: whatsapp.optional(), discord: discord.optional(), slack: slack.optional() }).optional(),
  })
  .superRefine((c, ctx) => {
    for (const [name, ch] of Object.entries(c.channels ?? {})) {
      if (ch?.dmPolicy === 'open' && !(ch.allowFrom ?? []).includes('*'))
        ctx.addIssue({ code: 'custom', path: ['channels', name, 'allowFrom'], message: 'dmPolicy "open" requires allowFrom ["*"]' });
      if (ch?.dmPolicy === 'allowlist' && (ch.allowFrom ?? []).length === 0)
        ctx.addIssue({ code: 'custom', path: ['channels', name, 'allowFrom'], message: 'dmPolicy "allowlist" with an empty allowFrom drops every DM' });
    }
  });
