// The emergency brake, for real: a Debian 13 test server with the real OpenClaw 2026.9.6 gateway
// (stand-in image) behind Caddy (Debian's package, its internal CA), and a Telegram channel talking
// to a fake Bot API on this machine. `lockdown`: every channel closed in openclaw.json and the bot
// stops polling, risky tools denied, the old gateway token refused and the new one accepted, from
// outside nothing but sshd answers, and the audit has no failure. A second lockdown keeps the first
// snapshot. `unlock`: openclaw.json byte-identical to the snapshot, the gateway healthy, OpenClaw's
// probe of the channel passes, Caddy serves again, and the token stays the new one. A lockdown whose
// proof fails (a planted public listener) fails closed: the previous files back, the gateway stopped.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testhostUnavailableReason } from './testhost/testhost.js';
import { look, runCli, SUDO_PW, teardown, waitFor, type CliRun, type Rig } from './rollout-kit.js';
import { deployGateway, OC } from './gateway-kit.js';
import { gatewayHealthy, gatewayToken, invokeStatus, tcpOpen } from './gateway-probes.js';
import { startFakeTelegram, type FakeTelegram } from './fake-telegram.js';

const unavailable = testhostUnavailableReason();
const TG_TOKEN = '7700112233:AAE2eLockdownSentinel_0123456789abcdef';
const DOMAIN = 'claw.test';
const bench: string[] = [];

const token = gatewayToken;
const invoke = (r: Rig, t: string) => invokeStatus(r, t, { forwardedFor: '192.0.2.1' });
const healthy = gatewayHealthy;
const configText = (r: Rig) => look(r, `cat ${OC}/config/openclaw.json`);
const armed = (r: Rig) => look(r, 'systemctl list-timers --all --no-legend | grep claw-setup-deadman || true').trim();
/** The HTTPS site through Caddy, from this machine (Caddy's internal CA: -k). */
const https = (r: Rig) =>
  spawnSync(
    'curl',
    ['-sk', '--max-time', '5', '-o', '/dev/null', '-w', '%{http_code}', '--resolve', `${DOMAIN}:443:${r.host.ip}`, `https://${DOMAIN}/healthz`],
    {
      encoding: 'utf8',
    },
  ).stdout;

/** Which of the ports that could matter answer on the public address, from outside. */
async function openFromOutside(r: Rig): Promise<number[]> {
  const open: number[] = [];
  for (const p of [22, 80, 443, 18789, 18790, 2375, 2376]) if (await tcpOpen(r.host.ip, p)) open.push(p);
  return open;
}
const noSecrets = (c: CliRun, extra: string[]) => {
  for (const s of [SUDO_PW, TG_TOKEN, ...extra]) {
    expect(c.stdout).not.toContain(s);
    expect(c.stderr).not.toContain(s);
  }
};
const timed = (name: string, c: CliRun) => bench.push(`${name}: ${(c.ms / 1000).toFixed(1)} s`);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

describe.skipIf(unavailable !== null)(`lockdown / unlock on a running gateway behind Caddy${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let r: Rig | undefined;
  let tg: FakeTelegram | undefined;
  let before = '';
  let firstToken = '';
  let lockedToken = '';
  const need = () => {
    if (!r || !tg) throw new Error('no deployed test host (see the first failure)');
    return { r, tg };
  };

  beforeAll(async () => {
    ({ r } = await deployGateway(`lock-${process.pid % 10000}`, {
      env: { TELEGRAM_BOT_TOKEN: TG_TOKEN },
      answers: {
        access: { mode: 'caddy', domain: DOMAIN, email: 'ops@example.com', certificates: 'internal' },
        // The fake Bot API listens on this machine's side of the veth (10.77.N.1): a private address the egress rules drop by default.
        openclaw: { egress: { allow: ['10.77.0.0/16'] } },
      },
    }));
    tg = await startFakeTelegram(r.host.hostIp, TG_TOKEN);
    const add = await runCli(r, ['add-channel', '--type', 'telegram', '--set', 'allowFrom=123456789', '--set', `apiRoot=${tg.url}`]);
    if (add.code !== 0) throw new Error(`add-channel failed:\n${add.stdout}\n${add.stderr}`);
    // The first nightly backup now (a fresh deployment has none, which the audit reports).
    look(r, 'systemctl start openclaw-backup.service');
    if ((await waitFor(() => https(r!) === '200', 60_000, 2000)) < 0) throw new Error('Caddy never served the gateway');
  }, 40 * 60_000);

  afterAll(async () => {
    if (bench.length) console.log(`\n[bench] ${bench.join('\n[bench] ')}\n`);
    await tg?.stop();
    await teardown(r);
  }, 300_000);

  it('before: the channel polls, Caddy serves, 22/80/443 answer from outside', async () => {
    const { r, tg } = need();
    expect(tg.calls().filter((c) => c.method === 'getUpdates' && c.token === 'valid').length).toBeGreaterThan(0);
    expect(await openFromOutside(r)).toEqual([22, 80, 443]);
    before = configText(r);
    firstToken = token(r);
    expect(invoke(r, firstToken)).toBe('200');
  });

  it('lockdown --dry-run: the closure as a diff and a plan; nothing changes', async () => {
    const { r } = need();
    const dry = await runCli(r, ['lockdown', '--dry-run']);
    expect(dry.code, dry.stdout + dry.stderr).toBe(0);
    expect(dry.stdout).toContain('+      "dmPolicy": "disabled",');
    expect(dry.stdout).toContain('systemctl disable --now caddy');
    expect(dry.stdout).toContain('dry run: nothing was changed anywhere');
    expect(configText(r)).toBe(before);
    expect(token(r)).toBe(firstToken);
    noSecrets(dry, [firstToken]);
  });

  it('lockdown: every channel closed, tools denied, old token refused / new accepted, only sshd from outside, audit without failure', async () => {
    const { r, tg } = need();
    const c = await runCli(r, ['lockdown']);
    timed('lockdown (snapshot, exposure, switch, gates; audit included)', c);
    expect(c.code, c.stdout + c.stderr).toBe(0);
    expect(c.stdout).toContain('new token accepted, old token refused');
    expect(c.stdout).toContain('nothing public: only loopback');
    expect(c.stdout).toMatch(/^LOCKED: /m);
    expect(c.stdout).toContain('the audit of the locked-down server');
    expect(c.stdout).toMatch(/^ {2}\d+ checks: \d+ pass, \d+ warn, 0 fail/m);
    lockedToken = token(r);
    noSecrets(c, [firstToken, lockedToken]);
    const cfg = JSON.parse(configText(r)) as Json;
    expect(cfg.channels.telegram).toMatchObject({ enabled: false, dmPolicy: 'disabled', groupPolicy: 'disabled' });
    for (const g of Object.values(cfg.channels.telegram.groups ?? {}) as Json[]) expect(g).toMatchObject({ enabled: false, groupPolicy: 'disabled' });
    expect(cfg.tools.profile).toBe('minimal');
    expect(cfg.tools.deny).toEqual(expect.arrayContaining(['group:runtime', 'group:fs', 'group:web', 'group:messaging', 'group:automation', 'group:nodes']));
    expect(cfg.tools.exec).toMatchObject({ security: 'deny' });
    expect(cfg.gateway.terminal).toEqual({ enabled: false });
    expect(cfg.cron).toEqual({ enabled: false });
    // the token: new one in, old one out
    expect(lockedToken).toMatch(/^[0-9a-f]{64}$/);
    expect(lockedToken).not.toBe(firstToken);
    expect(invoke(r, lockedToken)).toBe('200');
    expect(['401', '403']).toContain(invoke(r, firstToken));
    // the bot no longer polls Telegram
    await new Promise((res) => setTimeout(res, 3000));
    const polls = tg.calls().length;
    await new Promise((res) => setTimeout(res, 6000));
    expect(tg.calls().length - polls).toBe(0);
    // outside-in: only sshd; Caddy off and its rules gone
    expect(await openFromOutside(r)).toEqual([22]);
    expect(look(r, 'systemctl is-enabled caddy || true').trim()).toBe('disabled');
    expect(look(r, 'ufw status')).not.toMatch(/^(80|443)\/tcp/m);
    // the snapshot: root only, the files as they were; the journal says locked
    expect(look(r, "stat -c '%a %U' $(readlink -f /var/lib/claw-setup/backups/last-lockdown)").trim()).toBe('700 root');
    expect(look(r, 'cat /var/lib/claw-setup/backups/last-lockdown/openclaw.json')).toBe(before);
    expect(look(r, 'ls -A /var/lib/claw-setup/backups/last-lockdown/').split('\n').filter(Boolean).sort()).toEqual(['.env', 'Caddyfile', 'openclaw.json']);
    const journal = look(r, 'cat /var/lib/claw-setup/journal.json');
    expect(JSON.parse(journal).lockdown).toMatchObject({ state: 'locked', access: 'caddy' });
    for (const s of [firstToken, lockedToken, TG_TOKEN]) expect(journal).not.toContain(s);
    expect(healthy(r)).toBe(true);
    expect(armed(r)).toBe('');
    // the audit on its own agrees: no failure
    const audit = await runCli(r, ['audit', '--json']);
    const report = JSON.parse(audit.stdout) as { counts: { fail: number }; checks: { id: string; status: string; evidence: string }[] };
    expect(
      report.checks.filter((x) => x.status === 'fail'),
      audit.stdout.slice(-3000),
    ).toEqual([]);
    const warns = report.checks.filter((x) => x.status === 'warn').map((x) => `${x.id}: ${x.evidence}`);
    if (warns.length) console.info(`audit warnings while locked: ${warns.join(' | ')}`);
  });

  it('a second lockdown keeps the first snapshot, closes again and rotates the token again', async () => {
    const { r } = need();
    const snap = look(r, 'readlink -f /var/lib/claw-setup/backups/last-lockdown').trim();
    const c = await runCli(r, ['lockdown']);
    timed('second lockdown', c);
    expect(c.code, c.stdout + c.stderr).toBe(0);
    expect(c.stdout).toContain('already locked down');
    expect(look(r, 'readlink -f /var/lib/claw-setup/backups/last-lockdown').trim()).toBe(snap);
    const again = token(r);
    expect(again).not.toBe(lockedToken);
    expect(['401', '403']).toContain(invoke(r, lockedToken));
    lockedToken = again;
    expect(JSON.parse(look(r, 'cat /var/lib/claw-setup/journal.json')).lockdown.again).toHaveLength(1);
  });

  it('unlock: openclaw.json byte-identical to the snapshot, channel probed, Caddy back; the token stays the new one', async () => {
    const { r, tg } = need();
    const dry = await runCli(r, ['unlock', '--dry-run']);
    expect(dry.code, dry.stdout + dry.stderr).toBe(0);
    expect(dry.stdout).toContain('-      "dmPolicy": "disabled",');
    const c = await runCli(r, ['unlock']);
    timed('unlock', c);
    expect(c.code, c.stdout + c.stderr).toBe(0);
    expect(c.stdout).toMatch(/PASSED {2}check: OpenClaw's own probe of the telegram channel/);
    expect(c.stdout).toContain('new token accepted, old token refused');
    expect(c.stdout).toContain('needs the new one');
    noSecrets(c, [firstToken, lockedToken]);
    expect(configText(r)).toBe(before);
    expect(look(r, `stat -c '%a' ${OC}/config/openclaw.json`).trim()).toBe('600');
    expect(token(r)).toBe(lockedToken);
    expect(invoke(r, lockedToken)).toBe('200');
    expect(['401', '403']).toContain(invoke(r, firstToken));
    expect(healthy(r)).toBe(true);
    const polls = tg.calls().length;
    expect(await waitFor(() => tg.calls().length > polls, 20_000, 1000)).toBeGreaterThanOrEqual(0);
    expect(await waitFor(() => https(r) === '200', 30_000, 1000)).toBeGreaterThanOrEqual(0);
    expect(await openFromOutside(r)).toEqual([22, 80, 443]);
    expect(JSON.parse(look(r, 'cat /var/lib/claw-setup/journal.json')).lockdown).toMatchObject({ state: 'unlocked' });
    expect(armed(r)).toBe('');
  });

  it('unlock when not locked: refused before any change, exit 1', async () => {
    const { r } = need();
    const sums = look(r, `sha256sum ${OC}/config/openclaw.json ${OC}/.env`);
    const c = await runCli(r, ['unlock']);
    expect(c.code, c.stdout + c.stderr).toBe(1);
    expect(c.stderr).toContain('is not locked down');
    expect(look(r, `sha256sum ${OC}/config/openclaw.json ${OC}/.env`)).toBe(sums);
  });
  it('a lockdown whose proof fails stays closed: previous files back, gateway STOPPED, only sshd from outside, exit 2', async () => {
    const { r } = need();
    const sums = look(r, `sha256sum ${OC}/config/openclaw.json ${OC}/.env`);
    // Something else listens publicly on the bridge port (IPv6 only, beside Docker's 127.0.0.1 binding).
    look(
      r,
      `systemd-run --unit=claw-e2e-squatter python3 -c 'import socket, time; s = socket.socket(socket.AF_INET6); s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1); s.bind(("::", 18790)); s.listen(); time.sleep(3600)'`,
    );
    expect(await waitFor(() => look(r, "ss -Hltn 'sport = :18790'").includes('[::]:18790'), 10_000)).toBeGreaterThanOrEqual(0);
    const c = await runCli(r, ['lockdown']);
    timed('lockdown that fails its exposure gate (fail-closed, with the 60 s health wait of the change runner)', c);
    look(r, 'systemctl stop claw-e2e-squatter');
    expect(c.code, c.stdout + c.stderr).toBe(2);
    expect(c.stdout).toMatch(/FAILED {2}check: nothing is exposed/);
    expect(c.stdout + c.stderr).toContain('still listening on a public address: [::]:18790');
    expect(c.stdout + c.stderr).toContain('FAIL-CLOSED, the gateway is STOPPED');
    expect(look(r, "docker inspect -f '{{.State.Running}}' openclaw-gateway").trim()).toBe('false');
    expect(look(r, `sha256sum ${OC}/config/openclaw.json ${OC}/.env`)).toBe(sums);
    expect(await openFromOutside(r)).toEqual([22]);
    expect(JSON.parse(look(r, 'cat /var/lib/claw-setup/journal.json')).lockdown.state).toBe('unlocked');
    expect(armed(r)).toBe('');
  });
});
