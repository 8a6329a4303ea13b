// The first-time rollout and its rerun, through the real binary, on a real throwaway Debian 12
// server over real SSH: then everything checked from outside over brand-new connections.
// Stops before "docker": the test hosts have no internet (see test/e2e/testhost/README.md).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureImage, testhostUnavailableReason } from './testhost/testhost.js';
import {
  armedTimers,
  buildCli,
  cliCounters,
  expectedPlan,
  look,
  passwordLogin,
  plannedFileFacts,
  rig,
  runCli,
  snapshot,
  sshFresh,
  stepStatuses,
  sudoFresh,
  SUDO_PW,
  teardown,
  type CliRun,
  type Rig,
} from './rollout-kit.js';

const unavailable = testhostUnavailableReason();
const OLD_PW = 'Old-user-pw-3c8e1';

describe.skipIf(unavailable !== null)(`rollout on a real server${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let r: Rig | undefined;
  let first: CliRun | undefined;
  const bench: string[] = [];

  beforeAll(async () => {
    await ensureImage();
    buildCli();
    r = await rig(`roll-${process.pid % 10000}`);
  }, 15 * 60_000);

  afterAll(async () => {
    if (bench.length) console.log(`\n[bench] ${bench.join('\n[bench] ')}\n`);
    await teardown(r);
  }, 120_000);

  const need = () => {
    if (!r) throw new Error('no test host (see the first failure)');
    return r;
  };

  it('a fresh host accepts password logins before the rollout (so "refused" later is real)', () => {
    const x = need();
    const mk = sshFresh(x, 'root', `useradd -m -s /bin/bash olduser && echo 'olduser:${OLD_PW}' | chpasswd`);
    expect(mk.status, mk.stderr).toBe(0);
    const pw = passwordLogin(x, 'olduser', OLD_PW);
    expect(pw.status, pw.stderr).toBe(0);
    expect(look(x, 'sshd -T | grep -x "passwordauthentication yes"')).toContain('passwordauthentication yes');
  });

  it('applies the whole plan (up to docker) with `claw-setup --answers F --yes --known-hosts K`', async () => {
    const x = need();
    first = await runCli(x);
    expect(first.code, `${first.stdout}\n${first.stderr}`).toBe(0);
    expect(first.stdout).toContain('your address as the server sees it: ' + x.host.hostIp);
    const st = stepStatuses(first.stdout);
    expect(st).toEqual({ preflight: 'skipped', base: 'done', user: 'done', 'login-gate': 'skipped', firewall: 'done', ssh: 'done', fail2ban: 'done' });
    for (const g of ['firewall', 'ssh']) {
      expect(first.stdout).toContain(`dead-man switch "${g}" armed`);
      expect(first.stdout).toContain(`dead-man switch "${g}" disarmed`);
    }
    expect(`${first.stdout}${first.stderr}`).not.toContain(SUDO_PW);
    const c = cliCounters(first.stdout);
    bench.push(
      `first rollout (preflight..fail2ban): ${(first.ms / 1000).toFixed(1)}s wall (CLI process), ${c?.connections} ssh connections, ${c?.roundTrips} commands over the admin connection`,
    );
    // one master + one per from-outside gate (login-gate, firewall, ssh: deploy+sudo, root refused, password refused)
    // (a quick retry of a fresh login that raced the sshd reload is counted apart: it depends on timing)
    expect(c!.connections - c!.raceRetries).toBe(6);
  });

  it('root login is refused, password logins are refused, the deploy key works', () => {
    const x = need();
    const root = sshFresh(x, 'root', 'true');
    expect(root.status).toBe(255);
    expect(root.stderr).toMatch(/Permission denied/);
    for (const [user, pw] of [
      ['deploy', SUDO_PW],
      ['olduser', OLD_PW],
    ]) {
      const p = passwordLogin(x, user, pw);
      expect(p.status, `${user}: ${p.stderr}`).not.toBe(0);
      expect(p.stderr).toMatch(/Permission denied \(publickey\)/);
    }
    const dep = sshFresh(x, 'deploy', 'id -un');
    expect(dep.status, dep.stderr).toBe(0);
    expect(dep.stdout.trim()).toBe('deploy');
  });

  it('sudo works with the password, and only with it', () => {
    const x = need();
    const ok = sudoFresh(x, 'id -u');
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout.trim()).toBe('0');
    const bad = sshFresh(x, 'deploy', "sudo -S -k -p '' true", { input: 'wrong-password\n' });
    expect(bad.status).not.toBe(0);
  });

  it('ufw is active, denies incoming by default, and has the break-glass rule', () => {
    const x = need();
    const u = sudoFresh(x, 'ufw status verbose');
    expect(u.status, u.stderr).toBe(0);
    expect(u.stdout).toMatch(/^Status: active$/m);
    expect(u.stdout).toMatch(/Default: deny \(incoming\), allow \(outgoing\)/);
    expect(u.stdout).toMatch(new RegExp(`^22/tcp\\s+ALLOW IN\\s+${x.host.hostIp.replace(/\./g, '\\.')}\\s+# claw-setup break-glass$`, 'm'));
    expect(u.stdout).toMatch(/^22\/tcp\s+LIMIT IN\s+Anywhere\s+# claw-setup ssh$/m);
  });

  it('sshd -T shows the hardened values', () => {
    const x = need();
    const t = sudoFresh(x, 'sshd -T');
    expect(t.status, t.stderr).toBe(0);
    const lines = t.stdout.split('\n');
    for (const l of [
      'permitrootlogin no',
      'passwordauthentication no',
      'kbdinteractiveauthentication no',
      'pubkeyauthentication yes',
      'authenticationmethods publickey',
      'allowusers deploy',
      'maxauthtries 3',
      'x11forwarding no',
      'allowtcpforwarding local',
      'allowagentforwarding no',
      'permitemptypasswords no',
      'port 22',
    ])
      expect(lines, l).toContain(l);
  });

  it('fail2ban guards sshd on the journal and never bans the operator', () => {
    const x = need();
    const f = sudoFresh(x, 'fail2ban-client status sshd; fail2ban-client get sshd ignoreip');
    expect(f.status, f.stderr).toBe(0);
    expect(f.stdout).toContain('Journal matches');
    expect(f.stdout).toContain(x.host.hostIp);
  });

  it('every planned file is there with its content, mode and owner; no dead-man timer is left armed', () => {
    const x = need();
    const want = plannedFileFacts(expectedPlan(x));
    expect(Object.keys(want).length).toBeGreaterThanOrEqual(5);
    for (const [path, facts] of Object.entries(want)) {
      const s = sudoFresh(x, `sha256sum ${path} | cut -c1-64; stat -c '%a %U %G' ${path}`);
      expect(s.stdout.trim(), path).toBe(facts);
    }
    expect(armedTimers(x)).toBe('');
  });

  it('a rerun with the same answers connects as deploy, plans nothing and changes nothing', async () => {
    const x = need();
    const plan = expectedPlan(x);
    const before = snapshot(x, plan);
    const again = await runCli(x);
    expect(again.code, `${again.stdout}\n${again.stderr}`).toBe(0);
    expect(again.stdout).toContain('root login is refused (done by an earlier run); connected as deploy');
    const after = snapshot(x, plan);
    expect(after).toEqual(before);
    const st = stepStatuses(again.stdout);
    // Nothing runs: every action is skipped by its probe (apt-get update too, once the packages are in).
    const ran = [...again.stdout.matchAll(/^ {4}done {4}(.+)$/gm)].map((m) => m[1]);
    expect(ran).toEqual([]);
    const expected = {
      preflight: 'skipped',
      base: 'skipped',
      user: 'skipped',
      'login-gate': 'skipped',
      firewall: 'skipped',
      ssh: 'skipped',
      fail2ban: 'skipped',
    };
    expect(st).toEqual(expected);
    expect(armedTimers(x)).toBe('');
    const c = cliCounters(again.stdout);
    bench.push(
      `rerun with nothing to do: ${(again.ms / 1000).toFixed(1)}s wall, ${c?.connections} ssh connections, ${c?.roundTrips} commands over the admin connection`,
    );
  });

  it('a server whose updates need a reboot: the run says so; with --reboot it reboots and proves a fresh login', async () => {
    const x = need();
    look(x, 'touch /var/run/reboot-required && echo linux-image-e2e > /var/run/reboot-required.pkgs');
    const boot = () => look(x, 'cat /proc/sys/kernel/random/boot_id').trim();
    const before = boot();
    const said = await runCli(x);
    expect(said.code, said.stdout + said.stderr).toBe(0);
    expect(said.stdout).toContain('the server needs a reboot to finish its updates (linux-image-e2e)');
    expect(said.stdout).toContain('--reboot');
    expect(boot()).toBe(before);
    const c = await runCli(x, ['--reboot']);
    expect(c.code, c.stdout + c.stderr).toBe(0);
    expect(c.stdout).toMatch(/the server is back after \d+s: a fresh login as deploy works/);
    expect(boot()).not.toBe(before);
    expect(look(x, 'test -e /var/run/reboot-required && echo still || echo gone').trim()).toBe('gone');
    const secs = Number(/back after (\d+)s/.exec(c.stdout)?.[1]);
    bench.push(`guarded reboot after a run: back and logged in fresh ${secs}s after the reboot was scheduled`);
  });
});
