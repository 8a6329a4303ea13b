// Pairing from the operator's terminal (issue 21 item 3), on a real Debian 13 test server running the
// real OpenClaw 2026.9.6 gateway. Telegram in dmPolicy "pairing" on the Bot API stand-in
// (fake-telegram.ts): an unknown user's DM makes OpenClaw answer with a pairing code through
// sendMessage; `claw-setup pair telegram` lists it, refuses to pick one under --yes, approves the code
// given, and OpenClaw then holds the sender in its allow store (pairing list empty).
// WhatsApp, as far as it runs without WhatsApp's servers: the gateway's own login RPC
// (web.login.start, through `openclaw gateway call` in the container, exactly as `pair whatsapp`
// calls it) answers; and a QR rendered inside the container by OpenClaw's own QR renderer (the one
// its WhatsApp login uses for qrDataUrl) is drawn by claw-setup's terminal renderer and read back by
// a real decoder (jsQR).
import { writeFileSync } from 'node:fs';
import jsQRModule from 'jsqr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testhostUnavailableReason } from './testhost/testhost.js';
import { look, rig, runCli, teardown, waitFor, type Rig } from './rollout-kit.js';
import { importStandIn, OC, prepareGatewayHost } from './gateway-kit.js';
import { startFakeTelegram, type FakeTelegram } from './fake-telegram.js';
import { parseWebLogin, webLoginStartArgv } from '../../steps/pair-whatsapp.js';
import { shJoin } from '../../src/plan/shell.js';
import { qrMatrixFromPng, renderQr } from '../../src/ui/qr.js';
import { pixelsOf } from '../qr-pixels.js';

const unavailable = testhostUnavailableReason();
const TG_TOKEN = '7700112233:AAE2ePairingSentinel_0123456789abcdefg';
const STRANGER = 555000777;
const paths = { composeDir: OC, compose: `${OC}/docker-compose.yml` as const };
const jsQR = ((jsQRModule as unknown as { default?: unknown }).default ?? jsQRModule) as typeof jsQRModule.default;
const bench: string[] = [];

/** OpenClaw's CLI in the gateway container, as root on the host. */
const openclaw = (r: Rig, args: string) => look(r, `cd ${OC} && docker compose exec -T openclaw-gateway node dist/index.js ${args} 2>&1`);

describe.skipIf(unavailable !== null)(`pairing from the operator's terminal${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let r: Rig | undefined;
  let tg: FakeTelegram | undefined;
  const need = () => {
    if (!r || !tg) throw new Error('no deployed test host (see the first failure)');
    return { r, tg };
  };

  beforeAll(async () => {
    await prepareGatewayHost();
    r = await rig(`pair-${process.pid % 10000}`, {
      image: 'debian-13',
      docker: true,
      env: { TELEGRAM_BOT_TOKEN: TG_TOKEN },
      answers: { stopBefore: null, packages: { source: 'distro' } },
    });
    // The stand-in listens on this machine's side of the veth, known once the host is up.
    tg = await startFakeTelegram(r.host.hostIp, TG_TOKEN);
    r.answers.openclaw = { egress: { allow: ['10.77.0.0/16'] }, channels: [{ type: 'telegram', dmPolicy: 'pairing', apiRoot: tg.url }] };
    writeFileSync(r.answersFile, JSON.stringify(r.answers, null, 2));
    // deployGateway's two runs, with the answers completed first.
    const first = await runCli(r, ['--set', 'stopBefore=openclaw']);
    if (first.code !== 0) throw new Error(`first run failed:\n${first.stdout}\n${first.stderr}`);
    importStandIn(r);
    const second = await runCli(r);
    if (second.code !== 0) throw new Error(`second run failed:\n${second.stdout}\n${second.stderr}`);
  }, 30 * 60_000);

  afterAll(async () => {
    if (bench.length) console.log(`\n[bench] ${bench.join('\n[bench] ')}\n`);
    await tg?.stop();
    await teardown(r);
  }, 300_000);

  it('an unknown DM gets a code from OpenClaw; pair lists it, refuses to pick under --yes, approves it; OpenClaw then allows the sender', async () => {
    const { r, tg } = need();
    expect(await waitFor(() => tg.calls().some((c) => c.method === 'getUpdates' && c.token === 'valid'), 180_000)).toBeGreaterThanOrEqual(0);
    tg.deliver({ fromId: STRANGER, text: 'hello, may I talk to you?' });
    const codeMsg = () => tg.sent().find((m) => m.chatId === String(STRANGER) && /\b[A-HJ-NP-Z2-9]{8}\b/.test(m.text));
    expect(await waitFor(() => Boolean(codeMsg()), 120_000), JSON.stringify(tg.sent())).toBeGreaterThanOrEqual(0);
    const code = /\b([A-HJ-NP-Z2-9]{8})\b/.exec(codeMsg()!.text)![1];

    const refused = await runCli(r, ['pair', 'telegram']);
    expect(refused.code, refused.stdout + refused.stderr).toBe(1);
    expect(refused.stdout).toMatch(new RegExp(`1 pending telegram pairing request[\\s\\S]*${code} {2}${STRANGER}`));
    expect(refused.stderr).toMatch(/no code given/);
    expect(refused.stderr).toContain(`claw-setup pair telegram ${code}`);

    const bad = await runCli(r, ['pair', 'telegram', "AB'; id #"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/is not a pairing code/);
    expect(bad.stdout).not.toMatch(/connecting/);

    const ok = await runCli(r, ['pair', 'telegram', code.toLowerCase()]);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(new RegExp(`approved: telegram sender ${STRANGER}`));
    expect(ok.stdout + ok.stderr).not.toContain(TG_TOKEN);
    bench.push(`pair telegram CODE (connect, approve): ${(ok.ms / 1000).toFixed(1)} s`);
    // OpenClaw's CLI also makes the first approved sender the command owner (a key claw-setup does not set, so a rerun keeps it).
    console.log(`[pair] openclaw.json commands after approve: ${look(r, `grep -A3 '"commands"' ${OC}/config/openclaw.json || echo none`)}`);
    console.log(`[pair] pair telegram CODE printed:\n${ok.stdout}`);

    // OpenClaw's own view afterwards: nothing pending, the sender in its allow store.
    expect(JSON.parse(openclaw(r, 'pairing list telegram --json').replace(/^[^{]*/, ''))).toEqual({ channel: 'telegram', requests: [] });
    const allowed = look(
      r,
      `cd ${OC} && docker compose exec -T openclaw-gateway node -e 'const { DatabaseSync } = require("node:sqlite"); const db = new DatabaseSync(process.env.HOME + "/.openclaw/state/openclaw.sqlite", { readOnly: true }); console.log(JSON.stringify(db.prepare("SELECT * FROM channel_pairing_allow_entries").all()))' 2>&1`,
    );
    expect(allowed, allowed).toContain(String(STRANGER));
    const again = await runCli(r, ['pair', 'telegram']);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toMatch(/no pending telegram pairing requests/);
  }, 600_000);

  it("WhatsApp as far as it runs here: the gateway's login RPC answers pair's call; OpenClaw's own QR renderer's PNG is drawn and read back", async () => {
    const { r } = need();
    // The exact command pair whatsapp runs. The WhatsApp plugin is not installed (the server has
    // no npm registry), so the gateway says so: the RPC path (token, scopes) works up to there.
    const start = r.host.exec(['sh', '-c', `${shJoin(webLoginStartArgv(paths, false))} 2>&1`]);
    console.log(`[whatsapp] web.login.start: exit ${start.code}: ${start.stdout.slice(0, 600)}`);
    expect(start.stdout).toMatch(/web login provider is not available|whatsapp/i);

    // A linking QR as WhatsApp's login makes it (ref, noise key, identity key, adv secret), rendered
    // to a PNG data URL inside the container by OpenClaw's own qr-image module (qrcode 1.5.4).
    const payload = `2@${'Qx7'.repeat(20)},${'n'.repeat(43)}=,${'i'.repeat(43)}=,${'a'.repeat(43)}=`;
    const url = look(
      r,
      `cd ${OC} && docker compose exec -T openclaw-gateway sh -c 'cd /app/dist && f=$(ls qr-image-*.mjs | head -1) && node --input-type=module -e "const m = await import(\\"/app/dist/$f\\"); const f = Object.values(m).find((x) => x.name === \\"renderQrPngDataUrl\\"); console.log(JSON.stringify({ qrDataUrl: await f(process.argv[1]) }))" ${payload}' 2>&1`,
    );
    const login = parseWebLogin(url);
    expect(login.qrPng).toBeDefined();
    const lines = renderQr(qrMatrixFromPng(login.qrPng!), { color: true });
    console.log(`[whatsapp] the QR as pair whatsapp draws it (${lines.length} rows):\n${lines.join('\n')}`);
    const img = pixelsOf(lines);
    expect(jsQR(img.data, img.width, img.height)?.data).toBe(payload);
  }, 300_000);
});
