// steps/lockdown-config.ts: the locked openclaw.json. Every channel and account closed, risky tools
// denied, allow-lists dropped, the rest as it was; idempotent; a config it cannot read is refused.
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { enabledChannels, LOCKDOWN_DENY, lockedConfig } from '../../steps/lockdown-config.js';
import { renderOpenclawJson } from '../../templates/openclaw-json.js';
import { base, type Json } from '../lockdown-fixtures.js';

describe('the locked config', () => {
  const live = JSON.parse(renderOpenclawJson(base)) as Json;
  live.hooks = { enabled: true, path: '/hooks' };
  live.tools.alsoAllow = ['web_fetch'];
  live.channels.defaults = { groupPolicy: 'open' };
  live.channels.telegram.accounts = { alt: { dmPolicy: 'open', allowFrom: ['*'], botToken: 'x' } };
  live.channels['synology-chat'] = { token: 'x' };
  live.channels.matrix = { enabled: true, groupPolicy: 'open', dm: { policy: 'open' }, accounts: { a: { accessToken: 'x' } } };
  const text = JSON.stringify(live, null, 2);
  const l = lockedConfig(text, 'openclaw.json');
  const cfg = JSON.parse(l.text) as Json;

  it('closes every DM and group on every channel and account, with the keys each schema has', () => {
    expect(cfg.channels.telegram).toMatchObject({ enabled: false, dmPolicy: 'disabled', groupPolicy: 'disabled' });
    expect(cfg.channels.telegram.groups['*']).toEqual({ requireMention: true, enabled: false, groupPolicy: 'disabled' });
    expect(cfg.channels.telegram.accounts.alt).toEqual({ dmPolicy: 'disabled', allowFrom: ['*'], botToken: 'x', enabled: false, groupPolicy: 'disabled' });
    expect(cfg.channels.discord).toMatchObject({ enabled: false, dmPolicy: 'disabled', groupPolicy: 'disabled', dm: { enabled: false, groupEnabled: false } });
    expect(cfg.channels.matrix).toEqual({
      enabled: false,
      groupPolicy: 'disabled',
      dm: { policy: 'disabled', enabled: false },
      accounts: { a: { accessToken: 'x' } },
    });
    expect(cfg.channels.defaults).toEqual({ groupPolicy: 'disabled' });
    // no `enabled` key to turn off: the section goes (the snapshot keeps it)
    expect(cfg.channels['synology-chat']).toBeUndefined();
    expect(l.removed).toEqual(['synology-chat']);
    expect(l.closed).toEqual(['telegram', 'discord', 'matrix']);
  });

  it('denies exec and every risky tool group, keeps session_status (the token check), and drops allow-lists', () => {
    expect(cfg.tools.profile).toBe('minimal');
    for (const g of [
      'group:runtime',
      'group:fs',
      'group:web',
      'group:ui',
      'group:automation',
      'group:messaging',
      'group:nodes',
      'group:plugins',
      'sessions_spawn',
    ])
      expect(cfg.tools.deny).toContain(g);
    expect(cfg.tools.deny).not.toContain('session_status');
    expect(cfg.tools.deny).not.toContain('group:sessions');
    expect(new Set(cfg.tools.deny).size).toBe(cfg.tools.deny.length);
    expect(cfg.tools.alsoAllow).toBeUndefined();
    expect(cfg.tools.exec).toEqual({ security: 'deny', ask: 'always' });
    expect(cfg.tools.elevated).toEqual({ enabled: false });
    expect(cfg.gateway.terminal).toEqual({ enabled: false });
    expect(cfg.hooks).toEqual({ enabled: false, path: '/hooks' });
    expect(cfg.cron).toEqual({ enabled: false });
  });

  it('leaves the rest as it was (auth, ports, models, sandbox) and is idempotent', () => {
    for (const k of ['auth', 'port', 'bind', 'controlUi']) expect(cfg.gateway[k]).toEqual(live.gateway[k]);
    expect(cfg.agents).toEqual(live.agents);
    expect(lockedConfig(l.text, 'x').text).toBe(l.text);
    expect(LOCKDOWN_DENY).not.toContain('group:openclaw');
  });

  it('refuses a config it cannot read, with how to fix it', () => {
    expect(() => lockedConfig('{ nope', 'openclaw.json')).toThrow(UserError);
    expect(() => lockedConfig('[]', 'openclaw.json')).toThrow(/not a JSON object/);
  });
});

describe('enabledChannels', () => {
  it('lists the channel sections OpenClaw starts: not those switched off, not defaults', () => {
    const text = JSON.stringify({ channels: { defaults: { groupPolicy: 'open' }, telegram: { enabled: true }, discord: { enabled: false }, matrix: {} } });
    expect(enabledChannels(text, 'openclaw.json')).toEqual(['telegram', 'matrix']);
    expect(enabledChannels(lockedConfig(text, 'openclaw.json').text, 'openclaw.json')).toEqual([]);
    expect(() => enabledChannels('{ nope', 'openclaw.json')).toThrow(UserError);
  });
});
