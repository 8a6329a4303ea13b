import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CHANNEL_SECRETS,
  CHANNEL_TYPES,
  PROVIDER_KEYS,
  PROVIDER_NAMES,
  SECRETS,
  SECRET_SHAPES,
  secretKindOf,
  type ChannelSecret,
  type ChannelType,
  type SecretKind,
} from '../../src/answers/rules.js';
import { PROVIDER_ENV } from '../../src/answers/openclaw-schema.js';
import { answersSchema } from '../../src/answers/schema.js';
import { allSecrets, channelSecretRefs, secretsFor } from '../../src/answers/secrets.js';
import { isTailscaleAuthKey } from '../../src/answers/validators.js';
import { Secret, redactText } from '../../src/core/secret.js';
import { secretProblems } from '../../src/plan/secret-checks.js';
import { currentField, fieldsOf, reducer, type WizardState } from '../../src/ui/wizard/reducer.js';
import { openclawConfig } from '../../templates/openclaw-json.js';
import { renderMonitoringEnv } from '../../templates/health.js';
import { loadAnswers, loadSecrets, renderVariant } from '../template-variants.js';
import { answerUntil, fresh } from '../ui/helpers.js';
import { ALLOW, CASES, REACH } from './rules-cases.js';

// "One rule, one place": the wizard, the answers schema, the apply-time secret
// check and the templates all read src/answers/rules.ts. These tests pin that
// the wizard refuses exactly what apply refuses, in the same words, and that
// every variable name a secret is written to comes from the table.

const channelTable = (t: ChannelType) => CHANNEL_SECRETS[t] as readonly ChannelSecret[];

/** The wizard at the prompt for this kind of secret. */
function atPrompt(kind: Exclude<SecretKind, 'other'>): WizardState {
  return answerUntil(fresh(), REACH[kind].field, REACH[kind].extra);
}

/** What the wizard says to a typed value: null when it takes it (the value is then a Secret), else the message. */
function wizardSays(at: WizardState, field: string, value: string): string | null {
  const s = reducer(at, { type: 'answer', raw: value });
  if (s.error) return s.error;
  expect(s.values[field], 'accepted values are held as Secrets').toBeInstanceOf(Secret);
  return null;
}

/** What the apply-time check says about the answers-file path: the value from an env variable. */
function applySaysFromEnv(kind: Exclude<SecretKind, 'other'>, name: string, value: string): string[] {
  const r = REACH[kind];
  const a = answersSchema.parse(r.answers);
  const lines = secretProblems(allSecrets(secretsFor(a, { [r.env]: value })));
  return lines.filter((l) => l.startsWith(`${name} (`));
}

describe('the wizard refuses exactly what apply refuses, with the same words', () => {
  const prompts = new Map<string, WizardState>();
  const at = (kind: Exclude<SecretKind, 'other'>) => {
    if (!prompts.has(kind)) prompts.set(kind, atPrompt(kind));
    return prompts.get(kind)!;
  };

  it('covers every kind of secret in the table', () => {
    const kinds = new Set(CASES.map(([k]) => k));
    expect([...kinds].sort()).toEqual(
      Object.keys(SECRET_SHAPES)
        .filter((k) => k !== 'other')
        .sort(),
    );
  });

  it.each(Object.keys(REACH) as Exclude<SecretKind, 'other'>[])('%s: the prompt uses the table’s name and reference', (kind) => {
    const f = currentField(at(kind))!;
    expect(f.id).toBe(REACH[kind].field);
    expect(f.kind).toBe('secret');
    expect(secretKindOf(f.secret!.name)).toBe(kind);
    expect(f.secret!.check, 'every secret prompt checks its value').toBeTypeOf('function');
  });

  it.each(CASES.map(([kind, value, ok, why]) => [`${kind}: ${why}`, kind, value, ok] as const))('%s', (_title, kind, value, ok) => {
    const field = currentField(at(kind))!;
    const name = field.secret!.name;
    const wizard = wizardSays(at(kind), field.id, value);
    // Apply on the very Secret the wizard would have made, and on the same value from an answers file.
    const typed = secretProblems([Secret.of(name, value)]);
    const fromEnv = applySaysFromEnv(kind, name, value);

    expect(wizard === null, `wizard: ${wizard}`).toBe(ok);
    expect(typed.length === 0, typed.join('; ')).toBe(ok);
    expect(fromEnv.length === 0, fromEnv.join('; ')).toBe(ok);
    if (!ok) {
      const phrase = typed[0].slice(`${name} (prompt) `.length);
      expect(fromEnv[0].endsWith(` ${phrase}`)).toBe(true);
      // The wizard's own checks for empty / control characters / too long come first, in its words; every other refusal is the table's.
      if (!/[\x00-\x1f\x7f]/.test(value) && value.length <= 4096) expect(wizard).toBe(`that ${phrase}`);
      for (const text of [wizard!, ...typed, ...fromEnv]) if (value.length >= 8) expect(text).not.toContain(value);
    }
  });

  it('an 11-character sudo password: the same message in the wizard and at apply', () => {
    const field = currentField(at('sudoPassword'))!;
    expect(wizardSays(at('sudoPassword'), field.id, 'abcdefghijk')).toBe('that is shorter than 12 characters');
    expect(applySaysFromEnv('sudoPassword', 'SUDO_PASSWORD', 'abcdefghijk')).toEqual([
      'SUDO_PASSWORD (environment variable CLAW_SUDO_PASSWORD) is shorter than 12 characters',
    ]);
  });

  it('a webhook the old wizard pattern took is refused by both, with the same message', () => {
    const v = 'https://discord.com/api/webhooks/123/abc';
    expect(/^https:\/\/(discord|discordapp)\.com\/api\/webhooks\/\d+\/[A-Za-z0-9_-]+$/.test(v)).toBe(true); // the old wizard copy
    const field = currentField(at('discordWebhook'))!;
    expect(wizardSays(at('discordWebhook'), field.id, v)).toBe('that does not look like a Discord webhook URL (https://discord.com/api/webhooks/ID/TOKEN)');
    expect(applySaysFromEnv('discordWebhook', 'DISCORD_WEBHOOK_URL', v)).toEqual([
      'DISCORD_WEBHOOK_URL (environment variable MY_HOOK) does not look like a Discord webhook URL (https://discord.com/api/webhooks/ID/TOKEN)',
    ]);
  });

  it('isTailscaleAuthKey is the table’s rule', () => {
    for (const [kind, value, ok] of CASES) if (kind === 'tailscaleAuthKey') expect(isTailscaleAuthKey(value)).toBe(ok);
  });

  it('every secret prompt of a full walk (all channels, providers, Tailscale, webhook) is checked by a table rule', () => {
    let s = answerUntil(fresh(), 'channels.add.0', {
      'tailscale.enabled': true,
      'openclaw.providers': [...PROVIDER_NAMES],
      'openclaw.gatewayToken': 'type',
    });
    const secretFields = () => fieldsOf(s).filter((f) => f.kind === 'secret');
    // Add every channel type through the wizard (the walk shows all of them once chosen).
    s = {
      ...s,
      values: {
        ...s.values,
        'channels.add.0': 'telegram',
        'channels.add.1': 'discord',
        'channels.add.2': 'slack',
        'channels.add.3': 'whatsapp',
        'monitoring.discord': true,
      },
    };
    const names = secretFields().map((f) => f.secret!.name);
    expect(names.sort()).toEqual(
      [
        SECRETS.sudoPassword.name,
        SECRETS.tailscaleAuthKey.name,
        SECRETS.gatewayToken.name,
        SECRETS.discordWebhook.name,
        SECRETS.ntfyTopic.name,
        ...PROVIDER_NAMES.map((p) => PROVIDER_KEYS[p].envVar),
        ...CHANNEL_TYPES.flatMap((t) => channelTable(t).map((c) => c.envVar)),
      ].sort(),
    );
    for (const f of secretFields()) {
      // The ntfy topic has no provider shape: its check is the schema's topic rule (validators.ts).
      if (f.secret!.name !== SECRETS.ntfyTopic.name) expect(secretKindOf(f.secret!.name), f.id).not.toBe('other');
      expect(f.secret!.check, f.id).toBeTypeOf('function');
    }
  });
});

describe('every secret variable name comes from the table', () => {
  const channelVars = CHANNEL_TYPES.flatMap((t) => channelTable(t).map((c) => c.envVar));

  it('the table is consistent: channel types, providers, one kind per name', () => {
    expect([...CHANNEL_TYPES].sort()).toEqual(Object.keys(CHANNEL_SECRETS).sort());
    expect(PROVIDER_ENV).toEqual(Object.fromEntries(PROVIDER_NAMES.map((p) => [p, PROVIDER_KEYS[p].envVar])));
    const names = [...Object.values(SECRETS).map((s) => s.name), ...Object.values(PROVIDER_KEYS).map((p) => p.envVar), ...channelVars];
    expect(new Set(names).size).toBe(names.length);
  });

  it('the schema defaults each channel credential to the table’s reference', () => {
    const a = answersSchema.parse({ openclaw: { channels: CHANNEL_TYPES.map((type) => ({ type, allowFrom: [ALLOW[type]] })) } });
    for (const c of a.openclaw.channels) {
      const fields = c as unknown as Record<string, unknown>;
      for (const s of channelTable(c.type)) expect(fields[s.field], `${c.type}.${s.field}`).toEqual(s.ref);
      expect(channelSecretRefs(c).map(([n]) => n)).toEqual(channelTable(c.type).map((s) => s.envVar));
    }
    expect(a.deployUser.sudoPassword).toEqual(SECRETS.sudoPassword.ref);
    expect(a.tailscale.authKey).toEqual(SECRETS.tailscaleAuthKey.ref);
  });

  it('the "channels" variant: the rendered .env uses exactly the table’s names (and so does its golden copy)', () => {
    const a = loadAnswers('channels');
    const env = renderVariant('channels').find((f) => f.name === 'env')!.text;
    const golden = readFileSync(new URL('../../snapshots/channels/env', import.meta.url), 'utf8');
    const expected = [
      SECRETS.gatewayToken.envVar,
      ...PROVIDER_NAMES.filter((p) => a.openclaw.providers[p]).map((p) => PROVIDER_KEYS[p].envVar),
      ...[...channelVars].sort(),
      'TZ',
    ];
    for (const text of [env, golden]) {
      const vars = text
        .split('\n')
        .filter((l) => /^[A-Z]/.test(l))
        .map((l) => l.slice(0, l.indexOf('=')));
      expect(vars).toEqual(expected);
      for (const v of expected.slice(0, -1)) expect(text).toContain(`${v}='<secret:${v}>'`);
    }
    expect(Object.keys(loadSecrets(a).channels).sort()).toEqual([...channelVars].sort());
  });

  it('openclaw.json points each channel credential at the table’s .env variable, and at nothing else', () => {
    const a = loadAnswers('channels');
    const cfg = openclawConfig(a) as { channels: Record<string, Record<string, unknown>>; gateway: { auth: { token: unknown } } };
    expect(Object.keys(cfg.channels).sort()).toEqual([...CHANNEL_TYPES].sort());
    for (const type of CHANNEL_TYPES) {
      const section = cfg.channels[type];
      const refs = Object.entries(section).filter(([, v]) => typeof v === 'object' && v !== null && (v as { source?: string }).source === 'env');
      expect(refs).toEqual(channelTable(type).map((s) => [s.field, { source: 'env', provider: 'default', id: s.envVar }]));
    }
    expect(cfg.gateway.auth.token).toEqual({ source: 'env', provider: 'default', id: SECRETS.gatewayToken.envVar });
  });

  it('the monitoring env file and the health script use the table’s webhook variable', () => {
    const a = loadAnswers('full');
    const text = redactText(renderMonitoringEnv(a, loadSecrets(a)));
    const name = SECRETS.discordWebhook.envVar;
    expect(text).toContain(`${name}='<secret:${SECRETS.discordWebhook.name}>'`);
    const script = renderVariant('full').find((f) => f.name === 'openclaw-health.sh')!.text;
    expect(script).toContain(`"$${name}"`);
  });
});
