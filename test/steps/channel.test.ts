// steps/channel.ts: a channel change on a running deployment. The merge into openclaw.json, the .env
// edit (run here with sh), and the plan: a dated copy, a guarded switch with the candidate validated
// first, the journal. The probe gate it runs: test/steps/deployment.test.ts.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { channelFromFlags } from '../../src/answers/channel-input.js';
import { answersSchema } from '../../src/answers/schema.js';
import { UserError } from '../../src/core/errors.js';
import { Secret } from '../../src/core/secret.js';
import { planSecrets } from '../../src/plan/action.js';
import { printPlan } from '../../src/plan/print.js';
import type { Deployed } from '../../src/plan/deployed-state.js';
import { ENV_EDIT, envChanges, envEditArgv, mergeChannelConfig, planChannelChange } from '../../steps/channel.js';
import { renderOpenclawJson } from '../../templates/openclaw-json.js';
import { findTool, run, tempDir } from '../tool-runner.js';

const tmp = tempDir('channel');
afterAll(() => tmp.cleanup());
const base = answersSchema.parse({
  target: { host: '203.0.113.10' },
  deployUser: { authorizedKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB7n4h0o3J6w0wz0h0h0h0h0h0h0h0h0h0h0h0h0h0h0 x'] },
});
const TG = Secret.of('TELEGRAM_BOT_TOKEN', '7700112233:AAUnitTelegramSentinel_0123456789', 'test');
const telegram = () => channelFromFlags('telegram', ['allowFrom=123456789,987654321', 'requireMention=false'], base);
const deployed = (over: Partial<Deployed> = {}): Deployed => ({
  configText: renderOpenclawJson(base),
  envKeys: ['OPENCLAW_GATEWAY_TOKEN', 'TZ'],
  journal: { tool: 'claw-setup', answers: base },
  journalAnswers: base,
  ...over,
});

describe('mergeChannelConfig', () => {
  it('sets channels.<type> and keeps every other key, including ones OpenClaw or the user added', () => {
    const live = JSON.parse(renderOpenclawJson(base));
    live.gateway.auth.rateLimit.maxAttempts = 7;
    live.meta = { lastTouchedVersion: '2026.9.6' };
    const text = `// edited by hand\n${JSON.stringify(live)}`; // JSON5 with a comment
    const out = JSON.parse(mergeChannelConfig(text, 'p', { op: 'add', channel: telegram(), secrets: [TG] }));
    expect(out.gateway.auth.rateLimit.maxAttempts).toBe(7);
    expect(out.meta).toEqual({ lastTouchedVersion: '2026.9.6' });
    expect(out.channels.telegram).toMatchObject({
      dmPolicy: 'allowlist',
      allowFrom: ['123456789', '987654321'],
      botToken: { source: 'env', id: 'TELEGRAM_BOT_TOKEN' },
    });
    const { channels, ...rest } = out;
    expect(channels).toBeDefined();
    expect(rest).toEqual(live);
  });
  it('remove drops the channel, and the channels key once empty', () => {
    const withTg = mergeChannelConfig(renderOpenclawJson(base), 'p', { op: 'add', channel: telegram(), secrets: [TG] });
    const removed = mergeChannelConfig(withTg, 'p', { op: 'remove', type: 'telegram' });
    expect(removed).toBe(renderOpenclawJson(base));
  });
  it('a plugin channel (discord) brings its trust entry, and takes it away again unless the user added to it', () => {
    const dc = channelFromFlags('discord', ['allowFrom=123456789012345678'], base);
    const added = JSON.parse(mergeChannelConfig(renderOpenclawJson(base), 'p', { op: 'add', channel: dc, secrets: [] }));
    expect(added.plugins).toEqual({ entries: { discord: { enabled: true } } });
    expect(mergeChannelConfig(JSON.stringify(added), 'p', { op: 'remove', type: 'discord' })).toBe(renderOpenclawJson(base));
    added.plugins.entries.discord.config = { x: 1 };
    expect(JSON.parse(mergeChannelConfig(JSON.stringify(added), 'p', { op: 'remove', type: 'discord' })).plugins.entries.discord).toEqual({
      enabled: true,
      config: { x: 1 },
    });
  });
  it('refuses a config it cannot parse, with the path', () => {
    expect(() => mergeChannelConfig('{ nope', '/x/openclaw.json', { op: 'remove', type: 'slack' })).toThrow(/cannot read \/x\/openclaw.json/);
    expect(() => mergeChannelConfig('[1]', '/x/openclaw.json', { op: 'remove', type: 'slack' })).toThrow(UserError);
  });
});

describe('.env edits on the server side (ENV_EDIT, run here with sh)', () => {
  const file = join(tmp.dir, '.env');
  const start = "# header\nOPENCLAW_GATEWAY_TOKEN='abc'\nTELEGRAM_BOT_TOKEN='old'\nTZ=UTC\n";
  const edit = (mode: 'set' | 'unset', names: string[], input = '') => {
    const [cmd, ...args] = envEditArgv(file, mode, names);
    return run(cmd, args, { input });
  };
  it('passes shellcheck', (ctx) => {
    const sc = findTool('shellcheck');
    if (!sc) return ctx.skip('no shellcheck');
    const f = join(tmp.dir, 'env-edit.sh');
    writeFileSync(f, `#!/bin/sh\n${ENV_EDIT}\n`);
    const r = run(sc, ['-s', 'sh', f]);
    expect(r.stdout + r.stderr).toBe('');
  });
  it('replaces one line and adds another, values from stdin, others byte for byte, mode 600', () => {
    writeFileSync(file, start, { mode: 0o644 });
    const r = edit('set', ['TELEGRAM_BOT_TOKEN', 'DISCORD_BOT_TOKEN'], 'new-tg\nnew-dc\n');
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe("# header\nOPENCLAW_GATEWAY_TOKEN='abc'\nTZ=UTC\nTELEGRAM_BOT_TOKEN='new-tg'\nDISCORD_BOT_TOKEN='new-dc'\n");
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
  it('unset removes only the named lines; a name that is a prefix of another is not touched', () => {
    writeFileSync(file, `${start}TELEGRAM_BOT_TOKEN_2='keep'\n`);
    expect(edit('unset', ['TELEGRAM_BOT_TOKEN']).status).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe("# header\nOPENCLAW_GATEWAY_TOKEN='abc'\nTZ=UTC\nTELEGRAM_BOT_TOKEN_2='keep'\n");
  });
  it('a missing value fails and leaves the file as it was', () => {
    writeFileSync(file, start);
    const r = edit('set', ['TELEGRAM_BOT_TOKEN'], '');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('no value for TELEGRAM_BOT_TOKEN');
    expect(readFileSync(file, 'utf8')).toBe(start);
    expect(run('sh', ['-c', `ls -a ${tmp.dir} | grep -c '^.env.' || true`]).stdout.trim()).toBe('0');
  });
});

describe('planChannelChange', () => {
  it('add: a dated copy, then a guarded switch (candidate validated first), then the journal; no secret in the printed plan', () => {
    const cp = planChannelChange(base, deployed(), { op: 'add', channel: telegram(), secrets: [TG] }, 'h');
    expect(cp.changes).toBe(true);
    expect(cp.env).toEqual([{ name: 'TELEGRAM_BOT_TOKEN', state: 'new' }]);
    const [step] = cp.plan.steps;
    expect(step.actions.map((a) => a.kind)).toEqual(['run', 'guarded', 'write']);
    const g = step.actions[1];
    if (g.kind !== 'guarded') throw new Error('no group');
    expect(g.backup).toEqual(['/home/deploy/openclaw/.env', '/home/deploy/openclaw/config/openclaw.json']);
    expect(g.actions.map((a) => a.title)).toEqual([
      'candidate openclaw.json with channels.telegram set',
      'OpenClaw accepts the candidate config (its own validator, in the gateway image)',
      '.env: TELEGRAM_BOT_TOKEN (new); values on stdin',
      'stop the gateway (cleanly) before the switch',
      'switch to the candidate config',
      'recreate the gateway with the new files',
    ]);
    expect(g.timeoutSec).toBeGreaterThanOrEqual(180);
    expect(planSecrets(cp.plan)).toEqual([TG]);
    const printed = printPlan(cp.plan, { host: 'h', port: 22, identityFile: '~/.ssh/id_ed25519' });
    expect(printed).not.toContain(TG.reveal());
    expect(printed).toContain('<secret:TELEGRAM_BOT_TOKEN>');
    expect(run('bash', ['-n'], { input: printed }).status).toBe(0);
    expect(cp.configDiff).toMatch(/^\+ {4}"telegram": \{$/m);
    // only additions
    expect(cp.configDiff.split('\n').filter((l) => l.startsWith('-') && !l.startsWith('---'))).toEqual([]);
  });
  it('the same channel again is no change; a token the server holds is kept when none is given', () => {
    const live = mergeChannelConfig(renderOpenclawJson(base), 'p', { op: 'add', channel: telegram(), secrets: [TG] });
    const d = deployed({ configText: live, envKeys: ['OPENCLAW_GATEWAY_TOKEN', 'TELEGRAM_BOT_TOKEN', 'TZ'] });
    const cp = planChannelChange(base, d, { op: 'add', channel: telegram(), secrets: [] }, 'h');
    expect(cp.changes).toBe(false);
    expect(cp.env).toEqual([{ name: 'TELEGRAM_BOT_TOKEN', state: 'kept' }]);
    expect(cp.plan.steps[0].actions).toEqual([]);
    expect(envChanges(d, { op: 'add', channel: telegram(), secrets: [TG] })).toEqual([{ name: 'TELEGRAM_BOT_TOKEN', state: 'replaced' }]);
  });
  it('add without a token the server lacks is refused before any plan', () => {
    expect(() => planChannelChange(base, deployed(), { op: 'add', channel: telegram(), secrets: [] }, 'h')).toThrow(/needs TELEGRAM_BOT_TOKEN/);
  });
  it('remove: the .env line goes, no stdin; no OpenClaw config on the server is a clear error', () => {
    const live = mergeChannelConfig(renderOpenclawJson(base), 'p', { op: 'add', channel: telegram(), secrets: [TG] });
    const cp = planChannelChange(base, deployed({ configText: live, envKeys: ['TELEGRAM_BOT_TOKEN'] }), { op: 'remove', type: 'telegram' }, 'h');
    expect(cp.env).toEqual([{ name: 'TELEGRAM_BOT_TOKEN', state: 'removed' }]);
    expect(planSecrets(cp.plan)).toEqual([]);
    expect(() => planChannelChange(base, deployed({ configText: null }), { op: 'remove', type: 'telegram' }, 'h')).toThrow(/no OpenClaw config/);
  });
});
