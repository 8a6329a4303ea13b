// add-channel / remove-channel on a running deployment, for real: a Debian 13 test server with the
// real OpenClaw 2026.9.6 gateway (stand-in image), channels merged into the live files, validated by
// OpenClaw, the gateway recreated and proven, or everything put back.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testhostUnavailableReason } from './testhost/testhost.js';
import { look, runCli, SUDO_PW, teardown, type CliRun, type Rig } from './rollout-kit.js';
import { deployGateway, OC } from './gateway-kit.js';

const unavailable = testhostUnavailableReason();
const TG_TOKEN = '7700112233:AAE2eTelegramSentinel_0123456789abcdef';
const DC_TOKEN = 'e2e-Discord-Sentinel.Token-9f8e7d6c5b4a';
const SENTINELS = [TG_TOKEN, DC_TOKEN, SUDO_PW];
const bench: string[] = [];

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const config = (r: Rig): Record<string, any> => JSON.parse(look(r, `cat ${OC}/config/openclaw.json`));
const envLine = (r: Rig, name: string) => look(r, `grep '^${name}=' ${OC}/.env || true`).trim();
const healthy = (r: Rig) => look(r, 'curl -fsS -o /dev/null -w "%{http_code}" http://127.0.0.1:18789/healthz || true').trim() === '200';
const noSentinels = (c: CliRun) => {
  for (const s of SENTINELS) {
    expect(c.stdout).not.toContain(s);
    expect(c.stderr).not.toContain(s);
  }
};
const counters = (c: CliRun) => Number(/commands over the admin connection: (\d+)/.exec(c.stdout)?.[1] ?? NaN);

describe.skipIf(unavailable !== null)(`add-channel / remove-channel on a running gateway${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let r: Rig | undefined;
  const need = () => {
    if (!r) throw new Error('no deployed test host (see the first failure)');
    return r;
  };

  beforeAll(async () => {
    ({ r } = await deployGateway(`chan-${process.pid % 10000}`, { env: { TELEGRAM_BOT_TOKEN: TG_TOKEN, DISCORD_BOT_TOKEN: DC_TOKEN } }));
  }, 30 * 60_000);

  afterAll(async () => {
    if (bench.length) console.log(`\n[bench] ${bench.join('\n[bench] ')}\n`);
    await teardown(r);
  }, 300_000);

  it('a setting changed by hand survives; the live dry-run shows the exact diff and changes nothing', async () => {
    const r = need();
    expect(config(r).channels).toBeUndefined();
    // The operator edits a setting by hand (as `openclaw config set` would).
    look(r, `cd ${OC}/config && jq '.gateway.auth.rateLimit.maxAttempts = 7' openclaw.json > x && cat x > openclaw.json && rm x`);
    const before = look(r, `sha256sum ${OC}/config/openclaw.json ${OC}/.env`);
    const dry = await runCli(r, ['add-channel', '--type', 'telegram', '--set', 'allowFrom=123456789', '--dry-run']);
    expect(dry.code, dry.stdout + dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/^\+\s+"telegram": \{$/m);
    expect(dry.stdout).toContain('.env: TELEGRAM_BOT_TOKEN=<secret: new>');
    expect(dry.stdout).toContain('dry run: nothing was changed anywhere');
    // only additions
    expect(dry.stdout.split('\n').filter((l) => l.startsWith('-') && !l.startsWith('---'))).toEqual([]);
    noSentinels(dry);
    expect(look(r, `sha256sum ${OC}/config/openclaw.json ${OC}/.env`)).toBe(before);
    expect(look(r, 'ls /var/lib/claw-setup/backups 2>/dev/null || true').trim()).toBe('');
  });

  it('add Telegram: merged, validated by OpenClaw, gateway recreated and healthy; files 600; hand edit kept', async () => {
    const r = need();
    const c = await runCli(r, ['add-channel', '--type', 'telegram', '--set', 'allowFrom=123456789']);
    expect(c.code, c.stdout + c.stderr).toBe(0);
    noSentinels(c);
    const cfg = config(r);
    expect(cfg.channels.telegram).toMatchObject({
      enabled: true,
      dmPolicy: 'allowlist',
      allowFrom: ['123456789'],
      botToken: { source: 'env', id: 'TELEGRAM_BOT_TOKEN' },
    });
    expect(cfg.gateway.auth.rateLimit.maxAttempts).toBe(7);
    expect(envLine(r, 'TELEGRAM_BOT_TOKEN')).toBe(`TELEGRAM_BOT_TOKEN='${TG_TOKEN}'`);
    expect(envLine(r, 'OPENCLAW_GATEWAY_TOKEN')).toMatch(/^OPENCLAW_GATEWAY_TOKEN='[0-9a-f]{64}'$/);
    expect(look(r, `stat -c '%a %U' ${OC}/.env ${OC}/config/openclaw.json`).trim().split('\n')).toEqual(['600 deploy', '600 1000']);
    expect(look(r, `test -e ${OC}/config/openclaw.json.candidate && echo left || echo gone`).trim()).toBe('gone');
    expect(healthy(r)).toBe(true);
    // a dated copy of the previous files, root only
    expect(look(r, "stat -c '%a %U' /var/lib/claw-setup/backups/*-add-telegram").trim()).toBe('700 root');
    expect(look(r, 'ls /var/lib/claw-setup/backups/*-add-telegram/').split('\n').filter(Boolean).sort()).toEqual(['.env', 'openclaw.json'].sort());
    // the journal knows, and holds no secret
    const journal = look(r, 'cat /var/lib/claw-setup/journal.json');
    expect(JSON.parse(journal).answers.openclaw.channels.map((x: { type: string }) => x.type)).toEqual(['telegram']);
    for (const s of SENTINELS) expect(journal).not.toContain(s);
    expect(look(r, 'systemctl list-timers --all --no-legend | grep claw-setup-deadman || true').trim()).toBe('');
    bench.push(
      `add-channel telegram: ${(c.ms / 1000).toFixed(1)}s wall (gateway recreate and start included), ${counters(c)} commands over the admin connection`,
    );
  });

  it('the live dry-run after the real run shows no changes', async () => {
    const r = need();
    const dry = await runCli(r, ['add-channel', '--type', 'telegram', '--set', 'allowFrom=123456789', '--dry-run']);
    expect(dry.code, dry.stdout + dry.stderr).toBe(0);
    expect(dry.stdout).toContain('nothing to change');
    expect(dry.stdout).not.toMatch(/^(\+\+\+|---|@@)/m);
  });

  it('add Discord beside it: the Telegram config and token are untouched', async () => {
    const r = need();
    const tgBefore = JSON.stringify(config(r).channels.telegram);
    const tokBefore = sha(envLine(r, 'TELEGRAM_BOT_TOKEN'));
    const c = await runCli(r, ['add-channel', '--type', 'discord', '--set', 'allowFrom=123456789012345678']);
    expect(c.code, c.stdout + c.stderr).toBe(0);
    noSentinels(c);
    const cfg = config(r);
    expect(JSON.stringify(cfg.channels.telegram)).toBe(tgBefore);
    expect(sha(envLine(r, 'TELEGRAM_BOT_TOKEN'))).toBe(tokBefore);
    expect(cfg.channels.discord).toMatchObject({ enabled: true, token: { source: 'env', id: 'DISCORD_BOT_TOKEN' } });
    expect(envLine(r, 'DISCORD_BOT_TOKEN')).toBe(`DISCORD_BOT_TOKEN='${DC_TOKEN}'`);
    expect(healthy(r)).toBe(true);
  });

  it('a config OpenClaw refuses: nothing switches, the previous files stay, exit 2', async () => {
    const r = need();
    const before = look(r, `sha256sum ${OC}/config/openclaw.json ${OC}/.env`);
    // An unknown key in the operator's own config makes OpenClaw's validator refuse the candidate.
    look(
      r,
      `cd ${OC}/config && cp -p openclaw.json /root/good.json && jq '.channels.discord.bogusKey = true' openclaw.json > x && cat x > openclaw.json && rm x`,
    );
    const broken = look(r, `sha256sum ${OC}/config/openclaw.json ${OC}/.env`);
    const c = await runCli(r, ['add-channel', '--type', 'slack', '--set', 'allowFrom=U0123ABCD'], undefined);
    look(r, `cat /root/good.json > ${OC}/config/openclaw.json`);
    expect(c.code, c.stdout + c.stderr).toBe(2);
    expect(c.stdout + c.stderr).toMatch(/OpenClaw accepts the candidate config/);
    expect(c.stderr).toMatch(/previous \.env and openclaw\.json are back/);
    expect(c.stderr).toMatch(/healthy on the previous files/);
    expect(look(r, `sha256sum ${OC}/config/openclaw.json ${OC}/.env`)).toBe(before);
    expect(broken).not.toBe(before);
    expect(healthy(r)).toBe(true);
    expect(look(r, 'systemctl list-timers --all --no-legend | grep claw-setup-deadman || true').trim()).toBe('');
  });

  it('remove Discord: its config and .env line are gone, nothing else changes', async () => {
    const r = need();
    const tgBefore = JSON.stringify(config(r).channels.telegram);
    const envBefore = look(r, `grep -v '^DISCORD_BOT_TOKEN=' ${OC}/.env`);
    const c = await runCli(r, ['remove-channel', '--type', 'discord']);
    expect(c.code, c.stdout + c.stderr).toBe(0);
    noSentinels(c);
    const cfg = config(r);
    expect(cfg.channels.discord).toBeUndefined();
    expect(JSON.stringify(cfg.channels.telegram)).toBe(tgBefore);
    expect(cfg.gateway.auth.rateLimit.maxAttempts).toBe(7);
    expect(envLine(r, 'DISCORD_BOT_TOKEN')).toBe('');
    expect(look(r, `cat ${OC}/.env`)).toBe(envBefore);
    expect(healthy(r)).toBe(true);
  });
});
