// A change command never leaves an older run's timer behind to undo it, for real: a Debian 13 test
// server with the real OpenClaw 2026.9.6 gateway (stand-in image). An add-channel is killed
// (SIGKILL) while its dead-man switch is armed, then `rotate gateway-token` runs at once. Before
// this, the rotate succeeded and the add-channel's timer fired minutes later, putting its copy of
// .env back: the old gateway token worked again. Now the rotate restores the stale group first,
// gates on "nothing armed" at the end; what the killed run's timer would run then finds nothing to undo, and the NEW token
// still opens the gateway's API and the old one is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testhostUnavailableReason } from './testhost/testhost.js';
import { armedTimers, look, runCli, SUDO_PW, teardown, type CliRun, type Rig } from './rollout-kit.js';
import { deployGateway, OC } from './gateway-kit.js';
import { gatewayHealthy, gatewayToken, invokeStatus } from './gateway-probes.js';
import { startFakeTelegram, type FakeTelegram } from './fake-telegram.js';

const unavailable = testhostUnavailableReason();
const TG_TOKEN = '7700112233:AAE2eStaleGroupSentinel_0123456789abcd';
const bench: string[] = [];

const token = gatewayToken;
const invoke = (r: Rig, t: string) => invokeStatus(r, t);
const healthy = gatewayHealthy;
const groupState = (r: Rig, id: string) => look(r, `cat /var/lib/claw-setup/deadman/${id}/state 2>/dev/null || echo none`).trim();
const envHas = (r: Rig, name: string) => look(r, `grep -c '^${name}=' ${OC}/.env || true`).trim() !== '0';
const noSecrets = (c: CliRun, extra: string[]) => {
  for (const s of [SUDO_PW, TG_TOKEN, ...extra]) {
    expect(c.stdout).not.toContain(s);
    expect(c.stderr).not.toContain(s);
  }
};

describe.skipIf(unavailable !== null)(`an interrupted add-channel, then rotate${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let r: Rig | undefined;
  let tg: FakeTelegram | undefined;

  beforeAll(async () => {
    ({ r } = await deployGateway(`stale-${process.pid % 10000}`, { env: { TELEGRAM_BOT_TOKEN: TG_TOKEN } }));
    tg = await startFakeTelegram(r.host.hostIp, TG_TOKEN);
  }, 30 * 60_000);

  afterAll(async () => {
    if (bench.length) console.log(`\n[bench] ${bench.join('\n[bench] ')}\n`);
    await tg?.stop();
    await teardown(r);
  }, 300_000);

  it(
    "add-channel killed while armed; rotate at once settles it first; the old timer's restore then finds nothing to undo; the new token works, the old is refused",
    async () => {
      if (!r || !tg) throw new Error('no deployed test host (see the first failure)');
      const old = token(r);
      expect(invoke(r, old)).toBe('200');

      // 1. add-channel, killed (SIGKILL) once its files are switched, while its group is armed.
      let armedAt = 0;
      let windowSec = 0;
      let killedAt = 0;
      const add = await runCli(r, ['add-channel', '--type', 'telegram', '--set', 'allowFrom=123456789', '--set', `apiRoot=${tg.url}`], (line, kill) => {
        const m = /dead-man switch "channel" armed: the server undoes this group in (\d+)s/.exec(line);
        if (m) {
          armedAt = Date.now();
          windowSec = Number(m[1]);
        }
        if (/^\s+done\s+switch to the candidate config$/.test(line) && !killedAt) {
          killedAt = Date.now();
          kill('SIGKILL');
        }
      });
      expect(add.signal, add.stdout + add.stderr).toBe('SIGKILL');
      expect(windowSec).toBeGreaterThan(0);
      expect(groupState(r, 'channel')).toBe('armed');
      expect(armedTimers(r)).toContain('claw-setup-deadman-channel');
      expect(envHas(r, 'TELEGRAM_BOT_TOKEN')).toBe(true);

      // 2. rotate at once: the stale group is restored first (its .env copy back, gateway recreated), then the rotation.
      const rot = await runCli(r, ['rotate', 'gateway-token']);
      expect(rot.code, rot.stdout + rot.stderr).toBe(0);
      expect(rot.stdout).toContain('an interrupted earlier run left a dead-man switch armed: restoring what it backed up first');
      expect(rot.stdout).toContain('new token accepted, old token refused');
      expect(rot.stdout).toMatch(/PASSED {2}check: no dead-man switch is left armed/);
      expect(look(r, 'journalctl -q -t claw-setup --no-pager -o cat')).toContain('dead-man switch channel: restored (stale)');
      expect(groupState(r, 'channel')).toBe('restored');
      expect(groupState(r, 'rotate')).toBe('disarmed');
      expect(armedTimers(r)).toBe('');
      // the half-applied add-channel is gone (its .env line with it); the new token is in place
      expect(envHas(r, 'TELEGRAM_BOT_TOKEN')).toBe(false);
      const fresh = token(r);
      expect(fresh).toMatch(/^[0-9a-f]{64}$/);
      expect(fresh).not.toBe(old);
      noSecrets(rot, [old, fresh]);

      // 3. what the killed run's timer (and the boot-time unit after a reboot) would run when its window
      // ends, run now instead of waiting ~13 minutes for it: it must find nothing to undo.
      const fire = (why: string) => look(r!, `/bin/sh /var/lib/claw-setup/deadman/channel/deadman.sh restore ${why} 2>&1; echo "rc=$?"`);
      for (const why of ['timer', 'boot']) expect(fire(why)).toMatch(/nothing to do \(state restored\)[\s\S]*rc=0/);
      bench.push(
        `add-channel killed ${((killedAt - armedAt) / 1000).toFixed(1)}s after arming (window ${windowSec}s); rotate ${(rot.ms / 1000).toFixed(1)}s; the old timer's restore then fired by hand: nothing to do`,
      );
      expect(armedTimers(r)).toBe('');
      expect(groupState(r, 'channel')).toBe('restored');
      expect(token(r)).toBe(fresh);
      expect(healthy(r)).toBe(true);
      expect(invoke(r, fresh)).toBe('200');
      expect(['401', '403']).toContain(invoke(r, old));
    },
    40 * 60_000,
  );
});
