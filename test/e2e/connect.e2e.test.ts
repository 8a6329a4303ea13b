// The admin connection on a real server: host-key trust on first contact, a non-root login
// through sudo (password fed on stdin, never reaching the command), and the one-round-trip probe.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError, UserError } from '../../src/core/errors.js';
import { SshHostKeyError } from '../../src/exec/ssh-errors.js';
import { write } from '../../src/plan/action.js';
import { Secret, secretText } from '../../src/core/secret.js';
import { connect, type ConnectOptions } from '../../src/rollout/connect.js';
import { bootHost, ensureImage, makeKeyPair, testhostUnavailableReason } from './testhost/testhost.js';
import { TmuxSession } from '../tty/tmux.js';
import type { KeyPair, TestHost } from './testhost/testhost-types.js';

const unavailable = testhostUnavailableReason();
const BIN = new URL('../../bin/claw-setup', import.meta.url).pathname;

describe.skipIf(unavailable !== null)(`connecting to a real server${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let host: TestHost | undefined;
  let dir = '';
  let admin: KeyPair;
  const OPS_PW = 'ops-Sudo-pw-90f2e1';

  beforeAll(async () => {
    await ensureImage();
    dir = mkdtempSync(join(tmpdir(), 'claw-e2e-connect-'));
    admin = makeKeyPair(dir, 'admin');
    host = await bootHost(`conn-${process.pid % 10000}`, { adminPubKey: admin.publicKey, adminKey: admin.privateKey });
    // Two sudo users made out of band: "ops" needs its password for sudo, "nopw" does not.
    const setup = [
      'useradd -m -s /bin/bash -G sudo ops',
      `echo 'ops:${OPS_PW}' | chpasswd`,
      'useradd -m -s /bin/bash nopw',
      "echo 'nopw ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/90-nopw",
      'chmod 440 /etc/sudoers.d/90-nopw',
      'for u in ops nopw; do install -d -m 700 -o $u -g $u /home/$u/.ssh; install -m 600 -o $u -g $u /root/.ssh/authorized_keys /home/$u/.ssh/; done',
    ].join(' && ');
    const r = host.exec(['sh', '-c', setup]);
    if (r.code !== 0) throw new Error(r.stderr);
  }, 15 * 60_000);

  afterAll(async () => {
    await host?.down({ fast: true });
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  const opts = (o: Partial<ConnectOptions> = {}): ConnectOptions => ({
    host: host!.ip,
    port: 22,
    user: 'root',
    identityFile: admin.privateKey,
    sshOptions: [],
    yes: false,
    force: false,
    confirmHostKey: async () => {
      throw new Error('must not ask: the key is known');
    },
    ...o,
  });

  it('first contact: shows the fingerprint, and records the key only when the operator says yes', async () => {
    const kh = join(dir, 'kh-ask');
    writeFileSync(kh, '');
    const expected = spawnSync('ssh-keygen', ['-l', '-f', host!.knownHosts], { encoding: 'utf8' }).stdout;
    const ed25519 = /SHA256:\S+(?= .*\(ED25519\))/.exec(expected)?.[0];
    let shown = '';
    const no = await connect(opts({ knownHosts: kh, confirmHostKey: async (fp) => ((shown = fp), false) })).then(
      () => null,
      (e: Error) => e,
    );
    expect(no).toBeInstanceOf(CancelledError);
    expect(readFileSync(kh, 'utf8')).toBe('');
    expect(shown.split('\n')[0]).toContain(ed25519);

    const yes = await connect(opts({ knownHosts: kh, confirmHostKey: async () => true }));
    expect(yes.counters()).toEqual({ connections: 2, roundTrips: 2, raceRetries: 0 }); // keyscan + master; the run lock and one probe
    await yes.exec.close();
    expect(readFileSync(kh, 'utf8')).toMatch(new RegExp(`^${host!.ip.replace(/\./g, '\\.')} ssh-ed25519 `, 'm'));
    const again = await connect(opts({ knownHosts: kh })); // now known: no question
    await again.exec.close();
  });

  it('--yes: an unknown key needs --known-hosts; a changed key is refused', async () => {
    const empty = join(dir, 'kh-empty');
    writeFileSync(empty, '');
    const e1 = await connect(opts({ yes: true, sshOptions: [`UserKnownHostsFile=${empty}`, 'GlobalKnownHostsFile=/dev/null'] })).then(
      () => null,
      (e: Error) => e,
    );
    expect(e1).toBeInstanceOf(SshHostKeyError);
    expect((e1 as UserError).howToFix).toContain('--known-hosts FILE');

    const wrong = join(dir, 'kh-wrong');
    const other = makeKeyPair(dir, 'not-the-host');
    writeFileSync(wrong, `${host!.ip} ${readFileSync(other.publicKey, 'utf8').split(' ').slice(0, 2).join(' ')}\n`);
    const e2 = await connect(opts({ yes: true, knownHosts: wrong })).then(
      () => null,
      (e: Error) => e,
    );
    expect(e2).toBeInstanceOf(SshHostKeyError);
    expect(e2?.message).toMatch(/is not the one recorded/);

    const accept = join(dir, 'kh-accept');
    const ok = await connect(opts({ yes: true, knownHosts: accept }));
    await ok.exec.close();
    expect(spawnSync('ssh-keygen', ['-F', host!.ip, '-f', accept]).status).toBe(0); // recorded (hashed, as ssh_config says)
  });

  it('a day-2 command in a terminal shows the fingerprint and records the key on yes', async () => {
    const kh = join(dir, 'kh-tty');
    writeFileSync(kh, '');
    const ed25519 = /SHA256:\S+(?= .*\(ED25519\))/.exec(spawnSync('ssh-keygen', ['-l', '-f', host!.knownHosts], { encoding: 'utf8' }).stdout)?.[0];
    const tty = new TmuxSession('conn-fp');
    const cli = `node ${BIN} status --host ${host!.ip} --identity ${admin.privateKey} --known-hosts ${kh}`;
    try {
      tty.start(cli, { width: 100, height: 30, env: { XDG_STATE_HOME: join(dir, 'state') }, cwd: dir });
      const screen = await tty.waitFor(/Trust it and remember it\?/, 30_000);
      expect(screen).toContain('First connection to this server. Its host key fingerprint:');
      expect(screen).toContain(ed25519);
      expect(readFileSync(kh, 'utf8')).toBe('');
      await tty.line('y');
      for (let i = 0; i < 120 && !readFileSync(kh, 'utf8'); i++) await new Promise((res) => setTimeout(res, 250));
    } finally {
      tty.kill();
    }
    expect(spawnSync('ssh-keygen', ['-F', host!.ip, '-f', kh]).status).toBe(0);
  });

  it('a sudo user with a password: the password is fed to sudo and never reaches the command', async () => {
    const kh = join(dir, 'kh-ops');
    copyFileSync(host!.knownHosts, kh);
    const pw = Secret.of('SUDO_PASSWORD', OPS_PW);
    const c = await connect(opts({ user: 'ops', knownHosts: kh, sudoPassword: pw }));
    try {
      expect(c.facts.loginUser).toBe('ops');
      expect(c.facts.operatorIp).toBe(host!.hostIp); // found although sudo resets the environment
      expect((await c.exec.run(['id', '-u'])).stdout).toBe('0\n');
      const cat = await c.exec.run(['cat'], { stdin: ['hello\n'] });
      expect(cat.stdout).toBe('hello\n');
      const w = write('/root/from-ops', secretText`pw=${pw}\n`, { mode: 0o600 });
      expect(await c.exec.write(w)).toEqual({ changed: true });
      expect(await c.exec.write(w)).toEqual({ changed: false });
      const back = await c.exec.run(['cat', '/root/from-ops']);
      expect(back.stdout).toBe('pw=<secret:SUDO_PASSWORD>\n'); // what comes back is redacted
      expect(host!.exec(['stat', '-c', '%a %U', '/root/from-ops']).stdout.trim()).toBe('600 root');
    } finally {
      await c.exec.close();
    }
    const bad = await connect(opts({ user: 'ops', knownHosts: kh, sudoPassword: Secret.of('SUDO_PASSWORD', 'wrong-one') })).then(
      () => null,
      (e: Error) => e,
    );
    expect(bad).toBeInstanceOf(UserError);
    expect(bad?.message).toMatch(/sudo refused the password for ops/);
    expect(bad?.message).not.toContain('wrong-one');
  });

  it('a NOPASSWD sudo user: nothing extra on stdin', async () => {
    const kh = join(dir, 'kh-nopw');
    copyFileSync(host!.knownHosts, kh);
    const c = await connect(opts({ user: 'nopw', knownHosts: kh, sudoPassword: Secret.of('SUDO_PASSWORD', 'unused-pw-123') }));
    try {
      expect((await c.exec.run(['cat'], { stdin: ['only this\n'] })).stdout).toBe('only this\n');
      expect((await c.exec.run(['id', '-u'])).stdout).toBe('0\n');
    } finally {
      await c.exec.close();
    }
  });

  // Last: it turns root login off, as a first run does.
  it('after root login is off: the refused root attempt once, then straight in as the user that worked (timed)', async () => {
    const kh = join(dir, 'kh-memo');
    copyFileSync(host!.knownHosts, kh);
    const off = host!.exec(['sh', '-c', 'echo "PermitRootLogin no" > /etc/ssh/sshd_config.d/00-noroot.conf && sshd -t && systemctl reload ssh']);
    expect(off.code).toBe(0);
    const memo = join(dir, 'state', 'logins.json');
    const timed = async (loginMemo: string | null) => {
      const t0 = performance.now();
      // A reload returns before sshd has re-bound: retry a refused connection briefly.
      for (let i = 0; ; i++) {
        try {
          const c = await connect(opts({ knownHosts: kh, fallbackUser: 'nopw', loginMemo }));
          const ms = performance.now() - t0;
          const r = { ms, user: c.user, connections: c.counters().connections };
          await c.exec.close();
          return r;
        } catch (e) {
          if (i > 20 || !/connection refused/.test(String(e))) throw e;
          await new Promise((res) => setTimeout(res, 250));
        }
      }
    };
    await timed(null); // sshd settled
    const before: { ms: number }[] = [];
    for (let i = 0; i < 5; i++) before.push(await timed(null));
    const first = await timed(memo);
    const after: { ms: number }[] = [];
    for (let i = 0; i < 5; i++) after.push(await timed(memo));
    for (const r of [...before, first]) expect(r).toMatchObject({ user: 'nopw', connections: 2 }); // root refused, then nopw
    for (const r of after) expect(r).toMatchObject({ user: 'nopw', connections: 1 });
    const ms = (rs: { ms: number }[]) => rs.map((r) => r.ms.toFixed(0)).join('/');
    console.log(`connect + probe, root refused first: ${ms(before)} ms; straight as the remembered login: ${ms(after)} ms`);

    // The server is up but sshd is not: a day-2 command says "connection refused", not "host key not known".
    expect(host!.exec(['sh', '-c', 'systemctl stop ssh.socket ssh.service 2>/dev/null; systemctl stop ssh']).code).toBe(0);
    const r = spawnSync('node', [BIN, 'status', '--host', host!.ip, '--identity', admin.privateKey, '--known-hosts', join(dir, 'kh-none')], {
      encoding: 'utf8',
      env: { ...process.env, XDG_STATE_HOME: join(dir, 'state') },
    });
    expect(r.stderr).toMatch(/nothing accepts SSH connections on \S+ port 22 \(connection refused\)/);
  });
});
