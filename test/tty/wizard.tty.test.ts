import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hasTmux, TmuxSession } from './tmux.js';

/**
 * The wizard in a real terminal: `node bin/claw-setup --dry-run` under tmux,
 * driven with send-keys and read with capture-pane, screen by screen.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const S = 'S3NT1NEL';
const TITLES = ['Server', 'Deploy user', 'Firewall', 'Tailscale', 'SSH', 'fail2ban', 'Updates', 'OpenClaw', 'Channels', 'Access', 'Backups', 'Monitoring'];
const tmux = hasTmux();
if (!tmux && (process.env.CLAW_TEST_CI === '1' || process.env.CI === 'true'))
  throw new Error('tmux is missing: the real-terminal wizard test needs it (apt-get install -y tmux)');

let home = '';
const sessions: TmuxSession[] = [];
function session(name: string, args: string, o: { env?: Record<string, string>; width?: number; height?: number } = {}): TmuxSession {
  const t = new TmuxSession(name);
  sessions.push(t);
  // GNU time reports the peak RSS (KB) after the wizard exits; the pane stays for capture-pane.
  // A person's terminal: no CI variables (the test runner's would turn colours off).
  // From HOME: a dry run saves its plan in the current folder, never in the repository.
  t.start(
    `env -u CI -u CONTINUOUS_INTEGRATION -u CLAW_TEST_CI sh -c '/usr/bin/time -f "MAXRSS=%M" node ${ROOT}/bin/claw-setup ${args}; echo "EXIT=$?"; sleep 120'`,
    {
      cwd: home,
      width: o.width,
      height: o.height,
      env: { HOME: home, TERM: 'xterm-256color', LANG: 'C.UTF-8', ...o.env },
    },
  );
  return t;
}
afterEach(() => sessions.splice(0).forEach((t) => t.kill()));

/** True when dist/bundle is missing or older than any source file it is built from. */
function bundleIsStale(): boolean {
  const built = join(ROOT, 'dist/bundle/claw-setup.js');
  if (!existsSync(built)) return true;
  const newest = (p: string): number => {
    const st = statSync(p);
    return st.isDirectory() ? Math.max(st.mtimeMs, ...readdirSync(p).map((f) => newest(join(p, f)))) : st.mtimeMs;
  };
  const source = Math.max(...['src', 'steps', 'templates', 'scripts/bundle.mjs', 'package-lock.json'].map((p) => newest(join(ROOT, p))));
  return source > statSync(built).mtimeMs;
}

describe.skipIf(!tmux)('wizard in a real terminal (tmux)', () => {
  beforeAll(() => {
    // The bundle bin/claw-setup runs, rebuilt only when older than the source: `npm test` has just built
    // it, and rebuilding (rm, then write) would pull it from under plan.test.ts and core/io.test.ts,
    // which run it in parallel workers. esbuild only, not `npm run build`: its typecheck is tsc's job
    // in `npm test`, and here it cost 20-40 s of a loaded machine.
    if (bundleIsStale()) spawnSync(process.execPath, ['scripts/bundle.mjs'], { cwd: ROOT, stdio: 'ignore' });
    if (!existsSync(join(ROOT, 'dist/bundle/claw-setup.js'))) throw new Error('npm run build did not produce dist/bundle/claw-setup.js');
    home = mkdtempSync(join(tmpdir(), 'claw-tty-'));
    mkdirSync(join(home, '.ssh'), { mode: 0o700 });
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'tty', '-f', join(home, '.ssh/id_ed25519')]);
  }, 180_000);

  it('walks every screen at 80×24 to the printed plan', async () => {
    const started = Date.now();
    const t = session('walk', '--dry-run');
    let screen = await t.waitFor(/Nothing changes until you confirm/);
    const firstFrameMs = Date.now() - started;
    expect(screen.split('\n')[0]).toMatch(/^claw-setup · Welcome +DRY RUN$/);

    t.key('Enter');
    await t.waitFor(/› Server address/);
    await t.line('203.0.113.10');
    await t.waitFor(/› SSH port/);
    t.key('Enter');
    await t.waitFor(/› Admin login/);
    t.key('Enter');
    screen = await t.waitFor(/› Private key to log in with/);
    expect(screen).toContain('~/.ssh/id_ed25519 (ed25519, tty)');
    t.key('Down', 'Enter'); // create a new key: in a dry run, only when you run for real (issue 13 item 1)
    screen = await t.waitFor(/› Path for the new key/);
    expect(screen).toContain('a dry run creates no key');
    t.key('Enter');
    await t.waitFor(/› Deploy user name/);
    expect(existsSync(join(home, '.ssh/claw-setup_ed25519'))).toBe(false);
    expect(existsSync(join(home, '.ssh/claw-setup_ed25519.pub'))).toBe(false);

    const titles = new Set<string>(['Server']);
    for (let i = 0; i < 80; i++) {
      screen = t.capture();
      const head = screen.split('\n')[0];
      expect(head).toMatch(/^claw-setup · /); // nothing scrolled off the top
      if (/^claw-setup · Review/.test(head)) break;
      titles.add(/^claw-setup · (.+?)\s{2,}/.exec(head)?.[1] ?? head);
      const label = /^› (.+?)\s*$/m.exec(screen)?.[1] ?? '';
      if (/^Sudo password/.test(label)) {
        await t.line(`pw-${S}-sudo`);
        await t.waitFor(/type it again/);
        await t.line(`pw-${S}-sudo`);
      } else t.key('Enter'); // the API key too: a dry run takes an empty secret (issue 21 item 5)
      await t.changed(screen);
    }
    expect([...titles]).toEqual(TITLES);

    screen = await t.waitFor(/apply \(dry run/);
    expect(screen).toMatch(/SUDO_PASSWORD set \(hidden\)/);
    expect(screen).toMatch(/ANTHROPIC_API_KEY left empty/);
    // At 80 columns long review lines wrap: none is cut with "…" (issue 21 item 7).
    expect(screen.split('\n').filter((l) => /…\s*$/.test(l))).toEqual([]);
    expect(screen).toMatch(/Firewall \(guarded\): ufw: deny incoming/);

    t.key('Down', 'Enter');
    screen = await t.waitFor(/claw-setup · Plan/);
    expect(screen).toContain('#!/usr/bin/env bash');
    expect(screen).toMatch(/rows 1–\d+ of \d+/);
    t.key('PageDown');
    await t.waitFor(/rows (?!1–)\d+–/);
    t.resize(100, 30); // resize while looking at the plan: redrawn for the new size
    screen = await t.waitFor(/rows \d+–\d+ of \d+/);
    expect(screen.split('\n')[0]).toMatch(/^claw-setup · Plan/);
    t.resize(80, 24);
    t.key('Escape');
    await t.waitFor(/apply \(dry run/);

    t.key('Enter');
    screen = await t.waitFor(/EXIT=\d+/, 30000);
    const all = t.capture({ history: 20000 });
    expect(all).toMatch(/EXIT=0/);
    // The terminal ends on what to do next; the plan is in a new 0600 file (issue 21 item 6).
    const tail = all.slice(0, all.indexOf('MAXRSS=')).trimEnd().split('\n');
    expect(tail.at(-1)).toMatch(/^Next: to apply for real, run claw-setup again without --dry-run\./);
    const saved = readdirSync(home).find((f) => /^claw-setup-plan-.*\.sh$/.test(f))!;
    expect(tail.slice(-4).join('')).toContain(`./${saved}`); // tmux cuts the long line at 80 columns
    expect(statSync(join(home, saved)).mode & 0o777).toBe(0o600);
    const plan = readFileSync(join(home, saved), 'utf8');
    expect(plan).toContain('<secret:ANTHROPIC_API_KEY>');
    expect(plan).not.toContain(S);
    expect(all).not.toContain('CLAW_EOF');
    expect(all).toMatch(/Dry run finished in [\d.]+s: nothing was changed on any machine/);
    expect(existsSync(join(home, '.ssh/claw-setup_ed25519'))).toBe(false);
    expect(plan.replace(/\s+/g, ' ')).toContain('made by ssh-keygen when you run for real');
    expect(all).toContain('ssh -N -L 18789:127.0.0.1:18789 -p 22 deploy@203.0.113.10');
    expect(all).toContain('gateway token: stored in /home/deploy/openclaw/.env');
    expect(plan).toContain('#!/usr/bin/env bash');
    expect(plan).toContain('<secret:SUDO_PASSWORD>');
    expect(all).not.toContain(S);
    const rssKb = Number(/MAXRSS=(\d+)/.exec(all)?.[1]);
    console.log(`[bench] first interactive frame after ${firstFrameMs} ms (tmux poll, 25 ms resolution); peak RSS ${(rssKb / 1024).toFixed(1)} MB`);
    expect(firstFrameMs).toBeLessThan(3000);
    expect(rssKb / 1024).toBeLessThan(150);
  }, 120_000);

  it('an Enter typed before the first frame starts; Esc on Welcome quits (issue 21 item 7)', async () => {
    const early = session('early', '--dry-run');
    early.key('Enter'); // at once: the terminal is still in cooked mode, so the tty hands on "\n"
    await early.waitFor(/› Server address/);
    const esc = session('esc', '--dry-run');
    await esc.waitFor(/Nothing changes until you confirm/);
    esc.key('Escape');
    const screen = await esc.waitFor(/EXIT=\d+/);
    expect(screen).toContain('Cancelled. Nothing was changed.');
    expect(screen).toContain('EXIT=130');
  }, 60_000);

  it('Ctrl-C before applying: nothing was changed, exit 130', async () => {
    const t = session('cancel', '--dry-run');
    await t.waitFor(/Nothing changes until you confirm/);
    t.key('Enter');
    await t.waitFor(/› Server address/);
    t.key('C-c');
    const screen = await t.waitFor(/EXIT=\d+/);
    expect(screen).toContain('Cancelled. Nothing was changed.');
    expect(screen).toContain('EXIT=130');
  }, 60_000);

  it('text fields: keys sent at once are all applied, readline keys edit, typing ahead is kept (issue 13 item 2)', async () => {
    const t = session('lineedit', '--dry-run');
    // One send-keys call: the keys reach the wizard in one read, as on a busy machine.
    const atOnce = (...keys: string[]) => execFileSync('tmux', ['-L', t.socket, 'send-keys', '-t', t.name, ...keys]);
    await t.waitFor(/Nothing changes until you confirm/);
    t.key('Enter');
    await t.waitFor(/› Server address/);
    t.type('example.org');
    await t.waitFor(/^ +example\.org *$/m);
    atOnce('BSpace', 'BSpace', 'BSpace');
    let screen = await t.waitFor(/^ +example\. *$/m);
    expect(screen).not.toContain('printable ASCII');
    atOnce('C-w', 'C-u');
    await t.waitFor(/^ +IP address or host name.*\n *$/m);
    t.type('0.113.10');
    atOnce('C-a');
    t.type('203.');
    await t.waitFor(/^ +203\.0\.113\.10 *$/m);
    // Enter, then the next field's keys, all in one read: they land in the SSH port field.
    atOnce('Enter', 'C-u', '2', '2', '0', '0', 'Enter');
    screen = await t.waitFor(/› Admin login/);
    expect(screen).toMatch(/✓ Server address: 203\.0\.113\.10/);
    expect(screen).toMatch(/✓ SSH port to connect to: 2200/);
    t.key('C-c');
    expect(await t.waitFor(/EXIT=\d+/)).toContain('EXIT=130');
  }, 60_000);

  it('honours NO_COLOR (colours without it)', async () => {
    const sgr = /\x1b\[[0-9;]*(3[0-7]|9[0-7]|38;[0-9;]+)m/;
    const plain = session('nocolor', '--dry-run', { env: { NO_COLOR: '1' } });
    await plain.waitFor(/Nothing changes until you confirm/);
    expect(plain.capture({ escapes: true })).not.toMatch(sgr);
    const coloured = session('color', '--dry-run');
    await coloured.waitFor(/Nothing changes until you confirm/);
    expect(coloured.capture({ escapes: true })).toMatch(sgr);
  }, 60_000);

  it('--plain --dry-run in a terminal asks the same questions, as line prompts (issue 13 item 8)', async () => {
    const t = session('plaindry', '--plain --dry-run');
    await t.waitFor(/Server address/);
    await t.line('203.0.113.10');
    await t.waitFor(/SSH port/);
    t.key('C-c');
    const screen = await t.waitFor(/EXIT=\d+/);
    expect(screen).toContain('EXIT=130');
    expect(screen).not.toContain('#!/usr/bin/env bash');
  }, 60_000);

  it('without a terminal Ink is never mounted: the plan is printed', () => {
    const r = spawnSync('node', ['bin/claw-setup', '--dry-run'], {
      cwd: ROOT,
      env: { ...process.env, HOME: home },
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    expect(r.status).toBe(0);
    expect(r.stdout.startsWith('#!/usr/bin/env bash')).toBe(true);
    expect(r.stdout + r.stderr).not.toMatch(/\x1b/);
    expect(readFileSync(join(home, '.ssh/id_ed25519.pub'), 'utf8')).toContain('tty');
  });
});
