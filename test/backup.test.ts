import { chmodSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { answersSchema } from '../src/answers/schema.js';
import { parseResticRepository } from '../src/answers/backup-fields.js';
import { parseFrom, readAgeIdentity, readLocalArchive } from '../src/cli/backup.js';
import { fixture } from './helpers.js';
import { needTool, run, tempDir } from './tool-runner.js';

const tmp = tempDir('backup');
afterAll(() => tmp.cleanup());

const RECIPIENT = 'age1rzg0tp4uy8aygw694snrx0jkt5ktlrayf3kmtcaz4vtr5z755djqrsvydj';
const SFTP = 'sftp:u123456@u123456.your-storagebox.de:/home/openclaw';
const withOffsite = (offsite: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  answersSchema.safeParse({ backups: { ageRecipient: RECIPIENT, offsite, ...extra } });
const firstError = (r: ReturnType<typeof withOffsite>) => (r.success ? null : r.error.issues[0].message);

describe('answers: backups.offsite and backups.ageRecipient', () => {
  it.each([
    [
      'sftp:u123456@u123456.your-storagebox.de:/home/openclaw',
      { kind: 'sftp', user: 'u123456', host: 'u123456.your-storagebox.de', port: 22, path: '/home/openclaw' },
    ],
    ['sftp:backup@203.0.113.5:restic', { kind: 'sftp', user: 'backup', host: '203.0.113.5', port: 22, path: 'restic' }],
    ['sftp://u1@box.example.com:23//srv/repo', { kind: 'sftp', user: 'u1', host: 'box.example.com', port: 23, path: '/srv/repo' }],
    ['s3:https://s3.eu-central-1.amazonaws.com/my-bucket/openclaw', { kind: 's3', endpoint: 'https://s3.eu-central-1.amazonaws.com', bucket: 'my-bucket' }],
    ['s3:https://minio.example.com:9000/backups', { kind: 's3', endpoint: 'https://minio.example.com:9000', bucket: 'backups' }],
  ])('parses %s', (repo, want) => {
    expect(parseResticRepository(repo)).toEqual(want);
    expect(withOffsite({ repository: repo, ...(repo.startsWith('s3:') ? { s3AccessKeyId: { env: 'K' }, s3SecretAccessKey: { env: 'S' } } : {}) }).success).toBe(
      true,
    );
  });

  it.each([
    ['sftp:u1@host:/x;rm -rf /', /only A-Z/],
    ['sftp:u1@host:/srv/../etc', /no "\.\." parts/],
    ['sftp:-oProxyCommand=x@host:/p', /Unix user name/],
    ['sftp:u1@-host:/p', /host name or an IPv4/],
    ['sftp://u1@host:70000/p', /between 1 and 65535/],
    ['s3:http://minio.local/bucket', /https only/],
    ['s3:https://s3.example.com/Bad_Bucket', /S3 bucket naming/],
    ['rest:https://host/', /must be sftp:USER@HOST/],
    ['/srv/local-repo', /must be sftp:USER@HOST/],
    ['sftp:u1@host:/p\nx', /printable ASCII/],
  ])('refuses %j', (repo, why) => {
    expect(firstError(withOffsite({ repository: repo }))).toMatch(why);
  });

  it('needs an age recipient (the public key, never the identity) with an off-server copy, and only then', () => {
    expect(firstError(answersSchema.safeParse({ backups: { offsite: { repository: SFTP } } }))).toMatch(/set backups.ageRecipient/);
    expect(firstError(answersSchema.safeParse({ backups: { ageRecipient: RECIPIENT } }))).toMatch(/only for the off-server copy/);
    const identity = 'AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ';
    expect(firstError(withOffsite({ repository: SFTP }, { ageRecipient: identity }))).toMatch(/never the AGE-SECRET-KEY-1/);
    expect(firstError(withOffsite({ repository: SFTP }, { ageRecipient: RECIPIENT.toUpperCase() }))).toMatch(/age public key/);
    expect(firstError(withOffsite({ repository: SFTP }, { ageRecipient: `${RECIPIENT}x` }))).toMatch(/age public key/);
  });

  it('secrets are references only; S3 needs its credentials, SFTP refuses them; retention keeps something', () => {
    expect(firstError(withOffsite({ repository: SFTP, password: 'hunter2hunter2' }))).toMatch(/never written inline/);
    expect(firstError(withOffsite({ repository: 's3:https://s3.example.com/bucket' }))).toMatch(/needs s3AccessKeyId and s3SecretAccessKey/);
    expect(firstError(withOffsite({ repository: SFTP, s3AccessKeyId: { env: 'K' } }))).toMatch(/only for an s3: repository/);
    expect(firstError(withOffsite({ repository: SFTP, keep: { daily: 0, weekly: 0, monthly: 0 } }))).toMatch(/keep at least one/);
    expect(firstError(withOffsite({ repository: SFTP, sftpHostKey: 'ssh-ed25519 not-base64!' }))).toMatch(/public host key/);
    expect(firstError(withOffsite({ repository: SFTP, extra: 1 }))).toMatch(/Unrecognized key/i);
    const ok = withOffsite({ repository: SFTP });
    expect(ok.success && ok.data.backups.offsite).toMatchObject({ password: { env: 'RESTIC_PASSWORD' }, keep: { daily: 7, weekly: 4, monthly: 12 } });
    expect(answersSchema.parse({}).backups).toMatchObject({ ageRecipient: null, offsite: null });
  });
});

describe('claw-setup restore --from, and the files it reads (src/cli/backup.ts)', () => {
  it('--from: nothing = the newest archive; restic:latest / restic:<id>; a local file; an absolute path on the server', () => {
    const a = fixture('offsite');
    expect(parseFrom(undefined, a)).toEqual({ kind: 'newest' });
    expect(parseFrom('restic:latest', a)).toEqual({ kind: 'restic', snapshot: 'latest' });
    expect(parseFrom('restic:48fea1a2', a)).toEqual({ kind: 'restic', snapshot: '48fea1a2' });
    expect(() => parseFrom('restic:latest', fixture('full'))).toThrow(/no off-server copy/);
    expect(() => parseFrom('restic:$(id)', a)).toThrow(/restic:latest or restic:<snapshot id>/);
    expect(parseFrom('/var/backups/openclaw/x.tar.gz', a, () => false)).toEqual({ kind: 'server', path: '/var/backups/openclaw/x.tar.gz' });
    expect(parseFrom('./x.tar.gz', a, () => true)).toEqual({ kind: 'local', path: './x.tar.gz' });
    expect(() => parseFrom('x.tar.gz', a, () => false)).toThrow(/no such file here/);
    expect(() => parseFrom('/srv/../etc/shadow', a, () => false)).toThrow(/no "\.\." parts/);
    expect(() => parseFrom('/x;reboot', a, () => false)).toThrow(/may use only/);
  });

  it('reads a local archive (gzip or age) and an age identity file (comments dropped), refusing anything else', () => {
    const gz = join(tmp.dir, 'a.tar.gz');
    writeFileSync(gz, Buffer.from([0x1f, 0x8b, 8, 0]));
    expect(readLocalArchive(gz)).toMatchObject({ kind: 'upload', name: 'a.tar.gz', encrypted: false });
    const age = join(tmp.dir, 'a.tar.gz.age');
    writeFileSync(age, 'age-encryption.org/v1\n-> X25519 abc\n');
    expect(readLocalArchive(age).encrypted).toBe(true);
    const txt = join(tmp.dir, 'notes.txt');
    writeFileSync(txt, 'hello');
    expect(() => readLocalArchive(txt)).toThrow(/neither a .tar.gz archive nor an age-encrypted one/);
    const key = `AGE-SECRET-KEY-1${'Q'.repeat(58)}`;
    const id = join(tmp.dir, 'id.txt');
    writeFileSync(id, `# created: 2026-11-30\n# public key: ${RECIPIENT}\n${key}\n`);
    const s = readAgeIdentity(id);
    expect(s.reveal()).toBe(key);
    expect(String(s)).toBe('<secret:AGE_IDENTITY>');
    writeFileSync(id, `${RECIPIENT}\n`);
    expect(() => readAgeIdentity(id)).toThrow(/not an age identity file/);
    expect(() => readAgeIdentity(undefined)).toThrow(/encrypted with age/);
  });
});

describe('the scripts for real: age, restic (a local repository) and tar in a temp tree', () => {
  // Only the path lines at the top are pointed into the temp dir, and claw-restic is a wrapper with a
  // local repository: what is exercised is the scripts' own logic with the real tools.
  const root = join(tmp.dir, 'real');
  const src = join(root, 'home', 'deploy', 'openclaw');
  const dest = join(root, 'backups');
  const repo = join(root, 'repo');
  const wrapper = join(root, 'claw-restic');
  const ident = join(root, 'age-identity.txt');
  const relSrc = src.replace(/^\/+/, '');
  const scripts = async () => {
    const { renderBackupScript } = await import('../templates/backup.js');
    const { renderRestoreTestScript } = await import('../templates/backup-restore-test.js');
    const { CHECK_ARCHIVE } = await import('../steps/restore-scripts.js');
    return { renderBackupScript, renderRestoreTestScript, CHECK_ARCHIVE };
  };
  const point = (text: string) =>
    text
      .replace(/^src=.*$/m, `src=${relSrc}`)
      .replace(/^dest=.*$/m, `dest=${dest}`)
      .replaceAll('/usr/local/sbin/claw-restic', wrapper);

  it('backup: archive, age-encrypted copy into restic, read back, forget, check; the restore test passes; a damaged archive fails it', async (ctx) => {
    const age = needTool(ctx, 'age', 'age');
    const restic = needTool(ctx, 'restic', 'restic');
    needTool(ctx, 'age-keygen', 'age');
    mkdirSync(join(src, 'config'), { recursive: true });
    mkdirSync(join(src, 'workspace'), { recursive: true });
    writeFileSync(join(src, 'docker-compose.yml'), 'services: {}\n');
    writeFileSync(join(src, '.env'), "OPENCLAW_GATEWAY_TOKEN='sentinel-token-in-archive'\n");
    writeFileSync(join(src, 'config', 'openclaw.json'), '{"gateway": {"auth": {"rateLimit": {"maxAttempts": 7}}}}\n');
    writeFileSync(join(src, 'workspace', 'MARKER.md'), 'marker\n');
    const kg = run('age-keygen', ['-o', ident]);
    const recipient = /age1[0-9a-z]+/.exec(kg.stderr)![0];
    writeFileSync(join(root, 'pw'), 'test-password');
    writeFileSync(
      wrapper,
      `#!/bin/sh\nexport RESTIC_REPOSITORY=${repo} RESTIC_PASSWORD_FILE=${join(root, 'pw')} RESTIC_CACHE_DIR=${join(root, 'cache')}\nexec ${restic} "$@"\n`,
    );
    chmodSync(wrapper, 0o755);
    const a = answersSchema.parse({ backups: { ageRecipient: recipient, offsite: { repository: SFTP, keep: { daily: 2, weekly: 0, monthly: 0 } } } });
    const { renderBackupScript, renderRestoreTestScript, CHECK_ARCHIVE } = await scripts();
    const backup = join(root, 'openclaw-backup');
    writeFileSync(backup, point(renderBackupScript(a)));
    const b1 = run('bash', [backup]);
    expect(b1.status, b1.stderr).toBe(0);
    expect(b1.stdout).toMatch(/initialising the restic repository/);
    expect(b1.stdout).toMatch(/off-server copy: snapshot [0-9a-f]{8} \(age-encrypted, read back and verified; retention 2 daily, 0 weekly, 0 monthly\)/);
    const stamp = readFileSync(join(dest, 'last-success'), 'utf8').split('\n');
    expect(stamp[2]).toMatch(/^offsite [0-9a-f]{8}$/);
    expect(readdirSync(dest).filter((f) => f.includes('.age'))).toEqual([]);
    // What the repository holds decrypts with the operator's identity only, to the very archive.
    const dumped = join(root, 'dumped.age');
    expect(run('sh', ['-c', `${wrapper} dump latest /openclaw.tar.gz.age > ${dumped}`]).status).toBe(0);
    expect(readFileSync(dumped, 'latin1').startsWith('age-encryption.org/v1\n-> X25519 ')).toBe(true);
    const dec = run(age, ['-d', '-i', ident, '-o', join(root, 'dec.tar.gz'), dumped]);
    expect(dec.status, dec.stderr).toBe(0);
    expect(readFileSync(join(root, 'dec.tar.gz'))).toEqual(readFileSync(stamp[1]));
    // --local-only: an archive, nothing off the server, no stamp.
    const before = readFileSync(join(dest, 'last-success'), 'utf8');
    const b2 = run('bash', [backup, '--local-only']);
    expect(b2.status, b2.stderr).toBe(0);
    expect(b2.stdout).not.toMatch(/off-server/);
    expect(readFileSync(join(dest, 'last-success'), 'utf8')).toBe(before);
    // The archive check of `claw-setup restore` accepts it and unpacks it.
    const stage = join(root, 'stage');
    mkdirSync(stage, { recursive: true });
    writeFileSync(join(stage, 'archive.tar.gz'), readFileSync(stamp[1]));
    const chk = run('sh', ['-c', CHECK_ARCHIVE, 'sh', stage, relSrc, join(stage, 'tree'), '0', '0']);
    expect(chk.status, chk.stderr).toBe(0);
    expect(readFileSync(join(stage, 'tree', 'workspace', 'MARKER.md'), 'utf8')).toBe('marker\n');
    // The monthly restore test, on the good archive, then on a damaged newest one.
    const rt = join(root, 'openclaw-restore-test');
    writeFileSync(rt, point(renderRestoreTestScript(a)));
    const t1 = run('bash', [rt]);
    expect(t1.status, t1.stderr).toBe(0);
    expect(t1.stdout).toMatch(/restores: docker-compose.yml present, openclaw.json parses; the newest off-server snapshot reads back/);
    writeFileSync(join(src, 'config', 'openclaw.json'), '{"broken": \n');
    expect(run('bash', [backup, '--local-only']).status).toBe(0);
    const t2 = run('bash', [rt]);
    expect(t2.status).toBe(1);
    expect(t2.stderr).toMatch(/openclaw-restore-test: FAIL openclaw.json in \S+ does not parse/);
  });

  it('the archive check refuses an archive with files outside the deployment, or without its files', async () => {
    const { CHECK_ARCHIVE } = await scripts();
    const stage = join(root, 'stage-bad');
    const other = join(root, 'other');
    mkdirSync(join(other, 'etc'), { recursive: true });
    writeFileSync(join(other, 'etc', 'passwd'), 'x');
    mkdirSync(stage, { recursive: true });
    expect(run('tar', ['-czf', join(stage, 'archive.tar.gz'), '-C', other, 'etc']).status).toBe(0);
    const r = run('sh', ['-c', CHECK_ARCHIVE, 'sh', stage, relSrc, join(stage, 'tree'), '0', '0']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/holds files outside/);
    writeFileSync(join(stage, 'archive.tar.gz'), 'not gzip');
    expect(run('sh', ['-c', CHECK_ARCHIVE, 'sh', stage, relSrc, join(stage, 'tree'), '0', '0']).stderr).toMatch(/does not read back/);
  });
});
