// A rerun tells the truth (issue 21), on a real Debian 13 test server with the real OpenClaw
// 2026.9.6 gateway (stand-in image) and the Telegram stand-in: after add-channel, a whole rerun with
// the same answers (the channel now in them) changes nothing and keeps the same container; a key
// claw-setup sets, changed by hand, is shown as drift by the live dry run and set back by --yes,
// which says so, one line per key.
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testhostUnavailableReason } from './testhost/testhost.js';
import { look, runCli, teardown, type CliRun, type Rig } from './rollout-kit.js';
import { deployGateway, OC } from './gateway-kit.js';
import { startFakeTelegram, type FakeTelegram } from './fake-telegram.js';

const unavailable = testhostUnavailableReason();
const TG_TOKEN = '7700112233:AAE2eRerunTelegramSentinel_0123456789';
const bench: string[] = [];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const config = (r: Rig): Record<string, any> => JSON.parse(look(r, `cat ${OC}/config/openclaw.json`));
const sums = (r: Rig) => look(r, `sha256sum ${OC}/config/openclaw.json ${OC}/.env ${OC}/docker-compose.yml`);
const container = (r: Rig) => look(r, "docker inspect -f '{{.Id}} {{.State.StartedAt}}' openclaw-gateway").trim();
const healthy = (r: Rig) => look(r, 'curl -fsS -o /dev/null -w "%{http_code}" http://127.0.0.1:18789/healthz || true').trim() === '200';
const envNames = (r: Rig) => look(r, `sed -n 's/=.*//p' ${OC}/.env`).trim().split('\n');
const ok = (c: CliRun) => {
  expect(c.code, c.stdout + c.stderr).toBe(0);
  expect(c.stdout + c.stderr).not.toContain(TG_TOKEN);
};

describe.skipIf(unavailable !== null)(`a rerun after add-channel, and drift${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let r: Rig | undefined;
  let tg: FakeTelegram | undefined;
  const need = () => {
    if (!r || !tg) throw new Error('no deployed test host (see the first failure)');
    return { r, tg };
  };

  beforeAll(async () => {
    // The Telegram stand-in listens on this machine's side of the veth (10.77.N.1), a private address the egress rules drop unless allowed.
    ({ r } = await deployGateway(`rerun-${process.pid % 10000}`, {
      env: { TELEGRAM_BOT_TOKEN: TG_TOKEN },
      answers: { openclaw: { egress: { allow: ['10.77.0.0/16'] } } },
    }));
    tg = await startFakeTelegram(r.host.hostIp, TG_TOKEN);
  }, 30 * 60_000);

  afterAll(async () => {
    if (bench.length) console.log(`\n[bench] ${bench.join('\n[bench] ')}\n`);
    await tg?.stop();
    await teardown(r);
  }, 300_000);

  it('add-channel telegram, then a whole rerun with the channel in the answers: nothing written, same container', async () => {
    const { r, tg } = need();
    const add = await runCli(r, ['add-channel', '--type', 'telegram', '--set', 'allowFrom=123456789', '--set', `apiRoot=${tg.url}`]);
    ok(add);
    // add-channel appends its line after TZ=UTC; a first run puts channel lines before it.
    expect(envNames(r).slice(-2)).toEqual(['TZ', 'TELEGRAM_BOT_TOKEN']);
    r.answers = { ...r.answers, openclaw: { ...(r.answers.openclaw as object), channels: [{ type: 'telegram', allowFrom: ['123456789'], apiRoot: tg.url }] } };
    writeFileSync(r.answersFile, JSON.stringify(r.answers, null, 2));
    const before = { sums: sums(r), container: container(r) };

    const dry = await runCli(r, ['--dry-run']);
    ok(dry);
    expect(dry.stdout).toMatch(new RegExp(`^\\s*same\\s+${OC}/\\.env$`, 'm'));
    expect(dry.stdout).toMatch(new RegExp(`^\\s*same\\s+${OC}/config/openclaw\\.json$`, 'm'));
    expect(dry.stdout).not.toContain('drift:');

    const again = await runCli(r);
    ok(again);
    expect(again.stdout).not.toContain('drift');
    expect(sums(r)).toBe(before.sums);
    expect(container(r)).toBe(before.container);
    expect(healthy(r)).toBe(true);
    bench.push(`whole rerun after add-channel: ${(again.ms / 1000).toFixed(1)}s wall, gateway not recreated`);
  });

  it('a key claw-setup sets, changed by hand: the live dry run shows drift; --yes sets it back and says so', async () => {
    const { r } = need();
    look(r, `cd ${OC}/config && sed 's/"maxAttempts": 10/"maxAttempts": 8/' openclaw.json > /tmp/x && cat /tmp/x > openclaw.json`);
    expect(config(r).gateway.auth.rateLimit.maxAttempts).toBe(8);
    const before = sums(r);
    const dry = await runCli(r, ['--dry-run']);
    ok(dry);
    expect(dry.stdout).toContain('# drift: gateway.auth.rateLimit.maxAttempts: on the server 8, from your answers 10\n');
    expect(dry.stdout.match(/drift: /g)).toHaveLength(1);
    expect(sums(r)).toBe(before);

    const run = await runCli(r);
    ok(run);
    expect(run.stdout).toContain('# drift: gateway.auth.rateLimit.maxAttempts: on the server 8, from your answers 10: --yes sets it back');
    expect(run.stdout).toContain('claw-setup: reverted drift: gateway.auth.rateLimit.maxAttempts: was 8 on the server, now 10 from your answers');
    expect(config(r).gateway.auth.rateLimit.maxAttempts).toBe(10);
    expect(config(r).channels.telegram).toMatchObject({ enabled: true, allowFrom: ['123456789'] });
    expect(healthy(r)).toBe(true);
    bench.push(`rerun reverting one drifted key: ${(run.ms / 1000).toFixed(1)}s wall (gateway recreated)`);
  });
});
