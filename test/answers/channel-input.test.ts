// src/answers/channel-input.ts: a channel from command-line flags, validated before any plan exists.
import { describe, expect, it } from 'vitest';
import { channelFromFlags, channelTypeArg } from '../../src/answers/channel-input.js';
import { answersSchema } from '../../src/answers/schema.js';
import { UserError } from '../../src/core/errors.js';

const base = answersSchema.parse({
  target: { host: '203.0.113.10' },
  deployUser: { authorizedKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB7n4h0o3J6w0wz0h0h0h0h0h0h0h0h0h0h0h0h0h0h0 x'] },
});
const telegram = () => channelFromFlags('telegram', ['allowFrom=123456789,987654321', 'requireMention=false'], base);

describe('channel input from flags', () => {
  it('lists split on commas, numbers become strings; defaults filled', () => {
    const c = telegram();
    expect(c).toMatchObject({
      type: 'telegram',
      allowFrom: ['123456789', '987654321'],
      requireMention: false,
      dmPolicy: 'allowlist',
      botToken: { env: 'TELEGRAM_BOT_TOKEN' },
    });
    expect(channelFromFlags('telegram', ['allowFrom=[123456789]'], base).allowFrom).toEqual(['123456789']);
  });
  it('bad values name the flag; cross-field rules apply; nothing else gets through', () => {
    expect(() => channelFromFlags('telegram', ['allowFrom=12;rm -rf /'], base)).toThrow(/--set allowFrom/);
    expect(() => channelFromFlags('telegram', [], base)).toThrow(/allowFrom/);
    expect(() => channelFromFlags('telegram', ['dmPolicy=open', 'allowFrom=1234'], base)).toThrow(/dmPolicy/);
    expect(() => channelFromFlags('telegram', ['botToken=plain-text-token', 'allowFrom=1234'], base)).toThrow(UserError);
    expect(() => channelFromFlags('telegram', ['nonsense'], base)).toThrow(/FIELD=VALUE/);
    expect(() => channelFromFlags('telegram', ['__proto__.x=1'], base)).toThrow(UserError);
    expect(() => channelTypeArg('irc', 'add-channel')).toThrow(/unknown channel type "irc"/);
    expect(() => channelTypeArg(undefined, 'add-channel')).toThrow(/needs --type/);
  });
});
