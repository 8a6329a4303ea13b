import JSON5 from 'json5';
import { describe, expect, it } from 'vitest';
import { openclawConfigMirror } from '../openclaw-schema-mirror.js';
import { loadAnswers } from '../template-variants.js';
import { renderedFixture } from './rendered-fixture.js';

const { filesOf, file } = renderedFixture('openclaw-json');

describe('openclaw.json: JSON5 parse back and the strict schema mirror', () => {
  const SECRET_KEYS = /^(token|botToken|appToken|password|signingSecret|webhookSecret|userToken|apiKey)$/;
  function walk(value: unknown, path: string, visit: (path: string, key: string, v: unknown) => void, key = ''): void {
    visit(path, key, value);
    if (Array.isArray(value)) value.forEach((x, i) => walk(x, `${path}[${i}]`, visit));
    else if (value && typeof value === 'object') for (const [k, x] of Object.entries(value)) walk(x, path ? `${path}.${k}` : k, visit, k);
  }

  it.each(filesOf('openclaw-json'))('%s', (_rel, v, f) => {
    const config = JSON5.parse(f.text);
    const r = openclawConfigMirror.safeParse(config);
    expect(r.success ? [] : r.error.issues).toEqual([]);
    const a = loadAnswers(v);
    expect(config.gateway.bind).toBe('lan');
    expect(config.gateway.auth.mode).toBe('token');
    expect(config.gateway.controlUi.allowedOrigins.length).toBeGreaterThan(0);
    expect(config.tools.deny).toEqual(a.openclaw.tools.deny);
    walk(config, '', (path, key, value) => {
      if (SECRET_KEYS.test(key)) {
        expect(value, `${path} must be an env SecretRef`).toEqual({ source: 'env', provider: 'default', id: expect.stringMatching(/^[A-Z][A-Z0-9_]*$/) });
      }
      if (typeof value === 'string') {
        expect(value, path).not.toMatch(/<secret:|SENTINEL|^sk-|^xox[abp]-|^xapp-|^tskey-|^[0-9a-f]{32,}$|\$\{/);
      }
    });
  });

  const minimal = () => JSON5.parse(file('minimal', 'openclaw.json').text);
  it('the mirror rejects controlUi.allowInsecureAuth (removed in 2026.9.6)', () => {
    const c = minimal();
    c.gateway.controlUi.allowInsecureAuth = true;
    expect(openclawConfigMirror.safeParse(c).success).toBe(false);
  });
  it.each(['0.0.0.0', 'localhost', 'everywhere'])('the mirror rejects bind "%s"', (bind) => {
    const c = minimal();
    c.gateway.bind = bind;
    expect(openclawConfigMirror.safeParse(c).success).toBe(false);
  });
  it('the mirror rejects bind "custom" without customBindHost and an unknown channel', () => {
    const c = minimal();
    c.gateway.bind = 'custom';
    expect(openclawConfigMirror.safeParse(c).success).toBe(false);
    const d = minimal();
    d.channels = { notachannel: { enabled: true } };
    expect(openclawConfigMirror.safeParse(d).success).toBe(false);
  });
  it('the mirror rejects unknown keys at depth and a plaintext-shaped SecretRef', () => {
    const c = JSON5.parse(file('channels', 'openclaw.json').text);
    c.channels.slack.channels.C0123ABCDEF.bogus = 1;
    expect(openclawConfigMirror.safeParse(c).success).toBe(false);
    const d = JSON5.parse(file('channels', 'openclaw.json').text);
    d.channels.telegram.botToken = { source: 'env', provider: 'default', id: 'lower_case' };
    expect(openclawConfigMirror.safeParse(d).success).toBe(false);
  });
});
