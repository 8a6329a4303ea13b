// A first reply, proven (issue 21 item 4): a fresh Debian 13 test server set up in one go with a
// Telegram channel (dmPolicy allowlist, the sender's id in allowFrom) and an OpenAI-compatible model
// provider, both stand-ins on this machine (no internet here): fake-telegram.ts behind
// channels.telegram.apiRoot, model-standin.ts behind openclaw.providerBaseUrls.openai. A message goes
// in through the stand-in's getUpdates, the real OpenClaw 2026.9.6 gateway calls the model stand-in
// with the configured model, the reply comes out through sendMessage, and `claw-setup first-reply`,
// watching from the server side, says so. Then the failing hops: the provider answering 401, and a
// sender not on the allowlist. Prints the time from a fresh server to the first reply.
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testhostUnavailableReason } from './testhost/testhost.js';
import { look, rig, runCli, teardown, waitFor, type CliRun, type Rig } from './rollout-kit.js';
import { importStandIn, OC, prepareGatewayHost } from './gateway-kit.js';
import { startFakeTelegram, type FakeTelegram } from './fake-telegram.js';
import { callText, startModelStandIn, STANDIN_REPLY, type ModelStandIn } from './model-standin.js';

const unavailable = testhostUnavailableReason();
const TG_TOKEN = '7700112233:AAE2eFirstReplySentinel_0123456789abcd';
const MODEL_KEY = 'sk-e2e-FirstReplyStandinKey-0123456789abcdef';
const USER = 555000111;
const STRANGER = 555000999;
const bench: string[] = [];
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

const noSecrets = (c: CliRun) => {
  for (const x of [TG_TOKEN, MODEL_KEY]) expect(c.stdout + c.stderr).not.toContain(x);
};
const gatewayLogs = (r: Rig) => look(r, 'docker logs --tail 60 openclaw-gateway 2>&1 | cut -c1-400');

describe.skipIf(unavailable !== null)(`a first reply through the whole message path${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let r: Rig | undefined;
  let tg: FakeTelegram | undefined;
  let model: ModelStandIn | undefined;
  let setupMs = 0;
  const need = () => {
    if (!r || !tg || !model) throw new Error('no deployed test host (see the first failure)');
    return { r, tg, model };
  };
  /** Starts first-reply, delivers `text` once it is watching, and waits for its verdict. */
  const firstReply = async (r: Rig, tg: FakeTelegram, fromId: number, text: string, timeout = 120) => {
    let delivered = 0;
    const run = runCli(r, ['first-reply', '--type', 'telegram', '--timeout', String(timeout)], (line) => {
      if (!delivered && /send your bot a message now/i.test(line)) {
        delivered = Date.now();
        tg.deliver({ fromId, text });
      }
    });
    const c = await run;
    return { c, ms: delivered ? Date.now() - delivered : -1 };
  };

  beforeAll(async () => {
    await prepareGatewayHost();
    r = await rig(`reply-${process.pid % 10000}`, {
      image: 'debian-13',
      docker: true,
      env: { TELEGRAM_BOT_TOKEN: TG_TOKEN, OPENAI_API_KEY: MODEL_KEY },
      answers: { stopBefore: null, packages: { source: 'distro' } },
    });
    // Both stand-ins listen on this machine's side of the veth (10.77.N.1): known only once the
    // host is up, so the answers are completed now, before the first run.
    tg = await startFakeTelegram(r.host.hostIp, TG_TOKEN);
    model = await startModelStandIn(r.host.hostIp, MODEL_KEY);
    r.answers.openclaw = {
      providers: { openai: { env: 'OPENAI_API_KEY' } },
      providerBaseUrls: { openai: `${model.url}/v1` },
      // The egress rules drop private ranges by default: let the container reach the stand-ins.
      egress: { allow: ['10.77.0.0/16'] },
      channels: [{ type: 'telegram', dmPolicy: 'allowlist', allowFrom: [String(USER)], apiRoot: tg.url }],
    };
    writeFileSync(r.answersFile, JSON.stringify(r.answers, null, 2));
    const first = await runCli(r, ['--set', 'stopBefore=openclaw']);
    if (first.code !== 0) throw new Error(`first run failed:\n${first.stdout}\n${first.stderr}`);
    importStandIn(r); // what a pull would do; excluded from the measured time
    const second = await runCli(r);
    if (second.code !== 0) throw new Error(`second run failed:\n${second.stdout}\n${second.stderr}`);
    setupMs = first.ms + second.ms;
    bench.push(`setup, fresh server to a healthy gateway (two runs, image import excluded): ${s(setupMs)}`);
  }, 30 * 60_000);

  afterAll(async () => {
    if (bench.length) console.log(`\n[bench] ${bench.join('\n[bench] ')}\n`);
    await tg?.stop();
    await model?.stop();
    await teardown(r);
  }, 300_000);

  it('message in through getUpdates, the model stand-in called with the configured model, the reply out through sendMessage; first-reply says so', async () => {
    const { r, tg, model } = need();
    const cfg = JSON.parse(look(r, `cat ${OC}/config/openclaw.json`));
    expect(cfg.models.providers.openai).toEqual({ baseUrl: `${model.url}/v1`, api: 'openai-completions' });
    // The channel is up once the gateway long-polls with the valid token.
    expect(await waitFor(() => tg.calls().some((c) => c.method === 'getUpdates' && c.token === 'valid'), 180_000)).toBeGreaterThanOrEqual(0);
    const { c, ms } = await firstReply(r, tg, USER, 'hello from the first-reply e2e');
    if (c.code !== 0) console.log(gatewayLogs(r));
    expect(c.code, c.stdout + c.stderr).toBe(0);
    noSecrets(c);
    expect(c.stdout).toContain(`the gateway received your message from ${USER} to @claw_e2e_bot on telegram and answered it`);
    // The configured model (OpenClaw also makes side calls, e.g. a session recap with another model).
    const call = model.calls().find((x) => x.model === 'gpt-6-astra' && callText(x).includes('hello from the first-reply e2e'));
    expect(call, JSON.stringify(model.calls().map((x) => [x.path, x.model, x.status]))).toMatchObject({ api: 'openai-completions', key: 'valid', status: 200 });
    expect(
      tg.sent().some((m) => m.chatId === String(USER) && m.text.includes(STANDIN_REPLY)),
      JSON.stringify(tg.sent()),
    ).toBe(true);
    bench.push(`message in to reply out, watched by first-reply: ${s(ms)}`);
    bench.push(`fresh server to the first reply: ${s(setupMs + ms)}`);
  }, 300_000);

  it('the provider answers 401: first-reply names the model provider hop', async () => {
    const { r, tg, model } = need();
    model.failWith(401);
    try {
      const before = model.calls().length;
      const { c } = await firstReply(r, tg, USER, 'second message, the key is now refused');
      noSecrets(c);
      expect(c.code, c.stdout + c.stderr).toBe(2);
      expect(c.stdout + c.stderr).toMatch(/model provider/i);
      expect(
        model
          .calls()
          .slice(before)
          .some((x) => x.status === 401),
      ).toBe(true);
    } finally {
      model.failWith(null);
    }
  }, 300_000);

  it('a sender not on the allowlist: first-reply names the policy hop and points at pair', async () => {
    const { r, tg, model } = need();
    const before = model.calls().length;
    const { c } = await firstReply(r, tg, STRANGER, 'a stranger writes', 60);
    noSecrets(c);
    expect(c.code, c.stdout + c.stderr).toBe(2);
    expect(c.stdout + c.stderr).toMatch(/policy|allowlist/i);
    expect(model.calls().length).toBe(before);
  }, 300_000);
});
