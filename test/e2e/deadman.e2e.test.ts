// The no-lockout guarantee under what operators really do: kill the CLI and run it again, run it
// twice at once, reboot a half-hardened server, lose part of a backup, let the server's restore
// race the disarm. Each on its own fresh throwaway Debian 12 server over real SSH; each must end
// with a working way in and the hardening either fully in place or fully reverted.
// testhost.exec (nsenter, the provider console) is used only to look and to inject the fault.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureImage, testhostUnavailableReason } from './testhost/testhost.js';
import { armedTimers, buildCli, canLogIn, DROP_IN, leftoverMasters, look, rigPool, runCli, stepStatuses, waitFor, type Rig } from './rollout-kit.js';
import { applyInProcess, dieAfter, injectBefore, mapGroup, withRun } from './fault-kit.js';

const unavailable = testhostUnavailableReason();
const pool = rigPool();
const matrix: string[] = [];

const fresh = pool.fresh;

const DM = '/var/lib/claw-setup/deadman';
const rootWorks = (r: Rig) => canLogIn(r, 'root');
const deployWorks = (r: Rig) => canLogIn(r, 'deploy');
const ufwActive = (r: Rig) => look(r, 'ufw status').trim().startsWith('Status: active');
const groupState = (r: Rig, id: string) => look(r, `cat ${DM}/${id}/state 2>/dev/null || echo none`).trim();
const journal = (r: Rig) => look(r, 'journalctl -q -t claw-setup --no-pager -o cat');
const mastersOf = leftoverMasters;
const secs = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

describe.skipIf(unavailable !== null)(`dead-man switch under real operator faults${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  beforeAll(async () => {
    await ensureImage();
    buildCli();
  }, 15 * 60_000);

  afterAll(async () => {
    if (matrix.length) console.log(`\n[fault matrix]\n${matrix.join('\n')}\n`);
    await pool.downAll();
  }, 300_000);

  it('(1, 9) CLI killed (SIGKILL) right after "ufw enable", rerun at once: the rerun restores and re-applies, nothing is left armed, the killed master ends', async () => {
    const r = await fresh('d1');
    let killedAt = 0;
    const first = await runCli(r, [], (line, kill) => {
      if (/^\s+done\s+enable ufw$/.test(line) && !killedAt) {
        killedAt = Date.now();
        kill('SIGKILL');
      }
    });
    expect(first.signal).toBe('SIGKILL');
    expect(groupState(r, 'firewall')).toBe('armed');
    expect(ufwActive(r)).toBe(true);
    // the lock session ended with the CLI: a rerun gets in at once
    const rerun = await runCli(r);
    if (process.env.E2E_DEBUG) console.log(rerun.stdout, rerun.stderr);
    expect(rerun.code, rerun.stdout + rerun.stderr).toBe(0);
    expect(rerun.stdout).toMatch(/^\s+done\s+restore what an interrupted earlier run left armed/m);
    expect(stepStatuses(rerun.stdout)).toMatchObject({ firewall: 'done', ssh: 'done' });
    expect(rerun.stdout).toContain('dead-man switch "firewall" disarmed');
    expect(journal(r)).toContain('dead-man switch firewall: restored (stale)');
    // nothing armed, nothing will fire later: the hardening stays
    expect(armedTimers(r)).toBe('');
    expect(groupState(r, 'firewall')).toBe('disarmed');
    expect(look(r, 'systemctl is-enabled claw-setup-deadman-boot@firewall.service 2>/dev/null || true').trim()).not.toBe('enabled');
    expect(ufwActive(r)).toBe(true);
    expect(deployWorks(r)).toBe(true);
    expect(rootWorks(r)).toBe(false);
    // the killed CLI's ControlMaster ends by itself (ControlPersist is bounded, its lock session is gone)
    const gone = await waitFor(() => mastersOf(r) === '', 60_000, 1000);
    expect(gone, `masters still running: ${mastersOf(r)}`).toBeGreaterThanOrEqual(0);
    matrix.push(
      `killed after ufw enable + rerun: rerun exit 0 in ${secs(rerun.ms)}, firewall restored then re-applied, state disarmed, ufw active; killed master gone ${secs(Date.now() - killedAt)} after the kill`,
    );
  });

  it('(2) two runs at once: the second stops at once naming the first, changes nothing; the first finishes', async () => {
    const r = await fresh('d2');
    let second: Awaited<ReturnType<typeof runCli>> | undefined;
    let started: Promise<void> | undefined;
    const first = await runCli(r, [], (line) => {
      if (line.includes('dead-man switch "firewall" armed') && !started) {
        started = runCli(r).then((x) => {
          second = x;
        });
      }
    });
    await started;
    if (process.env.E2E_DEBUG) console.log(first.stdout, second?.stdout, second?.stderr);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(second, 'the second run never started').toBeDefined();
    const b = second!;
    expect(b.code, b.stdout + b.stderr).toBe(1);
    expect(b.stderr).toMatch(/another claw-setup run is working on [\d.]+ \([\w.?-]+ pid \d+ since \d{4}-\d\d-\d\dT[\d:]+Z\); this run changed nothing/);
    expect(b.stdout).not.toContain('==>');
    expect(b.ms).toBeLessThan(15_000);
    expect(armedTimers(r)).toBe('');
    expect(ufwActive(r)).toBe(true);
    expect(deployWorks(r)).toBe(true);
    matrix.push(`second run while the first is in its firewall group: refused in ${secs(b.ms)} (exit 1, names host, pid, start), first run exit 0`);
  });

  it('(3) reboot of a locked-out half-hardened server: the boot-time unit restores sshd, login is back', async () => {
    const r = await fresh('d3');
    const { result } = await applyInProcess(r, {
      // a drop-in that locks everyone out, and a window far longer than the test: only the boot unit can save us
      transform: (p) =>
        mapGroup(p, 'ssh', (g) => ({
          ...g,
          timeoutSec: 3600,
          actions: g.actions.map((a) =>
            a.kind === 'write' ? { ...a, content: a.content.map((c) => (typeof c === 'string' ? c.replace(/^AllowUsers .*$/m, 'AllowUsers nobodyx') : c)) } : a,
          ),
        })),
      wrap: dieAfter((argv) => argv[0] === 'systemctl' && argv[1] === 'reload'),
    });
    expect(result.status).toBe('failed');
    expect(rootWorks(r)).toBe(false);
    expect(deployWorks(r)).toBe(false);
    expect(groupState(r, 'ssh')).toBe('armed');
    expect(look(r, 'systemctl is-enabled claw-setup-deadman-boot@ssh.service').trim()).toBe('enabled');
    r.host.exec(['systemctl', 'reboot']);
    const back = await waitFor(() => deployWorks(r), 90_000, 1000);
    expect(back, 'login never came back after the reboot').toBeGreaterThanOrEqual(0);
    expect(groupState(r, 'ssh')).toBe('restored');
    expect(journal(r)).toContain('dead-man switch ssh: restored (boot)');
    expect(look(r, `test -e ${DROP_IN} && echo present || echo absent`).trim()).toBe('absent');
    expect(look(r, 'systemctl is-enabled claw-setup-deadman-boot@ssh.service 2>/dev/null || true').trim()).not.toBe('enabled');
    expect(rootWorks(r)).toBe(true);
    matrix.push(`locked out by a bad sshd drop-in, then rebooted: login back ${secs(back)} after the reboot (boot unit restored it; timer window was 3600s)`);
  });

  it('(4) part of the backup is lost: restore puts back what it can and deletes nothing it cannot put back', async () => {
    const r = await fresh('d4');
    const { result } = await applyInProcess(r, {
      sshOptions: ['ConnectTimeout=5'],
      // rules for the wrong port: the gate fails and the group must be reverted
      transform: (p) =>
        mapGroup(p, 'firewall', (g) => ({
          ...g,
          actions: g.actions.map((a) => (a.kind === 'run' ? { ...a, argv: a.argv.map((w) => (w === '22' ? '2222' : w === '22/tcp' ? '2222/tcp' : w)) } : a)),
        })),
      wrap: (c) =>
        withRun(c, async (real, argv, o) => {
          const out = await real.run(argv, o);
          // the backup is checked and complete; then one copy disappears (a full disk, a careless cleanup)
          if (argv[1] === `${DM}/firewall/deadman.sh` && argv[2] === 'backup') look(r, `rm -f ${DM}/firewall/files/etc/default/ufw`);
          return out;
        }),
    });
    expect(result.status).toBe('failed');
    expect(result.report.join('\n')).toContain('the revert could not run to the end now');
    expect(look(r, 'test -f /etc/default/ufw && echo kept || echo deleted').trim()).toBe('kept');
    expect(journal(r)).toContain('the backup of /etc/default/ufw is missing: left /etc/default/ufw as it is');
    expect(groupState(r, 'firewall')).toBe('broken');
    // /etc/ufw itself came back (ENABLED=no), so ufw is off again and SSH is reachable
    expect(ufwActive(r)).toBe(false);
    expect(rootWorks(r)).toBe(true);
    matrix.push(
      'backup copy of /etc/default/ufw lost, then a failed gate: /etc/ufw restored, /etc/default/ufw kept (not deleted), journal says so, state "broken", root login works',
    );
  });

  it('(5) the server\'s restore fires just before the disarm: the disarm fails and the run says so (never "done" with the change gone)', async () => {
    const r = await fresh('d5');
    const { result, events } = await applyInProcess(r, {
      wrap: injectBefore(
        (argv) => argv[1] === `${DM}/firewall/deadman.sh` && argv[2] === 'disarm',
        () => look(r, `/bin/sh ${DM}/firewall/deadman.sh restore timer`),
      ),
    });
    expect(result.status).toBe('failed');
    const text = result.report.join('\n');
    expect(text).toContain('had already started restoring before it could be disarmed');
    expect(events.some((e) => e.type === 'deadman' && e.groupId === 'firewall' && e.state === 'disarmed')).toBe(false);
    expect(groupState(r, 'firewall')).toBe('restored');
    expect(ufwActive(r)).toBe(false);
    expect(armedTimers(r)).toBe('');
    expect(rootWorks(r)).toBe(true);
    expect(deployWorks(r)).toBe(true);
    matrix.push('server restore fires right before the disarm: disarm refused ("too late"), run reports failure, ufw back off, both logins work');
  });

  it('(6, 7) a backup dir of /usr or an operator address of 0.0.0.0/0 is refused before anything connects', async () => {
    const r = await fresh('d6');
    for (const bad of [
      ['--set', 'backups.dir=/usr'],
      ['--operator-ip', '0.0.0.0/0'],
    ]) {
      const run = await runCli(r, bad);
      expect(run.code, run.stdout + run.stderr).toBe(1);
      expect(run.stdout).not.toContain('connecting to');
    }
    expect(look(r, 'test -e /var/lib/claw-setup && echo touched || echo untouched').trim()).toBe('untouched');
    expect(look(r, "stat -c '%a' /usr").trim()).toBe('755');
  });
});
