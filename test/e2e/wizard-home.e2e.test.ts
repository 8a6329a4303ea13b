// The wizard on a deployed server, in a real terminal (issue 21): bare `claw-setup` reaches a Debian 13
// test server running the real OpenClaw 2026.9.6 gateway and opens on the summary and menu; Telegram
// is added through the guided path (picker, help, masked and format-checked token, the diff of
// openclaw.json and the .env names) and works per OpenClaw's own probe against the Telegram stand-in;
// then removed from the menu; then the setup is re-applied with one answer changed (Modify → fail2ban).
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testhostUnavailableReason } from './testhost/testhost.js';
import { BIN, look, SUDO_PW, teardown, type Rig } from './rollout-kit.js';
import { deployGateway, OC } from './gateway-kit.js';
import { startFakeTelegram, type FakeTelegram } from './fake-telegram.js';
import { hasTmux, TmuxSession } from '../tty/tmux.js';
import { GATEWAY_CONTAINER } from '../../templates/gateway-shared.js';

const unavailable = testhostUnavailableReason() ?? (hasTmux() ? null : 'no tmux');
const TG_TOKEN = '7700112233:AAE2eHomeTelegramSentinel_0123456789ab';
const bench: string[] = [];
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const config = (r: Rig): Record<string, any> => JSON.parse(look(r, `cat ${OC}/config/openclaw.json`));
const MENU = /What do you want to do\?/;

/** Moves the focus of an @inkjs/ui Select (❯ marks the focused option) to the line matching `label`, then Enter. */
async function choose(tty: TmuxSession, label: RegExp, max = 20): Promise<void> {
  for (let i = 0; i < max; i++) {
    const focused = tty
      .capture()
      .split('\n')
      .find((l) => l.includes('❯'));
    if (focused && label.test(focused)) {
      tty.key('Enter');
      return;
    }
    const before = tty.capture();
    tty.key('Down');
    await tty.changed(before, 1000);
  }
  // The terminal's modes too: a cooked terminal (echo, icanon) never hands the arrows to the menu.
  const pane = spawnSync('tmux', ['-L', tty.socket, 'display-message', '-p', '-t', tty.name, '#{pane_tty}'], { encoding: 'utf8' }).stdout.trim();
  const modes = spawnSync('stty', ['-a', '-F', pane], { encoding: 'utf8' }).stdout;
  throw new Error(`never focused ${label}; terminal ${pane}: ${modes}\nscreen:\n${tty.capture()}`);
}

describe.skipIf(unavailable !== null)(`the wizard's home on a deployed server${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let r: Rig | undefined;
  let tg: FakeTelegram | undefined;
  let tty: TmuxSession | undefined;
  const need = () => {
    if (!r || !tg || !tty) throw new Error('no deployed test host (see the first failure)');
    return { r, tg, tty };
  };

  beforeAll(async () => {
    ({ r } = await deployGateway(`home-${process.pid % 10000}`, { answers: { openclaw: { egress: { allow: ['10.77.0.0/16'] } } } }));
    tg = await startFakeTelegram(r.host.hostIp, TG_TOKEN);
    tty = new TmuxSession(`home-${process.pid}`);
    const t = r.answers.target as { host: string; identityFile: string };
    // Bare claw-setup with the server named by flags; no answers file: the journal on the server is the memory.
    // The pane stays after the CLI ends, with its exit code, so a failure shows what it printed.
    const cli = `sh -c 'node ${BIN} --host ${t.host} --port 22 --user root --identity ${t.identityFile} --known-hosts ${r.knownHosts}; echo EXIT=$?; sleep 3600'`;
    tty.start(cli, { width: 110, height: 45, env: { CLAW_SUDO_PASSWORD: SUDO_PW, TMPDIR: r.dir }, cwd: r.dir });
  }, 30 * 60_000);

  afterAll(async () => {
    if (bench.length) console.log(`\n[bench] ${bench.join('\n[bench] ')}\n`);
    tty?.kill();
    await tg?.stop();
    await teardown(r);
  }, 300_000);

  it('opens on the summary of the deployment and the menu', async () => {
    const { tty } = need();
    await tty.waitFor(/Enter start/, 30_000);
    const started = Date.now();
    tty.key('Enter');
    const screen = await tty.waitFor(MENU, 60_000);
    bench.push(`Enter on Welcome → summary and menu on screen: ${((Date.now() - started) / 1000).toFixed(1)}s (connect + one round trip)`);
    expect(screen).toMatch(/claw-setup deployment on \S+ · OpenClaw 2026\.9\.6/);
    expect(screen).toMatch(/gateway +up .*\/healthz ok/);
    expect(screen).toMatch(/channels +none configured/);
    expect(screen).toMatch(/Add a channel/);
    expect(screen).toMatch(/Re-apply the setup as it is \(Keep\)/);
  });

  it('adds Telegram through the guided path: help, format check, the diff, applied, and OpenClaw probes it working', async () => {
    const { r, tg, tty } = need();
    await choose(tty, /Add a channel/);
    await tty.waitFor(/Which channel do you want to add\?/, 60_000);
    await choose(tty, /Telegram/);
    let screen = await tty.waitFor(/Who may message the Telegram bot directly\?/, 30_000);
    expect(screen).toMatch(/@BotFather/);
    tty.key('Enter'); // allowlist
    screen = await tty.waitFor(/Allowed senders/, 10_000);
    expect(screen).toMatch(/@userinfobot/);
    await tty.line('@alice');
    await tty.waitFor(/not a @username/, 10_000);
    for (let i = 0; i < 6; i++) tty.key('BSpace');
    await tty.line('123456789');
    await tty.waitFor(/Bot API server/, 10_000);
    await tty.line(tg.url);
    await tty.waitFor(/Telegram bot token \(from @BotFather\)/, 10_000);
    await tty.line('not-a-token');
    screen = await tty.waitFor(/does not look like/, 10_000);
    expect(screen).not.toContain('not-a-token'); // masked
    for (let i = 0; i < 11; i++) tty.key('BSpace');
    await tty.line(TG_TOKEN);
    await tty.waitFor(/add-channel telegram on \S+\?/, 60_000);
    // The diff can be taller than the terminal: read it from the scrollback.
    screen = tty.capture({ history: 400 });
    expect(screen).toMatch(/\+ {4}"telegram": \{/);
    expect(screen).toContain('.env: TELEGRAM_BOT_TOKEN=<secret: new>');
    const applied = Date.now();
    tty.key('Enter');
    // The channel just added: the offer to watch for a first message (default no; first-reply.e2e proves the watch).
    screen = await tty.waitFor(/Send your telegram bot a message now|claw-setup add-channel: (exit|failed|cancelled)/, 5 * 60_000, { history: 400 });
    bench.push(`guided add-channel telegram, confirm → done: ${((Date.now() - applied) / 1000).toFixed(1)}s`);
    expect(screen).toMatch(/Send your telegram bot a message now and see it answer\?/);
    tty.key('Enter');
    screen = await tty.waitFor(/claw-setup add-channel: (exit|failed|cancelled)/, 60_000, { history: 400 });
    expect(screen).toMatch(/claw-setup add-channel: exit 0/);
    expect(screen).toMatch(/PASSED {2}check: OpenClaw's own probe of the telegram channel/);
    expect(tty.capture({ history: 2000 })).not.toContain(TG_TOKEN);
    expect(config(r).channels.telegram).toMatchObject({ enabled: true, allowFrom: ['123456789'], apiRoot: tg.url });
    // OpenClaw's own probe, asked again from outside the CLI.
    const probe = JSON.parse(
      look(r, `docker exec ${GATEWAY_CONTAINER} node dist/index.js channels status --probe --json --timeout 30000 --channel telegram | sed -n '/^{/,$p'`),
    );
    expect(probe.channelAccounts.telegram[0].probe.ok).toBe(true);
    expect(tg.calls()).toContainEqual({ method: 'getMe', token: 'valid' });
  });

  it('back to the menu, the summary read again shows the channel; remove it from the menu', async () => {
    const { r, tty } = need();
    let screen = await tty.waitFor(MENU, 60_000);
    expect(screen).toMatch(/channels +telegram/);
    await choose(tty, /Remove a channel/);
    await tty.waitFor(/Which channel do you want to remove\?/, 60_000);
    tty.key('Enter');
    await tty.waitFor(/remove-channel telegram on \S+\?/, 60_000);
    tty.key('Enter');
    screen = await tty.waitFor(/claw-setup remove-channel: (exit|failed|cancelled)/, 5 * 60_000, { history: 400 });
    expect(screen).toMatch(/claw-setup remove-channel: exit 0/);
    expect(config(r).channels?.telegram).toBeUndefined();
    screen = await tty.waitFor(MENU, 60_000);
    expect(screen).toMatch(/channels +none configured/);
  });

  it('Modify: one section (fail2ban ban length) changed, the rest as deployed, applied to the server', async () => {
    const { r, tty } = need();
    expect(look(r, 'cat /etc/fail2ban/jail.d/claw-setup.local')).not.toMatch(/bantime\s*=\s*2h/);
    await choose(tty, /Change the setup, section by section \(Modify\)/);
    await tty.waitFor(/Which section do you want to change\?/, 10_000);
    await choose(tty, /fail2ban/);
    // Enter keeps each pre-filled answer until the ban length (the question in focus, "› "), which is replaced.
    await tty.waitFor(/^› /m, 10_000);
    for (let i = 0; i < 8 && !/^› Ban length/m.test(tty.capture()); i++) {
      const before = tty.capture();
      tty.key('Enter');
      await tty.changed(before, 3000);
    }
    await tty.waitFor(/^› Ban length/m, 10_000);
    tty.key('C-u');
    await tty.line('2h');
    let screen = await tty.waitFor(/apply this plan to/, 2 * 60_000);
    expect(screen).toMatch(/Review: nothing has changed yet/);
    const applied = Date.now();
    await choose(tty, /apply this plan to/);
    screen = await tty.waitFor(/claw-setup · (Done|Failed|Stopped)/, 15 * 60_000);
    bench.push(`Modify → re-apply with fail2ban bantime 2h: ${((Date.now() - applied) / 1000).toFixed(1)}s`);
    expect(screen).toMatch(/claw-setup · Done/);
    expect(look(r, 'cat /etc/fail2ban/jail.d/claw-setup.local')).toMatch(/bantime\s*=\s*2h/);
    expect(JSON.parse(look(r, 'cat /var/lib/claw-setup/journal.json')).answers.fail2ban.banTime).toBe('2h');
    expect(look(r, 'curl -fsS -o /dev/null -w "%{http_code}" http://127.0.0.1:18789/healthz || true').trim()).toBe('200');
  });
});
