import { describe, expect, it } from 'vitest';
import { answersSchema } from '../../src/answers/schema.js';
import { backupDirProblem } from '../../src/answers/backup-fields.js';
import { issuesOn } from './field-fixture.js';

describe('backups.dir: never a system directory', () => {
  const OK = 'give a directory of its own, e.g. /var/backups/openclaw, /srv/backups/openclaw or /home/deploy/backups';

  it.each([
    '/',
    '/bin',
    '/boot',
    '/dev',
    '/etc',
    '/home',
    '/lib',
    '/lib32',
    '/lib64',
    '/libx32',
    '/media',
    '/mnt',
    '/opt',
    '/proc',
    '/root',
    '/run',
    '/sbin',
    '/srv',
    '/sys',
    '/tmp',
    '/usr',
    '/var',
    '/var/lib',
    '/var/backups',
    '/var/log',
    '/var/tmp',
    '/var/cache',
    '/var/spool',
    '/var/mail',
    '/var/opt',
    '/var/local',
    '/var/run',
    '/var/lock',
  ])('%s is a system directory', (dir) => {
    expect(issuesOn('backups.dir', dir)).toEqual([`backups.dir: backups.dir ${dir} is a system directory; ${OK}`]);
  });

  it.each(['/home/deploy', '/home/ubuntu', '/home/x'])('%s is a home directory', (dir) => {
    expect(issuesOn('backups.dir', dir)).toEqual([`backups.dir: backups.dir ${dir} is a user's home directory; ${OK}`]);
  });

  it.each([
    ['/usr/local/backups', 'usr'],
    ['/usr/share/openclaw', 'usr'],
    ['/etc/openclaw', 'etc'],
    ['/etc/ssh/backups', 'etc'],
    ['/tmp/backups', 'tmp'],
    ['/var/tmp/backups', 'var/tmp'],
    ['/proc/self/x', 'proc'],
    ['/sys/x', 'sys'],
    ['/dev/shm/x', 'dev'],
    ['/run/backups', 'run'],
    ['/var/run/backups', 'var/run'],
    ['/boot/backups', 'boot'],
    ['/bin/x', 'bin'],
    ['/sbin/x', 'sbin'],
    ['/lib/x', 'lib'],
    ['/lib64/x', 'lib64'],
    ['/libx32/x', 'libx32'],
  ])('%s is inside a system tree', (dir, tree) => {
    expect(issuesOn('backups.dir', dir)).toEqual([`backups.dir: backups.dir ${dir} is inside /${tree}, where backups must not go; ${OK}`]);
  });

  it.each([
    '/.',
    '/./var',
    '/var/.',
    '/var/backups/./openclaw',
    '/var/backups/..',
    '/srv/../etc',
    '/var//backups',
    '//var/backups/openclaw',
    '/var/backups/openclaw/',
    '/srv/backups/',
  ])('%s is not written plainly', (dir) => {
    expect(issuesOn('backups.dir', dir)).toEqual([
      `backups.dir: backups.dir ${dir} must be written plainly: no "." or ".." parts, no "//" and no trailing "/" (e.g. /var/backups/openclaw)`,
    ]);
  });

  it.each(['relative/dir', '/var/backups/open claw', '/var/backups/$(id)', '~/backups'])('%j is not an absolute path in the safe shape', (dir) => {
    expect(issuesOn('backups.dir', dir)).toEqual([
      'backups.dir: backups.dir must be an absolute path using only A-Z a-z 0-9 . _ - / (e.g. /var/backups/openclaw)',
    ]);
  });

  it('a value with control characters is refused without being echoed', () => {
    const issues = issuesOn('backups.dir', '/usr\n');
    expect(issues).toEqual(['backups.dir: backups.dir may only hold printable ASCII: no newlines, tabs, NUL or look-alike unicode']);
  });

  it.each([
    '/var/backups/openclaw',
    '/srv/backups/openclaw',
    '/opt/openclaw-backups',
    '/home/deploy/backups',
    '/mnt/data/backups',
    '/root/backups',
    '/var/lib/openclaw-backups',
    '/media/usb/openclaw',
    '/data/backups',
    '/usrdata/backups',
    '/etcetera/x',
    '/library/x',
    '/home/deploy/.backups',
    '/var/backups/openclaw.d',
  ])('%s is accepted', (dir) => {
    expect(issuesOn('backups.dir', dir)).toEqual([]);
    expect(backupDirProblem(dir)).toBeNull();
  });

  it('the default stays /var/backups/openclaw', () => {
    expect(answersSchema.parse({}).backups.dir).toBe('/var/backups/openclaw');
  });
});
