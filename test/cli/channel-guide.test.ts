// Guided add-channel (issue 21): the picker, each setting checked by the answers schema as typed,
// and the token's format refused at the prompt.
import { describe, expect, it } from 'vitest';
import { channelFromFlags } from '../../src/answers/channel-input.js';
import { secretShapeProblem } from '../../src/answers/rules.js';
import { guideChannel, pickChannelType } from '../../src/cli/channel-guide.js';
import type { Prompts } from '../../src/ui/plain/prompts.js';
import { base } from '../day2-fixtures.js';

type Call = { kind: string; message: string; choices?: { name: string; value: string }[]; validate?: (v: string) => true | string };

/** Answers prompts in order; records each question and its validate so the test can try other input on it. */
function scripted(answers: string[]): { prompts: Prompts; calls: Call[] } {
  const calls: Call[] = [];
  const next = (c: Call) => {
    calls.push(c);
    const a = answers.shift();
    if (a === undefined) throw new Error(`unexpected prompt: ${c.message}`);
    if (c.validate && c.validate(a) !== true) throw new Error(`refused ${a}: ${String(c.validate(a))}`);
    return Promise.resolve(a);
  };
  const prompts: Prompts = {
    input: (o) => next({ kind: 'input', ...o }),
    password: (o) => next({ kind: 'password', ...o }),
    select: (o) => next({ kind: 'select', ...o }),
    confirm: () => Promise.resolve(true),
    checkbox: () => Promise.resolve([]),
  };
  return { prompts, calls };
}

describe('guided add-channel', () => {
  it('offers the four types and marks the one already running', async () => {
    const { prompts, calls } = scripted(['discord']);
    expect(await pickChannelType(prompts, ['telegram'])).toBe('discord');
    expect(calls[0].choices!.map((c) => c.value)).toEqual(['telegram', 'whatsapp', 'discord', 'slack']);
    expect(calls[0].choices![0].name).toMatch(/already set up/);
  });

  it('asks policy, senders and Bot API server for Telegram with help, and the result validates as a channel', async () => {
    const said: string[] = [];
    const { prompts, calls } = scripted(['allowlist', '123456789', 'http://10.0.0.2:8081']);
    const sets = await guideChannel(prompts, (s) => said.push(s), 'telegram', base, []);
    expect(sets).toEqual(['dmPolicy=allowlist', 'allowFrom=123456789', 'apiRoot=http://10.0.0.2:8081']);
    expect(said.join('\n')).toMatch(/@BotFather/);
    expect(said.join('\n')).toMatch(/@userinfobot/);
    const senders = calls[1].validate!;
    expect(senders('')).toMatch(/at least one ID/);
    expect(senders('@alice')).toMatch(/not a @username/);
    expect(calls[2].validate!('http://x/bot123')).toMatch(/leave out \/bot/);
    expect(channelFromFlags('telegram', sets, base)).toMatchObject({ type: 'telegram', allowFrom: ['123456789'], apiRoot: 'http://10.0.0.2:8081' });
  });

  it('pairing makes the senders optional; a given --set apiRoot is not asked again', async () => {
    const { prompts, calls } = scripted(['pairing', '']);
    const sets = await guideChannel(prompts, () => undefined, 'telegram', base, ['apiRoot=http://10.0.0.2:8081']);
    expect(calls).toHaveLength(2);
    expect(sets).toEqual(['apiRoot=http://10.0.0.2:8081', 'dmPolicy=pairing']);
  });

  it('token shapes the prompt refuses (the same check as the wizard)', () => {
    expect(secretShapeProblem('telegramBotToken', 'not-a-token')).toMatch(/does not look like/);
    expect(secretShapeProblem('telegramBotToken', '123456789:AAbbccddeeffgghhiijjkkllmm')).toBeNull();
  });
});
