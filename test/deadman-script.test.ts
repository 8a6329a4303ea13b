// The dead-man script itself, run for real by /bin/sh on this machine against files in a scratch
// directory. systemctl, systemd-run and logger are stand-ins that only record their arguments; the
// same script runs under real systemd on the test servers (test/e2e/deadman.e2e.test.ts).
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderDeadman } from '../src/plan/deadman-script.js';
import { AS_ROOT, ATTACKER_UID, fingerprint, hostileTree, race } from './nofollow-racer.js';

let root: string;
let dir: string;
let conf: string;
let confDir: string;
let absent: string;
let calls: string;

function sh(...args: string[]) {
  const r = spawnSync('/bin/sh', [join(dir, 'deadman.sh'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, PATH: `${join(root, 'bin')}:${process.env.PATH}` },
  });
  return { code: r.status, err: r.stderr };
}
const state = () => readFileSync(join(dir, 'state'), 'utf8').trim();
const recorded = () => (existsSync(calls) ? readFileSync(calls, 'utf8') : '');

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'claw-deadman-'));
  dir = join(root, 'state/deadman/g1');
  conf = join(root, 'etc/risky.conf');
  confDir = join(root, 'etc/risky.d');
  absent = join(root, 'etc/new.conf');
  calls = join(root, 'calls');
  mkdirSync(dir, { recursive: true });
  mkdirSync(confDir, { recursive: true });
  mkdirSync(join(root, 'bin'));
  for (const tool of ['systemctl', 'systemd-run', 'logger']) {
    writeFileSync(join(root, 'bin', tool), `#!/bin/sh\necho "${tool} $*" >> '${calls}'\n`);
    chmodSync(join(root, 'bin', tool), 0o755);
  }
  writeFileSync(conf, 'old\n');
  writeFileSync(join(confDir, 'a'), 'A\n');
  writeFileSync(
    join(dir, 'deadman.sh'),
    renderDeadman({
      id: 'g1',
      dir,
      paths: [conf, confDir, absent],
      afterRestore: [`echo after-restore >> '${calls}'`],
      unit: 'claw-setup-deadman-g1',
      bootUnit: 'claw-setup-deadman-boot@g1.service',
    }),
  );
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** What a guarded group does to the files after arming. */
function change() {
  writeFileSync(conf, 'new\n');
  writeFileSync(join(confDir, 'b'), 'B\n');
  writeFileSync(absent, 'created\n');
}

describe('dead-man script', () => {
  it('backup writes a manifest of every path, present or absent, ending in "complete"', () => {
    expect(sh('backup').code).toBe(0);
    expect(readFileSync(join(dir, 'manifest'), 'utf8')).toBe(`present ${conf}\npresent ${confDir}\nabsent ${absent}\ncomplete\n`);
    expect(state()).toBe('backed-up');
  });

  it('arm needs a complete backup; it enables the boot-time restore and starts the timer', () => {
    expect(sh('arm', '90').code).toBe(3);
    expect(recorded()).not.toContain('systemd-run');
    sh('backup');
    expect(sh('arm', '90').code).toBe(0);
    expect(state()).toBe('armed');
    expect(recorded()).toContain('systemctl enable --quiet claw-setup-deadman-boot@g1.service');
    expect(recorded()).toMatch(/systemd-run --quiet --unit=claw-setup-deadman-g1 .*--on-active=90 .*deadman.sh restore timer/);
  });

  it('restore puts back exactly what the manifest lists and removes what did not exist', () => {
    sh('backup');
    sh('arm', '90');
    change();
    expect(sh('restore', 'now').code).toBe(0);
    expect(readFileSync(conf, 'utf8')).toBe('old\n');
    expect(existsSync(join(confDir, 'b'))).toBe(false);
    expect(readFileSync(join(confDir, 'a'), 'utf8')).toBe('A\n');
    expect(existsSync(absent)).toBe(false);
    expect(state()).toBe('restored');
    expect(recorded()).toContain('after-restore');
    expect(recorded()).toContain('systemctl disable --quiet claw-setup-deadman-boot@g1.service');
    expect(recorded()).toContain('systemctl stop claw-setup-deadman-g1.timer');
  });

  it('never overwrites the backup of a group that is still armed (an interrupted run)', () => {
    sh('backup');
    sh('arm', '90');
    change();
    const again = sh('backup');
    expect(again.code).toBe(3);
    expect(again.err).toContain('refusing a new backup');
    // the old backup still restores the state from before the change
    sh('restore', 'stale');
    expect(readFileSync(conf, 'utf8')).toBe('old\n');
  });

  it('disarm after the restore started fails ("too late"); a restore after disarm does nothing', () => {
    sh('backup');
    sh('arm', '90');
    sh('restore', 'timer');
    const late = sh('disarm');
    expect(late.code).toBe(3);
    expect(late.err).toContain('too late to disarm');

    sh('backup');
    sh('arm', '90');
    change();
    expect(sh('disarm').code).toBe(0);
    expect(state()).toBe('disarmed');
    expect(sh('restore', 'timer').code).toBe(0);
    expect(readFileSync(conf, 'utf8')).toBe('new\n');
    expect(existsSync(absent)).toBe(true);
  });

  it('a missing backup copy leaves that live file alone (never deletes what it cannot put back)', () => {
    sh('backup');
    sh('arm', '90');
    change();
    rmSync(join(dir, 'files', conf), { force: true });
    const r = sh('restore', 'now');
    expect(r.code).toBe(1);
    expect(r.err).toContain(`the backup of ${conf} is missing: left ${conf} as it is`);
    expect(readFileSync(conf, 'utf8')).toBe('new\n');
    // what could be restored was restored
    expect(existsSync(join(confDir, 'b'))).toBe(false);
    expect(state()).toBe('broken');
  });

  it('a missing or cut-short manifest restores nothing and deletes nothing', () => {
    sh('backup');
    sh('arm', '90');
    change();
    writeFileSync(join(dir, 'manifest'), `present ${conf}\n`);
    const r = sh('restore', 'boot');
    expect(r.code).toBe(4);
    expect(r.err).toContain('manifest is missing or incomplete');
    expect(readFileSync(conf, 'utf8')).toBe('new\n');
    expect(existsSync(absent)).toBe(true);
    expect(state()).toBe('broken');
  });
});

// The gateway container owns config/ and races root there (issue 23): the restore must never write
// through a name it can plant, and the backup must never read through one.
describe.skipIf(!AS_ROOT)('dead-man script against a hostile config directory (as root, attacker uid racing)', () => {
  let t: ReturnType<typeof hostileTree>;
  let gdir: string;
  let p: string;
  const run = (...args: string[]) => {
    const r = spawnSync('/bin/sh', [join(gdir, 'deadman.sh'), ...args], {
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, PATH: `${join(root, 'bin')}:${process.env.PATH}` },
    });
    return { code: r.status, err: r.stderr };
  };
  beforeEach(() => {
    t = hostileTree('claw-deadman-hostile-');
    gdir = join(t.root, 'state/deadman/channel');
    mkdirSync(gdir, { recursive: true, mode: 0o700 });
    p = join(t.config, 'openclaw.json');
    writeFileSync(p, '{"ok":1}\n', { mode: 0o600 });
    chownSync(p, ATTACKER_UID, ATTACKER_UID);
    writeFileSync(
      join(gdir, 'deadman.sh'),
      renderDeadman({
        id: 'channel',
        dir: gdir,
        paths: [p],
        afterRestore: [],
        unit: 'claw-setup-deadman-channel',
        bootUnit: 'claw-setup-deadman-boot@channel.service',
      }),
    );
  });
  afterEach(() => rmSync(t.root, { recursive: true, force: true }));

  it('20 restores while the container plants symlinks to a root script at every name: the script never changes', async () => {
    const before = fingerprint(t.script);
    // First on the temporary name the restore used to build in config/ (it won 8 of 20 there), then on the file itself.
    for (const name of ['openclaw.json.claw-restore', 'openclaw.json']) {
      const racers = [race(t.config, `ln -sfn ${t.script} ${name}`)];
      try {
        for (let i = 0; i < 20; i++) {
          // (the test itself writes with O_EXCL: a plain write here would follow the racer's link)
          for (let n = 0; !lstatSync(p, { throwIfNoEntry: false })?.isFile() && n < 1000; n++) {
            rmSync(p, { force: true });
            try {
              writeFileSync(p, '{"ok":1}\n', { mode: 0o600, flag: 'wx' });
            } catch {
              /* the racer was first: again */
            }
          }
          const b = run('backup');
          if (b.code !== 0 && name === 'openclaw.json') {
            // The racer swapped the file between the copy and its comparison (a loaded machine makes
            // that likely): the backup refuses and nothing is changed, which is the safe answer.
            expect(b.err).toContain('failed or differs from the original; nothing will be changed');
          } else {
            expect(b.code, b.err).toBe(0);
            expect(run('arm', '90').code).toBe(0);
            run('restore', 'now');
          }
          expect(fingerprint(t.script)).toBe(before);
        }
      } finally {
        for (const r of racers) r.stop();
      }
    }
    // with the race over, a restore puts back a regular file with the backed-up content
    rmSync(p, { force: true });
    writeFileSync(p, '{"ok":2}\n');
    expect(run('backup').code).toBe(0);
    expect(run('arm', '90').code).toBe(0);
    rmSync(p);
    symlinkSync(t.secret, p);
    expect(run('restore', 'now').code).toBe(0);
    expect(lstatSync(p).isSymbolicLink()).toBe(false);
    expect(readFileSync(p, 'utf8')).toBe('{"ok":2}\n');
    expect(fingerprint(t.script)).toBe(before);
    // nothing left behind: the temporary directories are gone
    expect(readdirSync(join(t.root, 'home')).filter((n) => n.startsWith('.claw-tmp'))).toEqual([]);
  }, 120_000);

  it('backup of a planted symlink copies the link, not the root file it points to; a planted FIFO does not hang it', () => {
    rmSync(p);
    symlinkSync(t.secret, p);
    expect(run('backup').code).toBe(0);
    expect(lstatSync(join(gdir, 'files', p)).isSymbolicLink()).toBe(true);
    expect(spawnSync('grep', ['-r', 'ROOT-ONLY-SENTINEL', join(gdir, 'files')]).status).toBe(1);
    rmSync(p);
    expect(spawnSync('mkfifo', [p]).status).toBe(0);
    const started = Date.now();
    expect(run('backup').code).toBe(0);
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
