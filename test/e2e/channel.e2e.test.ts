// add-channel / remove-channel on a running deployment, for real: a Debian 13 test server with the
// real OpenClaw 2026.9.6 gateway (stand-in image), channels merged into the live files, validated by
// OpenClaw, the gateway recreated and the channel probed by OpenClaw itself, or everything put back.
// Telegram talks to a fake Bot API on this machine (apiRoot; no internet here), and the gateway
// installs the Discord plugin from npm through a CONNECT proxy on this machine; discord.com itself
// stays out of reach, which the probe reports as "not reachable now" (nothing to roll back).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testhostUnavailableReason } from './testhost/testhost.js';
import { look, runCli, SUDO_PW, teardown, type CliRun, type Rig } from './rollout-kit.js';
import { deployGateway, OC, startConnectProxy } from './gateway-kit.js';
import { startFakeTelegram, type FakeTelegram } from './fake-telegram.js';
import { CONTAINER_UID } from '../../templates/gateway-shared.js';

const unavailable = testhostUnavailableReason();
const TG_TOKEN = '7700112233:AAE2eTelegramSentinel_0123456789abcdef';
const TG_WRONG = '7700112233:AAE2eWrongTelegramToken_fedcba9876543210';
const DC_TOKEN = 'e2e-Discord-Sentinel.Token-9f8e7d6c5b4a';
const SENTINELS = [TG_TOKEN, TG_WRONG, DC_TOKEN, SUDO_PW];
const bench: string[] = [];
const CA_BUNDLE = process.env.NODE_EXTRA_CA_CERTS ?? '/etc/ssl/certs/ca-certificates.crt';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const config = (r: Rig): Record<string, any> => JSON.parse(look(r, `cat ${OC}/config/openclaw.json`));
const envLine = (r: Rig, name: string) => look(r, `grep '^${name}=' ${OC}/.env || true`).trim();
const fileSums = (r: Rig) => look(r, `sha256sum ${OC}/config/openclaw.json ${OC}/.env`);
const healthy = (r: Rig) => look(r, 'curl -fsS -o /dev/null -w "%{http_code}" http://127.0.0.1:18789/healthz || true').trim() === '200';
const armed = (r: Rig) => look(r, 'systemctl list-timers --all --no-legend | grep claw-setup-deadman || true').trim();
const noSentinels = (c: CliRun) => {
  for (const s of SENTINELS) {
    expect(c.stdout).not.toContain(s);
    expect(c.stderr).not.toContain(s);
  }
};
const roundTrips = (c: CliRun) => Number(/commands over the admin connection: (\d+)/.exec(c.stdout)?.[1] ?? NaN);
const removedLines = (diff: string) => diff.split('\n').filter((l) => l.startsWith('-') && !l.startsWith('---'));

describe.skipIf(unavailable !== null)(`add-channel / remove-channel on a running gateway${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let r: Rig | undefined;
  let tg: FakeTelegram | undefined;
  let proxy: Awaited<ReturnType<typeof startConnectProxy>> | undefined;
  const need = () => {
    if (!r || !tg || !proxy) throw new Error('no deployed test host (see the first failure)');
    return { r, tg, proxy };
  };
  const add = (r: Rig, type: string, sets: string[], extra: string[] = []) =>
    runCli(r, ['add-channel', '--type', type, ...sets.flatMap((s) => ['--set', s]), ...extra]);

  beforeAll(async () => {
    // The fake Bot API and the CONNECT proxy listen on this machine's side of the veth (10.77.N.1, a
    // private address the egress rules drop by default; N is known only once the host is up).
    const egress = { allow: ['10.77.0.0/16'] };
    ({ r } = await deployGateway(`chan-${process.pid % 10000}`, {
      env: { TELEGRAM_BOT_TOKEN: TG_TOKEN, DISCORD_BOT_TOKEN: DC_TOKEN },
      answers: { openclaw: { egress } },
    }));
    tg = await startFakeTelegram(r.host.hostIp, TG_TOKEN);
    proxy = await startConnectProxy(r.host.hostIp);
  }, 30 * 60_000);

  afterAll(async () => {
    if (bench.length) console.log(`\n[bench] ${bench.join('\n[bench] ')}\n`);
    await tg?.stop();
    proxy?.stop();
    await teardown(r);
  }, 300_000);

  it('a setting changed by hand survives; the live dry-run shows the exact diff and changes nothing', async () => {
    const { r, tg } = need();
    expect(config(r).channels).toBeUndefined();
    // The operator edits a setting by hand (as `openclaw config set` would), and has a proxy line of their own in .env.
    look(r, `cd ${OC}/config && sed 's/"maxAttempts": 10/"maxAttempts": 7/' openclaw.json > /tmp/x && cat /tmp/x > openclaw.json`);
    look(r, `echo 'HTTPS_PROXY=${need().proxy.url}' >> ${OC}/.env`);
    // This machine reaches the internet through a TLS-intercepting egress proxy: npm in the
    // container needs the same CA bundle this machine trusts (harmless where there is none).
    r.host.exec(['sh', '-c', `cat > ${OC}/config/egress-ca.crt && chown ${CONTAINER_UID}:${CONTAINER_UID} ${OC}/config/egress-ca.crt`], {
      input: readFileSync(CA_BUNDLE, 'utf8'),
    });
    look(r, `echo 'NODE_EXTRA_CA_CERTS=/home/node/.openclaw/egress-ca.crt' >> ${OC}/.env`);
    expect(config(r).gateway.auth.rateLimit.maxAttempts).toBe(7);
    const before = fileSums(r);
    const dry = await add(r, 'telegram', ['allowFrom=123456789', `apiRoot=${tg.url}`], ['--dry-run']);
    expect(dry.code, dry.stdout + dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/^\+ {4}"telegram": \{$/m);
    expect(dry.stdout).toContain(`+      "apiRoot": "${tg.url}",`);
    expect(removedLines(dry.stdout)).toEqual([]);
    expect(dry.stdout).toContain('.env: TELEGRAM_BOT_TOKEN=<secret: new>');
    expect(dry.stdout).toContain('dry run: nothing was changed anywhere');
    noSentinels(dry);
    expect(fileSums(r)).toBe(before);
    expect(look(r, 'ls /var/lib/claw-setup/backups 2>/dev/null || true').trim()).toBe('');
  });

  it('add Telegram: merged, validated, gateway recreated, probed by OpenClaw (works), files 600, hand edit kept', async () => {
    const { r, tg } = need();
    const c = await add(r, 'telegram', ['allowFrom=123456789', `apiRoot=${tg.url}`]);
    expect(c.code, c.stdout + c.stderr).toBe(0);
    noSentinels(c);
    expect(c.stdout).toMatch(/PASSED {2}check: OpenClaw's own probe of the telegram channel/);
    expect(tg.calls()).toContainEqual({ method: 'getMe', token: 'valid' });
    const cfg = config(r);
    expect(cfg.channels.telegram).toMatchObject({
      enabled: true,
      dmPolicy: 'allowlist',
      allowFrom: ['123456789'],
      botToken: { source: 'env', id: 'TELEGRAM_BOT_TOKEN' },
    });
    expect(cfg.gateway.auth.rateLimit.maxAttempts).toBe(7);
    expect(envLine(r, 'TELEGRAM_BOT_TOKEN')).toBe(`TELEGRAM_BOT_TOKEN='${TG_TOKEN}'`);
    expect(envLine(r, 'HTTPS_PROXY')).toBe(`HTTPS_PROXY=${need().proxy.url}`);
    expect(envLine(r, 'OPENCLAW_GATEWAY_TOKEN')).toMatch(/^OPENCLAW_GATEWAY_TOKEN='[0-9a-f]{64}'$/);
    expect(look(r, `stat -c '%a %u' ${OC}/.env ${OC}/config/openclaw.json`).trim().split('\n')).toEqual(['600 1000', `600 ${CONTAINER_UID}`]);
    expect(look(r, `test -e ${OC}/config/openclaw.json.candidate && echo left || echo gone`).trim()).toBe('gone');
    expect(healthy(r)).toBe(true);
    // a dated copy of the previous files, root only
    expect(look(r, "stat -c '%a %U' /var/lib/claw-setup/backups/*-add-telegram").trim()).toBe('700 root');
    expect(look(r, 'ls -A /var/lib/claw-setup/backups/*-add-telegram/').split('\n').filter(Boolean).sort()).toEqual(['.env', 'openclaw.json']);
    // the journal knows, and holds no secret
    const journal = look(r, 'cat /var/lib/claw-setup/journal.json');
    expect(JSON.parse(journal).answers.openclaw.channels.map((x: { type: string }) => x.type)).toEqual(['telegram']);
    for (const s of SENTINELS) expect(journal).not.toContain(s);
    expect(armed(r)).toBe('');
    bench.push(
      `add-channel telegram: ${(c.ms / 1000).toFixed(1)}s wall (gateway stop, recreate and start included), ${roundTrips(c)} commands over the admin connection`,
    );
  });

  it('the live dry-run after the real run shows no changes', async () => {
    const { r, tg } = need();
    const dry = await add(r, 'telegram', ['allowFrom=123456789', `apiRoot=${tg.url}`], ['--dry-run']);
    expect(dry.code, dry.stdout + dry.stderr).toBe(0);
    expect(dry.stdout).toContain('nothing to change');
    expect(dry.stdout).not.toMatch(/^(\+\+\+|---|@@)/m);
    expect(dry.stdout).toContain('.env: TELEGRAM_BOT_TOKEN=<secret: unchanged, on the server>');
  });

  it('a token Telegram refuses: the probe fails, the previous files come back, the gateway is healthy on them, exit 2', async () => {
    const { r } = need();
    const before = fileSums(r);
    const c = await runCli({ ...r, env: { ...r.env, TELEGRAM_BOT_TOKEN: TG_WRONG } }, [
      'add-channel',
      '--type',
      'telegram',
      '--set',
      'allowFrom=123456789,987654321',
      '--set',
      `apiRoot=${need().tg.url}`,
    ]);
    expect(c.code, c.stdout + c.stderr).toBe(2);
    noSentinels(c);
    expect(c.stdout).toMatch(/FAILED {2}check: OpenClaw's own probe of the telegram channel/);
    expect(c.stdout + c.stderr).toMatch(/telegram: refused: .*401|Unauthorized/);
    expect(c.stderr).toMatch(/previous \.env and openclaw\.json are back/);
    expect(c.stderr).toMatch(/healthy on the previous files/);
    expect(fileSums(r)).toBe(before);
    expect(healthy(r)).toBe(true);
    expect(armed(r)).toBe('');
  });

  it('add Discord beside it (plugin installed by the gateway through the proxy): Telegram config and token untouched', async () => {
    const { r, proxy } = need();
    const tgBefore = JSON.stringify(config(r).channels.telegram);
    const tokBefore = sha(envLine(r, 'TELEGRAM_BOT_TOKEN'));
    const c = await add(r, 'discord', ['allowFrom=123456789012345678']);
    expect(c.code, c.stdout + c.stderr).toBe(0);
    noSentinels(c);
    expect(c.stdout).toMatch(/discord: configured, but the provider is not reachable now/);
    expect(proxy.connects()).toContain('registry.npmjs.org');
    const cfg = config(r);
    expect(JSON.stringify(cfg.channels.telegram)).toBe(tgBefore);
    expect(sha(envLine(r, 'TELEGRAM_BOT_TOKEN'))).toBe(tokBefore);
    expect(cfg.channels.discord).toMatchObject({ enabled: true, token: { source: 'env', id: 'DISCORD_BOT_TOKEN' } });
    expect(cfg.plugins.entries.discord).toEqual({ enabled: true });
    expect(envLine(r, 'DISCORD_BOT_TOKEN')).toBe(`DISCORD_BOT_TOKEN='${DC_TOKEN}'`);
    expect(healthy(r)).toBe(true);
  });

  it('a config OpenClaw refuses: nothing switches, nothing restarts, the files stay, exit 2', async () => {
    const { r } = need();
    // An unknown key the operator put in by hand makes OpenClaw's validator refuse any candidate.
    look(
      r,
      `cd ${OC}/config && cp -p openclaw.json /root/good.json && sed 's/"token": {/"bogusKey": true, "token": {/' openclaw.json > /tmp/x && cat /tmp/x > openclaw.json`,
    );
    const broken = fileSums(r);
    const started = look(r, "docker inspect -f '{{.State.StartedAt}}' openclaw-gateway").trim();
    const c = await runCli(
      { ...r, env: { ...r.env, SLACK_BOT_TOKEN: 'xoxb-e2e-slack-bot-token-0123456789', SLACK_APP_TOKEN: 'xapp-e2e-slack-app-token-0123456789' } },
      ['add-channel', '--type', 'slack', '--set', 'allowFrom=U0123ABCD'],
    );
    const after = fileSums(r);
    look(r, `cat /root/good.json > ${OC}/config/openclaw.json`);
    expect(c.code, c.stdout + c.stderr).toBe(2);
    expect(c.stdout).toMatch(/FAILED {2}OpenClaw accepts the candidate config/);
    expect(c.stdout + c.stderr).toMatch(/bogusKey/);
    expect(after).toBe(broken);
    expect(look(r, "docker inspect -f '{{.State.StartedAt}}' openclaw-gateway").trim()).toBe(started);
    expect(healthy(r)).toBe(true);
    expect(armed(r)).toBe('');
  });

  it('remove Discord: its config, trust entry and .env line are gone, nothing else changes', async () => {
    const { r } = need();
    const tgBefore = JSON.stringify(config(r).channels.telegram);
    const envBefore = look(r, `grep -v '^DISCORD_BOT_TOKEN=' ${OC}/.env`);
    const started = look(r, "docker inspect -f '{{.Id}} {{.State.StartedAt}}' openclaw-gateway").trim();
    const c = await runCli(r, ['remove-channel', '--type', 'discord']);
    expect(c.code, c.stdout + c.stderr).toBe(0);
    noSentinels(c);
    // No .env value to set: the running gateway reloaded the config itself (same container, never restarted).
    expect(c.stdout).toMatch(/PASSED {2}check: the running gateway reloaded the new config .*config (hot reload applied|reload: )/);
    expect(look(r, "docker inspect -f '{{.Id}} {{.State.StartedAt}}' openclaw-gateway").trim()).toBe(started);
    const cfg = config(r);
    expect(cfg.channels.discord).toBeUndefined();
    expect(cfg.plugins).toBeUndefined();
    expect(JSON.stringify(cfg.channels.telegram)).toBe(tgBefore);
    expect(cfg.gateway.auth.rateLimit.maxAttempts).toBe(7);
    expect(envLine(r, 'DISCORD_BOT_TOKEN')).toBe('');
    expect(look(r, `cat ${OC}/.env`)).toBe(envBefore);
    expect(healthy(r)).toBe(true);
  });

  it('a live dry-run of the whole plan on the deployed server: read-only, nothing to write', async () => {
    const { r } = need();
    const before = look(r, `sha256sum ${OC}/config/openclaw.json ${OC}/.env /var/lib/claw-setup/journal.json; ls -la /var/lib/claw-setup`);
    const dry = await runCli(r, ['--dry-run', '--set', 'fail2ban.maxRetry=4']);
    expect(dry.code, dry.stdout + dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/^# Live dry run on /m);
    expect(dry.stdout).toMatch(/^\s+-maxretry = 5$/m);
    expect(dry.stdout).toMatch(/^\s+\+maxretry = 4$/m);
    noSentinels(dry);
    expect(look(r, `sha256sum ${OC}/config/openclaw.json ${OC}/.env /var/lib/claw-setup/journal.json; ls -la /var/lib/claw-setup`)).toBe(before);
  });
});
