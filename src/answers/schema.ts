import { z } from 'zod';
import { parsePublicKey, looksLikeKeyLine } from './ssh-key.js';
import * as v from './validators.js';
import { backups } from './backups-schema.js';
import { openclaw } from './openclaw-schema.js';
import { secretRef } from './secret-ref.js';
import { operatorIp } from './ip-ranges.js';
import { backupDirInDeploymentProblem, deploymentDirOf } from './field-checks.js';
import { SECRETS } from './rules.js';

/**
 * The answers schema: the single source of truth for every question the
 * wizard asks and every field of an answers file (see README "Answers file").
 * Strict everywhere: an unknown key is an error, so typos never pass silently.
 */

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
    operatorIp: z.union([z.literal('auto'), operatorIp]).default('auto'),
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
