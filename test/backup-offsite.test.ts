// restic's --host (templates/backup-offsite.ts): the real claw-restic wrapper against a local
// repository shared by two "servers", and how `claw-setup restore --from-host` passes a name on.
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { answersSchema } from '../src/answers/schema.js';
import type { RunAction } from '../src/plan/action.js';
import { OFFSITE_PATHS } from '../src/plan/backup-paths.js';
import { planRestore, RESTIC_FETCH, type RestoreSource } from '../steps/backup-restore.js';
import { parseFrom, withFromHost } from '../src/cli/backup.js';
import { Secret } from '../src/core/secret.js';
import { RECORD_RESTIC_HOST, renderResticWrapper, RESTIC_HOST_COMMANDS } from '../templates/backup-offsite.js';
import { everyAction, fixture } from './helpers.js';
import { needTool, run, tempDir } from './tool-runner.js';

const tmp = tempDir('backup-offsite');
afterAll(() => tmp.cleanup());

describe('restic: every snapshot made and selected with --host', () => {
  it('the wrapper adds --host to each command that makes or selects snapshots; a second server sharing the repository is never picked', (ctx) => {
    const restic = needTool(ctx, 'restic', 'restic');
    const dir = join(tmp.dir, 'restic');
    mkdirSync(dir, { recursive: true });
    const path = (k: keyof typeof OFFSITE_PATHS) => join(dir, k);
    writeFileSync(path('env'), `RESTIC_REPOSITORY='${join(dir, 'repo')}'\n`);
    writeFileSync(path('password'), 'pw\n');
    const a = answersSchema.parse({
      backups: {
        ageRecipient: 'age1rzg0tp4uy8aygw694snrx0jkt5ktlrayf3kmtcaz4vtr5z755djqrsvydj',
        offsite: { repository: 's3:https://s3.example.com/claw-bucket', s3AccessKeyId: { env: 'K' }, s3SecretAccessKey: { env: 'S' } },
      },
    });
    let wrapper = renderResticWrapper(a).replace('exec restic', `exec ${restic}`);
    // Longest first: the directory is a prefix of the files in it.
    const keys = (Object.keys(OFFSITE_PATHS) as (keyof typeof OFFSITE_PATHS)[]).sort((x, y) => OFFSITE_PATHS[y].length - OFFSITE_PATHS[x].length);
    for (const k of keys) wrapper = wrapper.replaceAll(OFFSITE_PATHS[k], path(k));
    writeFileSync(path('wrapper'), wrapper);
    chmodSync(path('wrapper'), 0o700);
    for (const c of ['backup', 'dump', 'snapshots', 'forget', 'restore']) expect(RESTIC_HOST_COMMANDS).toContain(c);
    const sh = (script: string, env: Record<string, string> = {}) => run('sh', ['-c', script], { env: { ...process.env, ...env } });
    expect(sh(`${path('wrapper')} init --quiet`).status).toBe(0);
    // Two servers, one repository: each backs up its own file under its own name.
    for (const [name, data] of [
      ['alpha-0123abcd', 'ALPHA'],
      ['beta-4567ef01', 'BETA'],
    ]) {
      writeFileSync(path('host'), `${name}\n`);
      const b = sh(`echo ${data} | ${path('wrapper')} backup --quiet --tag openclaw --stdin --stdin-filename openclaw.tar.gz.age`);
      expect(b.status, b.stderr).toBe(0);
    }
    // This server is beta: "latest" is beta's latest, though alpha's exists too.
    const stage = join(dir, 'stage');
    mkdirSync(stage, { recursive: true });
    const fetch = RESTIC_FETCH.replaceAll(OFFSITE_PATHS.host, path('host')).replaceAll(OFFSITE_PATHS.wrapper, path('wrapper'));
    const own = run('sh', ['-c', fetch, 'sh', stage, 'latest', 'own.age', '']);
    expect(own.status, own.stderr).toBe(0);
    expect(own.stdout).toContain('snapshot latest of host beta-4567ef01');
    expect(readFileSync(join(stage, 'own.age'), 'utf8')).toBe('BETA\n');
    const other = run('sh', ['-c', fetch, 'sh', stage, 'latest', 'other.age', 'alpha-0123abcd']);
    expect(other.status, other.stderr).toBe(0);
    expect(readFileSync(join(stage, 'other.age'), 'utf8')).toBe('ALPHA\n');
    const none = run('sh', ['-c', fetch, 'sh', stage, 'latest', 'none.age', 'gamma']);
    expect(none.status).toBe(1);
    expect(none.stderr).toContain('no snapshot latest of host gamma could be read');
    const count = (env: Record<string, string>) => JSON.parse(sh(`${path('wrapper')} snapshots --json`, env).stdout).length;
    expect(count({})).toBe(1);
    expect(count({ CLAW_RESTIC_ALL_HOSTS: '1' })).toBe(2);
    // No recorded name: refused, rather than restic's default (whatever the hostname is today).
    writeFileSync(path('host'), '');
    expect(sh(`${path('wrapper')} snapshots`).stderr).toContain('no host name recorded');
  });

  it('--from-host: only with a restic source and a plain name; the fetch passes it on', () => {
    const a = fixture('offsite');
    const s = withFromHost(parseFrom('restic:latest', a), 'old-vps-1-0123abcd');
    expect(s).toEqual({ kind: 'restic', snapshot: 'latest', fromHost: 'old-vps-1-0123abcd' });
    expect(() => withFromHost(parseFrom(undefined, a), 'old-vps-1')).toThrow(/needs --from restic:latest/);
    expect(() => withFromHost(parseFrom('restic:latest', a), 'a b;rm -rf /')).toThrow(/not a host name/);
    const fetch = everyAction(planRestore(a, { source: s as RestoreSource, identity: Secret.of('AGE_IDENTITY', 'x') }, 'h')).find(
      (x): x is RunAction => x.kind === 'run' && x.argv[2] === RESTIC_FETCH,
    )!;
    expect(fetch.argv.slice(4)).toEqual(['/var/lib/claw-setup/restore', 'latest', 'archive.tar.gz.age', 'old-vps-1-0123abcd']);
  });

  it('the name is recorded once at setup: the hostname and the start of the machine id', () => {
    const f = join(tmp.dir, 'restic-host');
    const r = run('sh', ['-c', RECORD_RESTIC_HOST, 'sh', f]);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(f, 'utf8')).toMatch(/^[A-Za-z0-9.-]+(-[0-9a-f]{8})?\n$/);
    expect((statSync(f).mode & 0o777).toString(8)).toBe('600');
  });
});
