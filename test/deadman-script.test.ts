// The dead-man script itself, run for real by /bin/sh on this machine against files in a scratch
// directory. systemctl, systemd-run and logger are stand-ins that only record their arguments; the
// same script runs under real systemd on the test servers (test/e2e/deadman.e2e.test.ts).
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderDeadman } from '../src/plan/deadman-script.js';

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
