import { describe, expect, it } from 'vitest';
import { secretsFor } from '../src/answers/secrets.js';
import { answersSchema } from '../src/answers/schema.js';
import { OS_TABLE } from '../src/facts/facts.js';
import { Secret, redactText, revealText, secretsIn } from '../src/plan/secret.js';
import * as t from '../templates/index.js';
import { VARIANTS, loadAnswers, loadSecrets, renderVariant } from './template-variants.js';

// Golden copies of every generated file, per answers variant, under
// snapshots/<variant>/<name with its real extension>. Beside them,
// validators.test.ts runs a real validator on each, so a snapshot can never
// freeze broken output. Update with `npx vitest run test/templates.test.ts -u`
// and read the diff.

describe.each(VARIANTS)('snapshots: %s', (variant) => {
  const files = renderVariant(variant);
  it.each(files.map((f) => [f.name, f] as const))('%s', async (_name, f) => {
    await expect(f.text).toMatchFileSnapshot(`../snapshots/${variant}/${f.name}`);
  });
});

const SENTINEL = 'SENTINEL-7c1e9f-do-not-leak';

describe('secrets', () => {
  const a = loadAnswers('full');
  const env = Object.fromEntries(
    ['CLAW_SUDO_PASSWORD', 'TS_AUTHKEY', 'ANTHROPIC_API_KEY', 'TELEGRAM_BOT_TOKEN', 'CLAW_DISCORD_WEBHOOK'].map((k) => [k, `${SENTINEL}-${k}`]),
  );
  const s = secretsFor(a, env, { OPENAI_API_KEY: Secret.of('OPENAI_API_KEY', `${SENTINEL}-openai`) });

  it('the .env holds every gateway secret as a Secret, and nothing else secret', () => {
    const text = t.renderEnvFile(a, s);
    expect(secretsIn(text).map((x) => x.name)).toEqual([
      'OPENCLAW_GATEWAY_TOKEN',
      'ANTHROPIC_API_KEY',
      'OPENAI_API_KEY',
      'TELEGRAM_BOT_TOKEN',
    ]);
    expect(redactText(text)).not.toContain(SENTINEL);
    expect(revealText(text)).toContain(`ANTHROPIC_API_KEY='${SENTINEL}-ANTHROPIC_API_KEY'\n`);
    expect(revealText(text)).toContain(`TELEGRAM_BOT_TOKEN='${SENTINEL}-TELEGRAM_BOT_TOKEN'\n`);
    expect(revealText(text)).not.toContain('TS_AUTHKEY');
    expect(revealText(text)).not.toContain('CLAW_SUDO_PASSWORD');
  });

  it('the monitoring env holds the webhook as a Secret', () => {
    const text = t.renderMonitoringEnv(a, s);
    expect(secretsIn(text).map((x) => x.name)).toEqual(['DISCORD_WEBHOOK_URL']);
    expect(redactText(text)).not.toContain(SENTINEL);
    expect(revealText(text)).toContain(`DISCORD_WEBHOOK_URL='${SENTINEL}-CLAW_DISCORD_WEBHOOK'`);
  });

  it('no plain-string file contains a secret value', () => {
    const plain = [
      t.renderCompose(a),
      t.renderOpenclawJson(a),
      t.renderHealthScript(a),
      t.renderBackupScript(a),
      t.renderHealthService(a),
    ].join('\n');
    expect(plain).not.toContain(SENTINEL);
    expect(plain).not.toContain('<secret:');
  });
});

describe('openclaw.json', () => {
  it('is JSON with a trailing newline and the data openclawConfig returns', () => {
    const a = loadAnswers('channels');
    const text = t.renderOpenclawJson(a);
    expect(text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(text)).toEqual(t.openclawConfig(a));
  });

  it('allowed origins follow the access mode', () => {
    expect(t.allowedOrigins(loadAnswers('minimal'))).toEqual(['http://localhost:18789', 'http://127.0.0.1:18789']);
    expect(t.allowedOrigins(loadAnswers('tailscale-only-ssh'))).toContain('https://openclaw-vps.tail1234.ts.net');
    expect(t.allowedOrigins(loadAnswers('caddy'))).toEqual([
      'http://localhost:28789',
      'http://127.0.0.1:28789',
      'https://claw.example.com',
    ]);
  });

  it('groups stay closed when no user is allowlisted', () => {
    const a = answersSchema.parse({
      openclaw: { channels: [{ type: 'telegram', dmPolicy: 'pairing' }, { type: 'whatsapp', dmPolicy: 'pairing' }] },
    });
    const c = t.openclawConfig(a) as { channels: Record<string, Record<string, unknown>> };
    for (const ch of ['telegram', 'whatsapp']) {
      expect(c.channels[ch].groupPolicy).toBe('allowlist');
      expect(c.channels[ch]).not.toHaveProperty('groups');
      expect(c.channels[ch]).not.toHaveProperty('groupAllowFrom');
    }
  });

  it('exec policy is pinned to deny only when exec is denied', () => {
    const cfg = (deny: string[]) => t.openclawConfig(answersSchema.parse({ openclaw: { tools: { deny } } })) as { tools: Record<string, unknown> };
    expect(cfg(['exec']).tools.exec).toEqual({ security: 'deny', ask: 'always' });
    expect(cfg(['group:runtime']).tools.exec).toEqual({ security: 'deny', ask: 'always' });
    expect(cfg(['gateway']).tools).not.toHaveProperty('exec');
  });

  it('sandbox "off" emits only the mode', () => {
    const a = answersSchema.parse({ openclaw: { sandbox: { mode: 'off' } } });
    expect((t.openclawConfig(a) as { agents: unknown }).agents).toEqual({ defaults: { sandbox: { mode: 'off' } } });
  });
});

describe('compose', () => {
  it('gives Node about 75% of the container memory', () => {
    expect(t.memoryLimitMiB('2g')).toBe(2048);
    expect(t.nodeHeapMiB('2g')).toBe(1536);
    expect(t.nodeHeapMiB('1536m')).toBe(1152);
    expect(() => t.memoryLimitMiB('2G')).toThrow(/memory limit/);
  });

  it('warns in the header when exec is allowed', () => {
    expect(t.renderCompose(loadAnswers('caddy'))).toContain('WARNING: these\n#   answers allow the exec tool');
    expect(t.renderCompose(loadAnswers('minimal'))).not.toContain('WARNING');
  });
});

describe('guards', () => {
  it('renderCaddyfile refuses other access modes', () => {
    expect(() => t.renderCaddyfile(loadAnswers('minimal'))).toThrow(/access.mode "caddy"/);
  });

  it('renderFail2banJail refuses anything but an IP or CIDR', () => {
    const a = loadAnswers('minimal');
    for (const bad of ['', 'auto', '1.2.3.4\n[sshd]', '203.0.113.0/33', 'example.com']) {
      expect(() => t.renderFail2banJail(a, bad)).toThrow(/operator's IP/);
    }
    expect(t.renderFail2banJail(a, '2001:db8::/48')).toContain('ignoreip = 127.0.0.1/8 ::1 2001:db8::/48\n');
  });

  it('renderAptSource refuses multi-line fields', () => {
    expect(() =>
      t.renderAptSource({ name: 'x', uris: 'https://a\nSigned-By: /evil', suites: 's', components: 'main', signedBy: '/k' }),
    ).toThrow(/one line/);
  });
});

describe('systemd time spans', () => {
  it.each([
    ['5m', '5min'],
    ['1h', '1h'],
    ['10s', '10s'],
    ['2d', '2d'],
    ['1w', '1w'],
  ])('%s -> %s', (d, span) => expect(t.systemdTimeSpan(d)).toBe(span));
  it('rejects other shapes', () => expect(() => t.systemdTimeSpan('5M')).toThrow());
});

describe('apt sources', () => {
  it('use the real upstream URLs', () => {
    const jammy = OS_TABLE['ubuntu-22.04'];
    const bookworm = OS_TABLE['debian-12'];
    expect(t.dockerAptSource(jammy)).toMatchObject({
      keyUrl: 'https://download.docker.com/linux/ubuntu/gpg',
      keyringPath: '/etc/apt/keyrings/docker.asc',
    });
    expect(t.dockerAptSource(bookworm).text).toContain('URIs: https://download.docker.com/linux/debian\nSuites: bookworm\n');
    expect(t.tailscaleAptSource(jammy)).toMatchObject({
      keyUrl: 'https://pkgs.tailscale.com/stable/ubuntu/jammy.noarmor.gpg',
      keyringPath: '/usr/share/keyrings/tailscale-archive-keyring.gpg',
    });
    expect(t.caddyAptSource()).toMatchObject({
      keyUrl: 'https://dl.cloudsmith.io/public/caddy/stable/gpg.key',
      keyringPath: '/etc/apt/keyrings/caddy-stable.asc',
    });
    expect(t.caddyAptSource().text).toContain('Suites: any-version\n');
  });
});

describe('unattended upgrades', () => {
  it('adds only the origins of repositories in use', () => {
    expect(t.thirdPartyOrigins(loadAnswers('minimal'))).toEqual(['origin=Docker,label=Docker CE']);
    expect(t.thirdPartyOrigins(loadAnswers('full'))).toEqual(['origin=Docker,label=Docker CE', 'origin=Tailscale,label=Tailscale']);
    expect(t.thirdPartyOrigins(loadAnswers('caddy'))).toContain('origin=cloudsmith/caddy/stable');
  });
});

describe('lazy secrets', () => {
  it('rendering never reads a secret', () => {
    const a = loadAnswers('full');
    // No environment at all: revealing would throw, redacting must not.
    expect(() => redactText(t.renderEnvFile(a, loadSecrets(a)))).not.toThrow();
  });
});
