// openclaw.providerBaseUrls: a model provider reached at another address (a compatible proxy, a
// local model server, the first-reply e2e's stand-in), rendered as OpenClaw's
// models.providers.<id>.{baseUrl, api}. Validated like every typed value before a plan exists.
import { describe, expect, it } from 'vitest';
import { answersSchema, type AnswersInput } from '../src/answers/schema.js';
import { openclawConfig } from '../templates/openclaw-json.js';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOzac/xuB9gNpgB4w5HHB6XCSigKaq1/D/1Wknm6DDhs you@laptop';
const parse = (openclaw: NonNullable<AnswersInput['openclaw']>) =>
  answersSchema.safeParse({ target: { host: '203.0.113.10' }, deployUser: { authorizedKeys: [KEY] }, openclaw });
const messages = (openclaw: NonNullable<AnswersInput['openclaw']>) => {
  const r = parse(openclaw);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};
const withUrl = (provider: string, url: string) =>
  messages({ providers: { openai: { env: 'OPENAI_API_KEY' } }, providerBaseUrls: { [provider]: url } } as NonNullable<AnswersInput['openclaw']>);

describe('openclaw.providerBaseUrls: checked before any plan', () => {
  it.each(['https://llm-proxy.example.com/v1', 'https://203.0.113.9:8443', 'http://10.77.3.1:41234/v1', 'http://127.0.0.1:4000', 'http://localhost:1234/v1'])(
    'accepts %s',
    (url) => expect(withUrl('openai', url)).toEqual([]),
  );

  it.each(['http://llm.example.com/v1', 'http://8.8.8.8:4000'])('refuses %s: the API key would travel in clear', (url) => {
    expect(withUrl('openai', url).join('\n')).toMatch(/would send the API key in clear/);
  });

  it.each([
    'ftp://10.0.0.1/v1',
    'https://proxy.example.com/v1?key=x',
    'https://user:pw@proxy.example.com',
    'https://proxy.example.com/v1;id',
    'https://proxy.example.com/$(id)',
    'https://proxy.example.com/v1\nx',
    `https://proxy.example.com/${'a'.repeat(200)}`,
  ])('refuses %j (not a plain http(s) URL)', (url) => {
    expect(withUrl('openai', url).length).toBeGreaterThan(0);
  });

  it('refuses a provider with no compatible API shape, or an unknown one', () => {
    expect(withUrl('google', 'https://proxy.example.com').join('\n')).toMatch(/providerBaseUrls/);
    expect(withUrl('opneai', 'https://proxy.example.com').join('\n')).toMatch(/providerBaseUrls/);
  });
});

describe('openclaw.json models section', () => {
  const config = (openclaw: NonNullable<AnswersInput['openclaw']>) => {
    const r = parse(openclaw);
    if (!r.success) throw new Error(r.error.message);
    return openclawConfig(r.data) as Record<string, unknown>;
  };

  it('absent without base URLs: OpenClaw keeps its catalog endpoints', () => {
    expect(config({ providers: { openai: { env: 'OPENAI_API_KEY' } } })).not.toHaveProperty('models');
  });

  it('merges each base URL with the API shape the provider speaks there; the key stays in its variable', () => {
    const c = config({
      providers: { openai: { env: 'OPENAI_API_KEY' }, anthropic: { env: 'ANTHROPIC_API_KEY' } },
      providerBaseUrls: { openai: 'http://10.77.3.1:4000/v1', anthropic: 'https://claude-proxy.example.com' },
    });
    expect(c.models).toEqual({
      mode: 'merge',
      providers: {
        openai: { baseUrl: 'http://10.77.3.1:4000/v1', api: 'openai-completions' },
        anthropic: { baseUrl: 'https://claude-proxy.example.com', api: 'anthropic-messages' },
      },
    });
    expect(JSON.stringify(c.models)).not.toMatch(/apiKey|API_KEY/);
  });
});
