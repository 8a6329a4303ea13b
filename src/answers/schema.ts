import { z } from 'zod';
import { parsePublicKey, looksLikeKeyLine } from './ssh-key.js';
import { KNOWN_TOOL_NAMES, closestTool } from './openclaw-tools.js';
import * as v from './validators.js';
import { egressSchema } from './egress.js';
import { backupDirInDeploymentProblem, deploymentDirOf } from './field-checks.js';
import { CHANNEL_TYPES, MAX_CHANNELS, PROVIDER_KEYS, PROVIDER_NAMES, SECRETS, channelSecret, type ChannelType, type ProviderName } from './rules.js';

/**
 * The answers schema: the single source of truth for every question the
 * wizard asks and every field of an answers file (see README "Answers file").
 * Strict everywhere: an unknown key is an error, so typos never pass silently.
 */

const NOT_INLINE = 'secrets are never written inline (answers files get committed): use { env: "NAME" } or { file: "PATH" }';

/** Where a secret's value comes from. */
export const secretRef = z.union([z.strictObject({ env: v.envName }), z.strictObject({ file: v.localPath })], {
  error: (iss) => (typeof iss.input === 'string' ? NOT_INLINE : 'a secret is { env: "NAME" } or { file: "PATH" }'),
});
export type SecretRef = z.infer<typeof secretRef>;

/** A channel's credential field: a secret reference defaulting to the one in the rules table. */
const channelSecretRef = (type: ChannelType, field: string) => secretRef.default({ ...channelSecret(type, field).ref });

const publicKeyEntry = z
  .string()
  .max(16384, 'key line is too long')
  .superRefine((s, ctx) => {
    if (looksLikeKeyLine(s)) {
      const k = parsePublicKey(s);
      if (typeof k === 'string') ctx.addIssue({ code: 'custom', message: k });
    } else {
      const r = v.localPath.safeParse(s);
      if (!r.success) ctx.addIssue({ code: 'custom', message: `not a public key line nor a safe file path: ${r.error.issues[0].message}` });
    }
  });

const target = z.strictObject({
  host: v.host.optional(),
  port: v.port.default(22),
  user: v.loginUser.default('root'),
  identityFile: v.localPath.default('~/.ssh/id_ed25519'),
});

const deployUser = z.strictObject({
  name: v.username.default('deploy'),
  sudoPassword: secretRef.default({ ...SECRETS.sudoPassword.ref }),
  authorizedKeys: z.array(publicKeyEntry).max(20, 'at most 20 keys').default([]),
});

const ssh = z.strictObject({
  port: v.port.default(22),
  maxAuthTries: z.number().int().min(1).max(10).default(3),
  allowTcpForwarding: z.enum(['local', 'no']).default('local'),
  /** Keep X11 and agent forwarding off; kept as answers so the plan says so explicitly. */
  loginGraceTime: z.number().int().min(10).max(600).default(30),
});

const tailscale = z.strictObject({
  enabled: z.boolean().default(false),
  authKey: secretRef.default({ ...SECRETS.tailscaleAuthKey.ref }),
  hostname: z
    .string()
    .max(63)
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'Tailscale machine name: lowercase letters, digits and -')
    .default('openclaw'),
  sshOnlyOverTailscale: z.boolean().default(false),
});

const fail2ban = z.strictObject({
  enabled: z.boolean().default(true),
  maxRetry: z.number().int().min(1).max(100).default(5),
  findTime: v.duration.default('10m'),
  banTime: v.duration.default('1h'),
});

const updates = z.strictObject({
  unattended: z.boolean().default(true),
  autoReboot: z.boolean().default(false),
  rebootTime: v.timeOfDay.default('04:00'),
});

const docker = z.strictObject({ install: z.boolean().default(true) });

export type { ProviderName };
/** The environment variable each provider's key lands in (OpenClaw reads these); from PROVIDER_KEYS in rules.ts. */
export const PROVIDER_ENV: Record<ProviderName, string> = Object.fromEntries(PROVIDER_NAMES.map((p) => [p, PROVIDER_KEYS[p].envVar])) as Record<
  ProviderName,
  string
>;

const providers = z
  .strictObject(Object.fromEntries(PROVIDER_NAMES.map((p) => [p, secretRef.optional()])) as Record<ProviderName, z.ZodOptional<typeof secretRef>>)
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
export const DEFAULT_TOOL_PROFILE = 'messaging';
export const TOOL_PROFILES = ['minimal', 'messaging', 'coding', 'full'] as const;
export const DEFAULT_DENY = ['group:automation', 'group:runtime', 'group:fs', 'group:nodes', 'group:ui', 'sessions_spawn', 'sessions_send'];

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
export { CHANNEL_TYPES };

const openclaw = z.strictObject({
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
  /** "auto": the default model of the first provider given (PROVIDER_KEYS order); or "provider/model". */
  model: z.union([z.literal('auto'), v.modelRef], { error: 'model is "auto" or a model id like "anthropic/claude-opus-5"' }).default('auto'),
  tools: z
    .strictObject({
      profile: z.enum(TOOL_PROFILES, { error: `tools.profile must be one of ${TOOL_PROFILES.join(', ')}` }).default(DEFAULT_TOOL_PROFILE),
      deny: z.array(toolName).max(100).default(DEFAULT_DENY),
    })
    .default({ profile: DEFAULT_TOOL_PROFILE, deny: DEFAULT_DENY }),
  sandbox: z
    .strictObject({
      mode: z.enum(['off', 'non-main', 'all']).default('all'),
      network: z.enum(['none', 'bridge']).default('none'),
    })
    .default({ mode: 'all', network: 'none' }),
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

const access = z.discriminatedUnion(
  'mode',
  [
    z.strictObject({ mode: z.literal('ssh-tunnel') }),
    z.strictObject({
      mode: z.literal('tailscale-serve'),
      /** Your tailnet's DNS suffix, e.g. "tail1234.ts.net" (Tailscale admin → DNS). */
      tailnetDomain: v.domain,
    }),
    z.strictObject({
      mode: z.literal('caddy'),
      domain: v.domain,
      email: v.email,
      /** "acme": a public certificate (Let's Encrypt, needs public DNS); "internal": Caddy's own CA (private names, testing). */
      certificates: z.enum(['acme', 'internal'], { error: 'certificates must be "acme" or "internal"' }).default('acme'),
    }),
  ],
  { error: 'access.mode must be "ssh-tunnel", "tailscale-serve" (with tailnetDomain) or "caddy" (with domain and email)' },
);

/** The names the off-server copy's secrets carry (`<secret:NAME>`), and their default references. */
export const OFFSITE_SECRETS = {
  password: { name: 'RESTIC_PASSWORD', ref: { env: 'RESTIC_PASSWORD' } },
  s3AccessKeyId: { name: 'AWS_ACCESS_KEY_ID', ref: { env: 'AWS_ACCESS_KEY_ID' } },
  s3SecretAccessKey: { name: 'AWS_SECRET_ACCESS_KEY', ref: { env: 'AWS_SECRET_ACCESS_KEY' } },
} as const;

const keepCount = (max: number, def: number) => z.number().int().min(0).max(max).default(def);

/** backups.offsite: a restic repository off the server (SFTP or S3-compatible), with retention. */
const offsite = z
  .strictObject({
    repository: v.resticRepository,
    /** restic's repository password (it lives on the server in a mode-600 file; keep a copy off it). */
    password: secretRef.default({ ...OFFSITE_SECRETS.password.ref }),
    /** S3 credentials: only for an s3: repository. */
    s3AccessKeyId: secretRef.optional(),
    s3SecretAccessKey: secretRef.optional(),
    /** SFTP only: the storage host's public host key; without it the first connection pins it (accept-new). */
    sftpHostKey: v.sshHostKey.optional(),
    keep: z.strictObject({ daily: keepCount(365, 7), weekly: keepCount(520, 4), monthly: keepCount(240, 12) }).default({ daily: 7, weekly: 4, monthly: 12 }),
  })
  .superRefine((o, ctx) => {
    const add = (path: PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const s3 = o.repository.startsWith('s3:');
    if (s3 && (!o.s3AccessKeyId || !o.s3SecretAccessKey))
      add(
        [o.s3AccessKeyId ? 's3SecretAccessKey' : 's3AccessKeyId'],
        'an s3: repository needs s3AccessKeyId and s3SecretAccessKey as secret references, e.g. { env: "AWS_ACCESS_KEY_ID" } and { env: "AWS_SECRET_ACCESS_KEY" }',
      );
    if (!s3 && (o.s3AccessKeyId || o.s3SecretAccessKey)) add(['s3AccessKeyId'], 's3AccessKeyId/s3SecretAccessKey are only for an s3: repository');
    if (s3 && o.sftpHostKey) add(['sftpHostKey'], 'sftpHostKey is only for an sftp: repository');
    if (o.keep.daily + o.keep.weekly + o.keep.monthly === 0) add(['keep'], 'keep at least one snapshot: set keep.daily, keep.weekly or keep.monthly above 0');
  });

const backups = z
  .strictObject({
    enabled: z.boolean().default(true),
    dir: v.backupDir.default('/var/backups/openclaw'),
    keepDays: z.number().int().min(1).max(3650).default(14),
    time: v.timeOfDay.default('03:00'),
    /** The operator's age public key: archives are encrypted to it before they leave the server (the identity never goes there). */
    ageRecipient: v.ageRecipient.nullable().default(null),
    offsite: offsite.nullable().default(null),
  })
  .superRefine((b, ctx) => {
    if (b.offsite && !b.ageRecipient)
      ctx.addIssue({
        code: 'custom',
        path: ['ageRecipient'],
        message: 'an off-server copy is encrypted with your age key before it leaves the server: set backups.ageRecipient (age-keygen -y YOUR-KEY-FILE)',
      });
    if (b.ageRecipient && !b.offsite)
      ctx.addIssue({
        code: 'custom',
        path: ['ageRecipient'],
        message: 'ageRecipient is used only for the off-server copy: set backups.offsite too, or remove it',
      });
    if (b.offsite && !b.enabled) ctx.addIssue({ code: 'custom', path: ['offsite'], message: 'an off-server copy needs backups.enabled: true' });
  });
export type OffsiteAnswers = z.infer<typeof offsite>;

const monitoring = z.strictObject({
  enabled: z.boolean().default(true),
  /**
   * Works as a password for the alert feed, so it is a secret: a reference ({ env } / { file }), or
   * (answers files written before, and the wizard's text field) the topic itself, which is then kept
   * out of every output (src/answers/secrets.ts `ntfyTopic`, `withoutInlineSecrets`).
   */
  ntfyTopic: z
    .union([v.ntfyTopic, secretRef], {
      error: (iss) =>
        typeof iss.input === 'string'
          ? 'ntfy topics use letters, digits, _ and - only (at most 64)'
          : 'ntfyTopic is a topic name, { env: "NAME" } or { file: "PATH" }',
    })
    .nullable()
    .default(null),
  ntfyServer: v.httpsUrl.default('https://ntfy.sh'),
  discordWebhook: secretRef.nullable().default(null),
  diskWarnPercent: z.number().int().min(50).max(99).default(85),
  memWarnPercent: z.number().int().min(50).max(99).default(90),
  backupMaxAgeHours: z.number().int().min(1).max(720).default(36),
  interval: v.duration.default('5m'),
});

export const STEP_IDS = [
  'preflight',
  'base',
  'user',
  'login-gate',
  'firewall',
  'tailscale',
  'ssh',
  'fail2ban',
  'docker',
  'egress',
  'openclaw',
  'access',
  'backups',
  'monitoring',
  'verify',
] as const;
export type StepId = (typeof STEP_IDS)[number];

export const answersSchema = z
  .strictObject({
    target: target.default({ port: 22, user: 'root', identityFile: '~/.ssh/id_ed25519' }),
    deployUser: deployUser.default({ name: 'deploy', sudoPassword: { ...SECRETS.sudoPassword.ref }, authorizedKeys: [] }),
    operatorIp: z.union([z.literal('auto'), v.operatorIp]).default('auto'),
    ssh: ssh.default({ port: 22, maxAuthTries: 3, allowTcpForwarding: 'local', loginGraceTime: 30 }),
    tailscale: tailscale.default({ enabled: false, authKey: { ...SECRETS.tailscaleAuthKey.ref }, hostname: 'openclaw', sshOnlyOverTailscale: false }),
    fail2ban: fail2ban.default({ enabled: true, maxRetry: 5, findTime: '10m', banTime: '1h' }),
    updates: updates.default({ unattended: true, autoReboot: false, rebootTime: '04:00' }),
    docker: docker.default({ install: true }),
    packages: z
      .strictObject({ source: z.enum(['upstream', 'distro'], { error: 'packages.source must be "upstream" or "distro"' }).default('upstream') })
      .default({ source: 'upstream' }),
    openclaw: openclaw.default(() => openclaw.parse({})),
    access: access.default({ mode: 'ssh-tunnel' }),
    backups: backups.default({ enabled: true, dir: '/var/backups/openclaw', keepDays: 14, time: '03:00', ageRecipient: null, offsite: null }),
    monitoring: monitoring.default(() => monitoring.parse({})),
    stopBefore: z
      .enum(STEP_IDS, { error: `stopBefore must be a step id: ${STEP_IDS.join(', ')}` })
      .nullable()
      .default(null),
  })
  .superRefine((a, ctx) => {
    const add = (path: PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const ports: [string, number][] = [
      ['ssh.port', a.ssh.port],
      ['openclaw.gatewayPort', a.openclaw.gatewayPort],
      ['openclaw.bridgePort', a.openclaw.bridgePort],
    ];
    if (a.access.mode === 'caddy') ports.push(['access (caddy http)', 80], ['access (caddy https)', 443]);
    for (let i = 0; i < ports.length; i++)
      for (let j = i + 1; j < ports.length; j++)
        if (ports[i][1] === ports[j][1]) add([], `port ${ports[i][1]} is used twice: ${ports[i][0]} and ${ports[j][0]}; give each its own port`);
    if (a.access.mode === 'tailscale-serve' && !a.tailscale.enabled) add(['access', 'mode'], 'tailscale-serve needs tailscale.enabled: true');
    if (a.openclaw.model !== 'auto') {
      const provider = a.openclaw.model.split('/')[0];
      if (!(provider in a.openclaw.providers))
        add(
          ['openclaw', 'model'],
          `model ${a.openclaw.model} needs the ${provider} provider's key: add openclaw.providers.${provider}, or pick a model of a provider you gave`,
        );
    }
    if (a.tailscale.sshOnlyOverTailscale && !a.tailscale.enabled)
      add(['tailscale', 'sshOnlyOverTailscale'], 'sshOnlyOverTailscale needs tailscale.enabled: true');
    if (a.deployUser.name === a.target.user && a.target.user !== 'root') {
      // Allowed: hardening an existing sudo user. Nothing to add.
    }
    a.openclaw.channels.forEach((c, i) => {
      if (c.dmPolicy === 'allowlist' && c.allowFrom.length === 0)
        add(['openclaw', 'channels', i, 'allowFrom'], `${c.type}: dmPolicy "allowlist" needs at least one ID in allowFrom (otherwise every DM is dropped)`);
    });
    const types = a.openclaw.channels.map((c) => c.type);
    types.forEach((t, i) => {
      if (types.indexOf(t) !== i) add(['openclaw', 'channels', i, 'type'], `channel "${t}" is listed twice; one entry per channel type`);
    });
    if (a.stopBefore === 'preflight') add(['stopBefore'], 'stopBefore "preflight" would plan nothing');
    const inDeployment = backupDirInDeploymentProblem(a.backups.dir, deploymentDirOf(a.deployUser.name));
    if (inDeployment) add(['backups', 'dir'], inDeployment);
  });

export type AnswersInput = z.input<typeof answersSchema>;
export type Answers = z.output<typeof answersSchema>;

/** Whether a step is planned at all under `stopBefore` (it may still be left out as not applicable). */
export function plansStep(a: Answers, id: StepId): boolean {
  return a.stopBefore === null || STEP_IDS.indexOf(a.stopBefore) > STEP_IDS.indexOf(id);
}
