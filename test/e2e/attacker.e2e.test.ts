// Issue 23 item 1, for real: a Debian 13 test server with the real OpenClaw gateway, and an attacker
// inside the gateway container, as the container's own user (docker exec -u <its uid>), who plants
// symlinks in config/ (openclaw.json → a root-only host file holding a sentinel, and → a script root
// runs) and races root's dead-man restore. Then root's tooling runs: the live --dry-run, a rerun,
// add-channel --dry-run, the nightly backup and the monthly restore test, a dead-man restore.
// Each must refuse or fail with a clear message; the sentinel must reach no output, no file the
// container can read and no container (nothing is ever `docker exec`ed into the live gateway by
// root's tools); no host file may change. `claw-setup restore` of such an archive is refused unread.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testhostUnavailableReason } from './testhost/testhost.js';
import { look, runCli, SUDO_PW, teardown, type CliRun, type Rig } from './rollout-kit.js';
import { deployGateway, OC } from './gateway-kit.js';
import { renderDeadman } from '../../src/plan/deadman-script.js';
import { deadmanBootUnit, deadmanUnit, DEADMAN_ROOT } from '../../src/plan/guard.js';
import { shQuote } from '../../src/plan/shell.js';

const unavailable = testhostUnavailableReason();
const SENTINEL = 'HOST-ROOT-ONLY-SENTINEL-c41d9e';
const TG_TOKEN = '7700112233:AAE2eAttackerTelegram_0123456789abcdef';
/** A root-only host file (think: restic password, Tailscale key) and a script root runs every 5 minutes. */
const SECRET = '/root/claw-attacker-sentinel';
const HEALTH = '/usr/local/sbin/openclaw-health';
/** Everything that must be byte-for-byte, mode and owner the same at the end. */
const HOST_FILES = [SECRET, HEALTH, '/usr/local/sbin/openclaw-restore-test', '/usr/local/sbin/openclaw-backup', '/etc/shadow', '/etc/passwd', '/etc/sudoers'];
const CONF = `${OC}/config/openclaw.json`;
const IN = '/home/node/.openclaw';
const GROUP = 'attacker-e2e';
const bench: string[] = [];
/** The nightly archive made while openclaw.json was the planted link (for the restore case). */
let linkedArchive = '';

const fingerprints = (r: Rig) => look(r, HOST_FILES.map((f) => `sha256sum ${f}; stat -c '%a %U %G %s' ${f}`).join('; '));
/** The container's user, as compose runs it (another change may give it its own uid). */
const containerUser = (r: Rig) => look(r, "docker inspect -f '{{.Config.User}}' openclaw-gateway").trim();
/** A command inside the live gateway, as the container's own user: the attacker. */
const attacker = (r: Rig, cmd: string, detach = false) =>
  r.host.exec(['docker', 'exec', ...(detach ? ['-d'] : []), '-u', containerUser(r), 'openclaw-gateway', 'sh', '-c', cmd]);
/** Every `docker exec` into the live gateway since `since` (unix seconds), as Docker's events record it. */
const allExecs = (r: Rig, since: number) =>
  look(r, `docker events --since ${since} --until $(($(date +%s) + 1)) --filter container=openclaw-gateway --format '{{.Action}}'`)
    .split('\n')
    .filter((l) => l.startsWith('exec_start'));
/** Those other than the attacker's own (sh -c) and Docker's health probe: what root's tools ran in the live gateway. */
const execsSince = (r: Rig, since: number) => allExecs(r, since).filter((l) => !l.includes('sh -c') && !l.includes('healthz'));
const noSentinel = (c: CliRun) => {
  expect(c.stdout).not.toContain(SENTINEL);
  expect(c.stderr).not.toContain(SENTINEL);
  expect(c.stdout + c.stderr).not.toContain(SUDO_PW);
};
/** The sentinel nowhere the container (or the operator's logs) can read it. */
const sentinelLeaks = (r: Rig) =>
  look(
    r,
    `grep -rlF ${SENTINEL} ${OC} /var/lib/claw-setup /var/log /tmp 2>/dev/null; for a in /var/backups/openclaw/*.tar.gz; do zcat "$a" | grep -caF ${SENTINEL} | grep -qv '^0$' && echo "$a"; done; journalctl --no-pager -o cat | grep -F ${SENTINEL}; true`,
  ).trim();
const refusal = /refusing to read the deployment's config: \/home\/deploy\/openclaw\/config\/openclaw\.json is a symbolic link, not a regular file/;

describe.skipIf(unavailable !== null)(`an attacker in the gateway container plants links for root${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let r: Rig | undefined;
  let before = '';
  let original = '';
  const need = () => {
    if (!r) throw new Error('no deployed test host (see the first failure)');
    return r;
  };
  /** Root puts the original openclaw.json back the safe way (the attacker is idle then). */
  const heal = (r: Rig) => {
    // (through nsenter stdin is a socket, which install cannot open as /dev/stdin: cat into a root-only dir, rename)
    const x = r.host.exec(
      [
        'sh',
        '-c',
        `t=$(mktemp -d /home/.e2e-heal.XXXXXX) && cat >"$t/f" && chown --reference=${OC}/config "$t/f" && chmod 600 "$t/f" && mv -fT "$t/f" ${CONF}; rc=$?; rm -rf "$t"; exit $rc`,
      ],
      { input: original },
    );
    expect(x.code, x.stderr).toBe(0);
    expect(look(r, `stat -c %F ${CONF}`).trim()).toBe('regular file');
  };

  beforeAll(async () => {
    ({ r } = await deployGateway(`atk-${process.pid % 10000}`, { env: { TELEGRAM_BOT_TOKEN: TG_TOKEN } }));
    look(r, `umask 077; echo ${SENTINEL} > ${SECRET}`);
    original = look(r, `cat ${CONF}`);
    before = fingerprints(r);
  }, 30 * 60_000);

  afterAll(async () => {
    if (bench.length) console.log(`\n[bench] ${bench.join('\n[bench] ')}\n`);
    await teardown(r);
  }, 300_000);

  it('the attacker can plant: openclaw.json becomes a symlink to a root-only host file, made from inside the container', () => {
    const r = need();
    const since = Number(look(r, 'date +%s').trim());
    expect(containerUser(r)).not.toMatch(/^(0|root)(:|$)/);
    const x = attacker(r, `cd ${IN} && ln -sfn ${SECRET} openclaw.json && ls -l openclaw.json`);
    expect(x.code, x.stderr).toBe(0);
    expect(look(r, `readlink ${CONF}`).trim()).toBe(SECRET);
    // the exec watch sees execs (here the attacker's own), so an empty list later means none happened
    expect(allExecs(r, since).some((l) => l.includes('sh -c'))).toBe(true);
  });

  it('live --dry-run, rerun and add-channel --dry-run refuse, naming the file and what is there; nothing reaches output or config', async () => {
    const r = need();
    const since = Number(look(r, 'date +%s').trim());
    for (const [what, args] of [
      ['live dry-run', ['--dry-run']],
      ['rerun', []],
      ['add-channel --dry-run', ['add-channel', '--type', 'telegram', '--set', 'allowFrom=123456789', '--dry-run']],
    ] as const) {
      const c = await runCli(r, [...args]);
      expect(c.code, `${what}: ${c.stdout}${c.stderr}`).toBe(1);
      expect(c.stdout + c.stderr, what).toMatch(refusal);
      noSentinel(c);
      bench.push(`${what} with openclaw.json → ${SECRET}: exit ${c.code} in ${(c.ms / 1000).toFixed(1)}s, refused`);
    }
    expect(look(r, `readlink ${CONF}`).trim()).toBe(SECRET);
    expect(fingerprints(r)).toBe(before);
    expect(execsSince(r, since)).toEqual([]);
    expect(sentinelLeaks(r)).toBe('');
  }, 600_000);

  it('a link to a script root runs: the rerun refuses too, the script is untouched', async () => {
    const r = need();
    attacker(r, `cd ${IN} && ln -sfn ${HEALTH} openclaw.json`);
    const c = await runCli(r);
    expect(c.code).toBe(1);
    expect(c.stdout + c.stderr).toMatch(/openclaw\.json is a symbolic link, not a regular file/);
    expect(fingerprints(r)).toBe(before);
    attacker(r, `cd ${IN} && ln -sfn ${SECRET} openclaw.json`);
  }, 300_000);

  it('backup, then the monthly restore test: the archive holds the link (not the file), the test fails naming it and never reads through it', () => {
    const r = need();
    const since = Number(look(r, 'date +%s').trim());
    expect(look(r, '/usr/local/sbin/openclaw-backup >/dev/null 2>&1; echo rc=$?').trim()).toBe('rc=0');
    const newest = look(r, 'ls -1t /var/backups/openclaw/openclaw-*.tar.gz | head -n 1').trim();
    expect(look(r, `tar -tvzf ${newest} | grep 'config/openclaw.json'`)).toMatch(/^l.* -> \/root\/claw-attacker-sentinel$/m);
    linkedArchive = newest;
    const t0 = Date.now();
    const out = look(r, 'systemctl start openclaw-restore-test.service; echo rc=$?; journalctl -u openclaw-restore-test -o cat --no-pager | tail -n 20');
    expect(out).toMatch(/rc=[1-9]/);
    expect(out).toMatch(/FAIL \/home\/deploy\/openclaw\/config\/openclaw\.json in \S+ is not a regular file \(tar type 'l'/);
    expect(out).not.toContain(SENTINEL);
    bench.push(`restore test on an archive with a planted link: failed as it must in ${((Date.now() - t0) / 1000).toFixed(1)}s, naming the member`);
    expect(execsSince(r, since)).toEqual([]);
    expect(fingerprints(r)).toBe(before);
    expect(sentinelLeaks(r)).toBe('');
  });

  it('a healthy config again: the restore test passes on a clean backup with no docker exec into the live gateway', () => {
    const r = need();
    heal(r);
    const since = Number(look(r, 'date +%s').trim());
    expect(look(r, '/usr/local/sbin/openclaw-backup >/dev/null 2>&1; echo rc=$?').trim()).toBe('rc=0');
    const out = look(r, 'systemctl start openclaw-restore-test.service; echo rc=$?; journalctl -u openclaw-restore-test -o cat --no-pager | tail -n 3');
    expect(out).toContain('rc=0');
    expect(out).toMatch(/restores: docker-compose.yml present, openclaw.json parses/);
    expect(execsSince(r, since)).toEqual([]);
  });

  it('dead-man restore of config/ while the container races root at every name: 2×10 restores, no host file changes', () => {
    const r = need();
    const dir = `${DEADMAN_ROOT}/${GROUP}`;
    const script = renderDeadman({ id: GROUP, dir, paths: [`${OC}/.env`, CONF], afterRestore: [], unit: deadmanUnit(GROUP), bootUnit: deadmanBootUnit(GROUP) });
    r.host.exec(['sh', '-c', `install -d -m 700 ${dir} && cat > ${dir}/deadman.sh`], { input: script });
    const dm = (cmd: string) => r.host.exec(['/bin/sh', `${dir}/deadman.sh`, ...cmd.split(' ')], { timeoutMs: 120_000 });
    const t0 = Date.now();
    // First the name the restore used to build in config/ (the review won 8 of 20 there), then openclaw.json itself.
    for (const name of ['openclaw.json.claw-restore', 'openclaw.json']) {
      attacker(r, `rm -f ${IN}/.stop; while [ ! -e ${IN}/.stop ]; do ln -sfn ${HEALTH} ${IN}/${name}; done`, true);
      try {
        for (let i = 0; i < 10; i++) {
          const b = dm('backup');
          expect(b.code, b.stderr).toBe(0);
          expect(dm('arm 600').code).toBe(0);
          dm('restore now');
          expect(fingerprints(r)).toBe(before);
        }
      } finally {
        attacker(r, `touch ${IN}/.stop`);
      }
    }
    bench.push(
      `dead-man restore of .env + openclaw.json, 20 times while the container re-planted links: ${((Date.now() - t0) / 1000).toFixed(1)}s, no host file changed`,
    );
    expect(look(r, `cat ${dir}/state`).trim()).toMatch(/^(restored|broken)$/);
    expect(look(r, `systemctl list-units --all --no-legend '${deadmanUnit(GROUP)}*' | grep -c active || true`).trim()).toBe('0');
    expect(look(r, 'ls -A /home | grep claw-tmp || true').trim()).toBe('');
    attacker(r, `rm -f ${IN}/.stop ${IN}/openclaw.json.claw-restore`);
    heal(r);
    expect(fingerprints(r)).toBe(before);
    expect(sentinelLeaks(r)).toBe('');
  }, 600_000);

  it('with the config healthy again, a live dry-run works again (the refusal was about the link, nothing else)', async () => {
    const r = need();
    const c = await runCli(r, ['--dry-run']);
    expect(c.code, c.stdout + c.stderr).toBe(0);
    noSentinel(c);
    expect(fingerprints(r)).toBe(before);
    look(r, `rm -rf ${shQuote(`${DEADMAN_ROOT}/${GROUP}`)}`);
  }, 300_000);

  it('`claw-setup restore` of the archive made while openclaw.json was the link: refused unread, nothing changes', async () => {
    const r = need();
    expect(linkedArchive).not.toBe('');
    const since = Number(look(r, 'date +%s').trim());
    const config = look(r, `sha256sum ${CONF}`);
    const c = await runCli(r, ['restore', '--from', linkedArchive]);
    bench.push(`claw-setup restore of the archive holding the link: refused in ${(c.ms / 1000).toFixed(1)}s`);
    expect(c.code, c.stdout + c.stderr).toBe(2);
    expect(c.stdout + c.stderr).toContain(`${CONF} in the archive is a symbolic link: refused (root never follows it)`);
    noSentinel(c);
    expect(look(r, `sha256sum ${CONF}`)).toBe(config);
    expect(execsSince(r, since)).toEqual([]);
    expect(fingerprints(r)).toBe(before);
    expect(sentinelLeaks(r)).toBe('');
  }, 600_000);
});
