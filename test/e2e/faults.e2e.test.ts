// Faults during the rollout, each on its own fresh throwaway server over real SSH. In every one the
// operator must keep (or get back) a way in, proven from outside over a brand-new connection, and
// the message must say what happened. testhost.exec (nsenter) only looks; it never rescues.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RolloutEvent } from '../../src/rollout/events.js';
import { ensureImage, makeKeyPair, testhostUnavailableReason } from './testhost/testhost.js';
import {
  armedTimers,
  buildCli,
  look,
  runCli,
  stepStatuses,
  SUDO_PW,
  waitFor,
  type Rig,
  canLogIn,
  sshFresh,
  DROP_IN,
  leftoverMasters,
  rigPool,
} from './rollout-kit.js';
import { applyInProcess, dieAfter, mapGroup } from './fault-kit.js';

const unavailable = testhostUnavailableReason();
const pool = rigPool();

const fresh = pool.fresh;

const rootWorks = (r: Rig) => canLogIn(r, 'root');
/** A revert must leave / alone: deploy (and every non-root user) needs to traverse it to log in. */
const rootDirMode = (r: Rig) => look(r, "stat -c '%a %U %G' /").trim();
const deployWorks = (r: Rig) => canLogIn(r, 'deploy');
const titles = (ev: RolloutEvent[], type: RolloutEvent['type']) => ev.filter((e) => e.type === type).map((e) => ('title' in e ? e.title : ''));
const deadman = (ev: RolloutEvent[]) => ev.filter((e) => e.type === 'deadman').map((e) => (e.type === 'deadman' ? `${e.groupId}:${e.state}` : ''));

describe.skipIf(unavailable !== null)(`faults during the rollout: no lockout${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  beforeAll(async () => {
    await ensureImage();
    buildCli();
  }, 15 * 60_000);

  afterAll(async () => {
    await pool.downAll();
  }, 300_000);

  it('(1) wrong deploy key: stops at the login gate, nothing is tightened, exit 2', async () => {
    const keyDir = mkdtempSync(join(tmpdir(), 'claw-e2e-otherkey-'));
    const other = makeKeyPair(keyDir, 'other');
    rmSync(keyDir, { recursive: true, force: true });
    const r = await fresh('f1', { deployKey: other.publicKeyText }); // a literal key line: not the operator's key
    const run = await runCli(r);
    if (process.env.E2E_DEBUG) console.log(run.stdout, run.stderr);
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(run.stderr).toMatch(
      /^failed: What failed: step "login-gate" \(Fresh-login gate\): the check "log in as deploy from a fresh connection and run sudo": deploy@[\d.]+:22: Permission denied \(publickey,password\)\.$/m,
    );
    expect(run.stderr).toContain('What was reverted: nothing needed reverting');
    // preflight changes nothing on a fresh host: the run lock already made /var/lib/claw-setup
    expect(stepStatuses(run.stdout)).toEqual({ preflight: 'skipped', base: 'done', user: 'done', 'login-gate': 'failed' });
    expect(run.stdout).not.toContain('dead-man switch "');
    // nothing tightened: no drop-in, firewall off, root still logs in from outside
    expect(look(r, `test -e ${DROP_IN} && echo present || echo absent`).trim()).toBe('absent');
    expect(look(r, 'ufw status').trim()).toBe('Status: inactive');
    expect(rootWorks(r)).toBe(true);
    expect(`${run.stdout}${run.stderr}`).not.toContain(SUDO_PW);
    expect(leftoverMasters(r)).toBe('');
  });

  it('(2) an sshd drop-in that sshd -t refuses: nothing reloaded, group reverted, root login still works', async () => {
    const r = await fresh('f2');
    const { result, events } = await applyInProcess(r, {
      transform: (p) =>
        mapGroup(p, 'ssh', (g) => ({
          ...g,
          actions: g.actions.map((a) => (a.kind === 'write' ? { ...a, content: [...a.content, 'NoSuchDirective yes\n'] } : a)),
        })),
    });
    if (process.env.E2E_DEBUG) console.log(result.report.join('\n'), sshFresh(r, 'deploy', 'true'));
    expect(result.status).toBe('failed');
    const text = result.report.join('\n');
    expect(text).toMatch(
      /What failed: step "ssh" .*"check the new sshd config \(nothing is reloaded if this fails\)": exit 255: .*Bad configuration option: NoSuchDirective/,
    );
    expect(text).toMatch(new RegExp(`What was reverted: ${DROP_IN}(, /etc/ssh/moduli)? (is|are) back as before "tighten sshd"`));
    expect(titles(events, 'action-started')).not.toContain('reload sshd (open sessions stay up)');
    expect(deadman(events)).toEqual(['firewall:armed', 'firewall:disarmed', 'ssh:armed', 'ssh:reverted']);
    expect(look(r, `test -e ${DROP_IN} && echo present || echo absent`).trim()).toBe('absent');
    expect(armedTimers(r)).toBe('');
    expect(rootWorks(r)).toBe(true);
    expect(rootDirMode(r), 'the dead-man restore changed / (see templates/deadman.ts)').toBe('755 root root');
    expect(deployWorks(r)).toBe(true);
  });

  it('(3) the wizard dies right after tightening, before any gate: the server restores login by itself', async () => {
    const r = await fresh('f3');
    let armedAt = 0;
    let diedAt = 0;
    const { result } = await applyInProcess(r, {
      // A short dead-man timeout, and a drop-in that locks everyone out (AllowUsers nobody), so the
      // only way back is the server's own timer.
      transform: (p) =>
        mapGroup(p, 'ssh', (g) => ({
          ...g,
          timeoutSec: 20,
          actions: g.actions.map((a) =>
            a.kind === 'write' ? { ...a, content: a.content.map((c) => (typeof c === 'string' ? c.replace(/^AllowUsers .*$/m, 'AllowUsers nobodyx') : c)) } : a,
          ),
        })),
      onEvent: (e) => {
        if (e.type === 'deadman' && e.groupId === 'ssh' && e.state === 'armed') armedAt = Date.now();
      },
      // After the reload, the laptop "dies": the admin connection is torn down and every later call fails.
      wrap: dieAfter(
        (argv) => argv[0] === 'systemctl' && argv[1] === 'reload',
        () => (diedAt = Date.now()),
      ),
    });
    expect(result.status).toBe('failed');
    expect(result.report.join('\n')).toMatch(
      /The server's own dead-man switch restores \/etc\/ssh\/sshd_config.d\/00-claw-setup.conf(, \/etc\/ssh\/moduli)? within 20s of arming/,
    );
    // Locked out for real right now: neither root nor deploy gets in.
    expect(rootWorks(r)).toBe(false);
    expect(deployWorks(r)).toBe(false);
    const waited = await waitFor(() => rootWorks(r), 60_000, 1000);
    expect(waited).toBeGreaterThanOrEqual(0);
    const sinceArm = (Date.now() - armedAt) / 1000;
    console.log(
      `[fault 3] locked out after the reload; root login back ${(waited / 1000).toFixed(1)}s after the wizard died, ${sinceArm.toFixed(1)}s after arming (timeout 20s)`,
    );
    expect(sinceArm).toBeLessThan(20 + 15);
    expect(diedAt).toBeGreaterThan(armedAt);
    expect(look(r, 'cat /var/lib/claw-setup/deadman/ssh/state').trim()).toBe('restored');
    expect(look(r, `test -e ${DROP_IN} && echo present || echo absent`).trim()).toBe('absent');
    expect(look(r, 'journalctl -q -t claw-setup --no-pager')).toContain('dead-man switch ssh: restored (timer)');
    expect(rootDirMode(r), 'the dead-man restore changed / (see templates/deadman.ts)').toBe('755 root root');
    expect(deployWorks(r)).toBe(true);
  });

  it('(4) a firewall change that would block SSH: the fresh-login gate fails, ufw is reverted, login works', async () => {
    const r = await fresh('f4');
    const { result, events } = await applyInProcess(r, {
      sshOptions: ['ConnectTimeout=5'],
      // the allow and break-glass rules open the wrong port: ufw enable would shut SSH out
      transform: (p) =>
        mapGroup(p, 'firewall', (g) => ({
          ...g,
          actions: g.actions.map((a) => (a.kind === 'run' ? { ...a, argv: a.argv.map((w) => (w === '22' ? '2222' : w === '22/tcp' ? '2222/tcp' : w)) } : a)),
        })),
    });
    expect(result.status).toBe('failed');
    const text = result.report.join('\n');
    expect(text).toMatch(/What failed: step "firewall" .*"log in as deploy from a fresh connection through the firewall": deploy@[\d.]+:22: .*timed out/);
    expect(text).toContain('What was reverted: /etc/ufw, /etc/default/ufw are back as before "turn on the firewall"');
    expect(deadman(events)).toEqual(['firewall:armed', 'firewall:reverted']);
    expect(look(r, 'ufw status').trim()).toBe('Status: inactive');
    expect(armedTimers(r)).toBe('');
    expect(rootWorks(r)).toBe(true);
    expect(rootDirMode(r), 'the dead-man restore changed / (see templates/deadman.ts)').toBe('755 root root');
    expect(deployWorks(r)).toBe(true);
  });

  it('(5) SIGTERM / SIGINT in the middle of a guarded group: it is reverted, never left armed or disarmed-and-live', async () => {
    const r = await fresh('f5');
    const term = await runCli(r, [], (line, kill) => {
      if (line.includes('dead-man switch "firewall" armed')) kill('SIGTERM');
    });
    if (process.env.E2E_DEBUG) console.log(term.stdout, term.stderr);
    expect(term.code, term.stdout + term.stderr).toBe(130);
    expect(term.stderr).toContain('SIGTERM: stopping safely');
    expect(term.stderr).toMatch(/Cancelled during "turn on the firewall" \(step "firewall"\)/);
    expect(term.stderr).toContain('/etc/ufw, /etc/default/ufw are back as before "turn on the firewall"');
    expect(term.stdout).toContain('dead-man switch "firewall" reverted');
    expect(look(r, 'ufw status').trim()).toBe('Status: inactive');
    expect(armedTimers(r)).toBe('');
    expect(rootWorks(r)).toBe(true);
    expect(rootDirMode(r), 'the dead-man restore changed / (see templates/deadman.ts)').toBe('755 root root');
    expect(deployWorks(r)).toBe(true);
    expect(leftoverMasters(r)).toBe('');

    const int = await runCli(r, [], (line, kill) => {
      if (line.includes('dead-man switch "ssh" armed')) kill('SIGINT');
    });
    expect(int.code, int.stdout + int.stderr).toBe(130);
    expect(int.stderr).toMatch(/Cancelled during "tighten sshd" \(step "ssh"\)/);
    expect(int.stdout).toContain('dead-man switch "ssh" reverted');
    expect(stepStatuses(int.stdout)).toMatchObject({ firewall: 'done', ssh: 'reverted' });
    expect(look(r, `test -e ${DROP_IN} && echo present || echo absent`).trim()).toBe('absent');
    expect(armedTimers(r)).toBe('');
    expect(rootWorks(r)).toBe(true);
    expect(rootDirMode(r), 'the dead-man restore changed / (see templates/deadman.ts)').toBe('755 root root');
    expect(deployWorks(r)).toBe(true);
    expect(leftoverMasters(r)).toBe('');
  });
});
