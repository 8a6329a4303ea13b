// `claw-setup restore` rebuilds, it does not trust: the archive check (by type as well as name,
// run for real with tar on archives crafted by Python's tarfile, as a hostile server would make
// them), the rebuild of openclaw.json (the merge script, run by node here as in the image), the
// plan's shape (compose from the answers, staging beside the deployment, renames), and restic's
// --host (the real claw-restic wrapper against a local repository shared by two "servers").
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { answersSchema } from '../src/answers/schema.js';
import type { RunAction, WriteAction } from '../src/plan/action.js';
import { OFFSITE_PATHS } from '../src/plan/backup-paths.js';
import { planRestore, RESTIC_FETCH, restoreTreeDir, type RestoreSource } from '../steps/backup-restore.js';
import { parseFrom, withFromHost } from '../src/cli/backup.js';
import { Secret } from '../src/core/secret.js';
import { CONTAINER_UID } from '../steps/openclaw.js';
import { CHECK_ARCHIVE, MERGE_POLICY_JS, REBUILD_CONFIG } from '../steps/restore-scripts.js';
import { RECORD_RESTIC_HOST, renderResticWrapper, RESTIC_HOST_COMMANDS } from '../templates/backup-offsite.js';
import { imageRef, renderCompose } from '../templates/compose.js';
import { openclawConfig } from '../templates/openclaw-json.js';
import { everyAction, fixture } from './helpers.js';
import { needTool, run, tempDir } from './tool-runner.js';

const tmp = tempDir('restore-rebuild');
afterAll(() => tmp.cleanup());
const SRC = 'home/deploy/openclaw';
const SENTINEL = 'root-only-host-file-sentinel-5c1e';

/** A .tar.gz made by Python's tarfile: members as a hostile server could write them. */
function craft(
  file: string,
  members: { name: string; type?: 'file' | 'dir' | 'symlink' | 'hardlink' | 'fifo' | 'chr'; data?: string; link?: string; mode?: number }[],
) {
  const py = `
import io, json, sys, tarfile
kinds = {'file': tarfile.REGTYPE, 'dir': tarfile.DIRTYPE, 'symlink': tarfile.SYMTYPE, 'hardlink': tarfile.LNKTYPE, 'fifo': tarfile.FIFOTYPE, 'chr': tarfile.CHRTYPE}
with tarfile.open(sys.argv[1], 'w:gz') as t:
    for m in json.load(sys.stdin):
        i = tarfile.TarInfo(m['name']); i.type = kinds[m.get('type', 'file')]; i.mode = m.get('mode', 0o755 if i.type == tarfile.DIRTYPE else 0o644)
        i.uid = i.gid = 1000; i.linkname = m.get('link', '')
        data = m.get('data', '').encode(); i.size = len(data) if i.type == tarfile.REGTYPE else 0
        t.addfile(i, io.BytesIO(data) if i.type == tarfile.REGTYPE else None)
`;
  const r = run('python3', ['-c', py, file], { input: JSON.stringify(members) });
  expect(r.status, r.stderr).toBe(0);
}
const good = [
  { name: SRC, type: 'dir' as const },
  { name: `${SRC}/docker-compose.yml`, data: 'services:\n  openclaw-gateway:\n    privileged: true\n    network_mode: host\n' },
  { name: `${SRC}/.env`, data: "OPENCLAW_GATEWAY_TOKEN='t'\n" },
  { name: `${SRC}/config`, type: 'dir' as const },
  { name: `${SRC}/config/openclaw.json`, data: '{"gateway": {"bind": "lan"}}\n' },
  { name: `${SRC}/workspace`, type: 'dir' as const },
  { name: `${SRC}/workspace/MEMORY.md`, data: 'kept\n' },
  { name: `${SRC}/workspace/tool`, data: '#!/bin/sh\n', mode: 0o6755 },
];

describe('the archive check, for real: members by type as well as name', () => {
  const sentinel = join(tmp.dir, 'host-secret');
  writeFileSync(sentinel, `${SENTINEL}\n`, { mode: 0o600 });
  let n = 0;
  const check = (members: Parameters<typeof craft>[1]) => {
    const stage = join(tmp.dir, `stage-${++n}`);
    mkdirSync(stage, { recursive: true });
    craft(join(stage, 'archive.tar.gz'), members);
    const tree = join(tmp.dir, `tree-${n}`);
    return { ...run('sh', ['-c', CHECK_ARCHIVE, 'sh', stage, SRC, tree, '4321', '5432']), tree };
  };

  it("a good archive: unpacked into a root-only directory, config/ and workspace/ the container's, the rest the deploy user's, .env 600", () => {
    const r = check(good);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/8 files and directories under \/home\/deploy\/openclaw unpacked/);
    const own = (f: string) => `${statSync(join(r.tree, f)).uid} ${(statSync(join(r.tree, f)).mode & 0o777).toString(8)}`;
    expect(own('.')).toBe('0 700');
    expect(own('.env')).toBe('4321 600');
    expect(own('docker-compose.yml')).toBe('4321 600');
    expect(statSync(join(r.tree, 'config/openclaw.json')).uid).toBe(5432);
    expect(statSync(join(r.tree, 'workspace/MEMORY.md')).uid).toBe(5432);
    expect(readFileSync(join(r.tree, 'workspace/MEMORY.md'), 'utf8')).toBe('kept\n');
    expect(own('workspace/tool')).toBe('5432 755');
  });

  it.each(['.env', 'config/openclaw.json', 'docker-compose.yml'])(
    'a symlinked %s (to a root-only host file) is refused before anything is unpacked; the file is never read',
    (f) => {
      const before = statSync(sentinel).atimeMs;
      const r = check(good.map((m) => (m.name === `${SRC}/${f}` ? { name: m.name, type: 'symlink' as const, link: sentinel } : m)));
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`/${SRC}/${f} in the archive is a symbolic link: refused (root never follows it)`);
      expect(existsSync(r.tree)).toBe(false);
      expect(r.stdout + r.stderr).not.toContain(SENTINEL);
      expect(statSync(sentinel).atimeMs).toBe(before);
    },
  );

  it.each([
    [
      'a hard link',
      { name: `${SRC}/config/hard`, type: 'hardlink' as const, link: `${SRC}/.env` },
      /hard links, devices or FIFOs[\s\S]*h home\/deploy\/openclaw\/config\/hard/,
    ],
    ['a FIFO', { name: `${SRC}/config/fifo`, type: 'fifo' as const }, /p home\/deploy\/openclaw\/config\/fifo/],
    ['a device', { name: `${SRC}/config/dev`, type: 'chr' as const }, /c home\/deploy\/openclaw\/config\/dev/],
    ['a ".." path', { name: `${SRC}/../../../etc/cron.d/x`, data: '* * * * * root id\n' }, /'\.\.' part/],
    ['an absolute path', { name: '/etc/cron.d/x', data: 'x\n' }, /outside/],
    ['a file outside the deployment', { name: 'home/deploy/.bashrc', data: 'x\n' }, /outside/],
  ])('%s is refused', (_what, bad, message) => {
    const r = check([...good, bad]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(existsSync(r.tree)).toBe(false);
  });

  it('a symlink elsewhere (npm makes them in node_modules/.bin; or one planted in config/) is left out, never unpacked nor followed', () => {
    const r = check([
      ...good,
      { name: `${SRC}/config/evil`, type: 'symlink' as const, link: sentinel },
      { name: `${SRC}/config/extensions/x/node_modules/.bin/x`, type: 'symlink' as const, link: '../x/cli.js' },
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('left out 2 symbolic link(s), never unpacked nor followed');
    expect(() => lstatSync(join(r.tree, 'config/evil'))).toThrow(/ENOENT/);
    expect(r.stdout + r.stderr).not.toContain(SENTINEL);
    expect(readFileSync(join(r.tree, 'workspace/MEMORY.md'), 'utf8')).toBe('kept\n');
  });

  it("an .env that sets docker compose's own settings (COMPOSE_*, DOCKER_*) is refused, the line never shown", () => {
    const r = check(good.map((m) => (m.name === `${SRC}/.env` ? { ...m, data: "OPENCLAW_GATEWAY_TOKEN='t'\nDOCKER_HOST=tcp://evil.example:2375\n" } : m)));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("the archive's .env sets docker compose's own settings (COMPOSE_*, DOCKER_*): refused");
    expect(r.stderr).not.toContain('evil.example');
  });

  it('an archive whose compose file is a directory, or that has no openclaw.json, is refused', () => {
    const dirCompose = check(good.map((m) => (m.name.endsWith('docker-compose.yml') ? { name: m.name, type: 'dir' as const } : m)));
    expect(dirCompose.stderr).toMatch(/no regular file \/home\/deploy\/openclaw\/docker-compose.yml/);
    const noConfig = check(good.filter((m) => !m.name.endsWith('openclaw.json')));
    expect(noConfig.stderr).toMatch(/no regular file \/home\/deploy\/openclaw\/config\/openclaw.json/);
  });
});

describe("openclaw.json rebuilt: the answers' doors and powers over the archive's data", () => {
  const a = answersSchema.parse({
    openclaw: { channels: [{ type: 'telegram', botToken: { env: 'TELEGRAM_BOT_TOKEN' }, allowFrom: ['123456789'] }] },
  });
  const ours = openclawConfig(a) as Record<string, unknown>;
  const rebuild = (live: string) => run(process.execPath, ['-e', MERGE_POLICY_JS, JSON.stringify(ours)], { input: live, cwd: process.cwd() });
  // What a hostile container could have written into config/ before the backup ran (JSON5, as OpenClaw reads).
  const hostile = `{
    // JSON5: comments and unquoted keys
    gateway: { mode: 'local', bind: 'custom', customBindHost: '0.0.0.0', auth: { mode: 'none' }, controlUi: { dangerouslyDisableDeviceAuth: true } },
    tools: { deny: [], elevated: { enabled: true }, exec: { security: 'full' } },
    discovery: { mdns: { mode: 'full' } },
    agents: { defaults: { sandbox: { mode: 'off' }, model: { primary: 'anthropic/claude-x' } } },
    plugins: { entries: { 'evil-npm-plugin': { enabled: true } }, load: { paths: ['/home/node/.openclaw/x'] } },
    channels: { telegram: { enabled: true, dmPolicy: 'open', allowFrom: ['*'] }, discord: { enabled: true, dmPolicy: 'open' } },
    session: { dmScope: 'main', resetTriggers: ['/new'] },
    memory: { backend: 'builtin' },
  }`;

  it("gateway, tools, discovery, sandbox and plugins are the answers' exactly; unknown channels switched off; data kept", () => {
    const r = rebuild(hostile);
    expect(r.status, r.stderr).toBe(0);
    const m = JSON.parse(r.stdout);
    expect(m.gateway).toEqual(ours.gateway);
    expect(m.tools).toEqual(ours.tools);
    expect(m.discovery).toEqual(ours.discovery);
    expect(m.agents.defaults.sandbox).toEqual((ours.agents as { defaults: { sandbox: unknown } }).defaults.sandbox);
    expect(m.plugins).toBeUndefined();
    expect(m.channels.telegram).toEqual((ours.channels as Record<string, unknown>).telegram);
    expect(m.channels.discord).toEqual({ enabled: false, dmPolicy: 'open' });
    // data and keys claw-setup does not set: the archive's (merged with ours where ours sets them)
    expect(m.agents.defaults.model).toEqual({ primary: 'anthropic/claude-x' });
    expect(m.session).toEqual({ dmScope: 'per-channel-peer', resetTriggers: ['/new'] });
    expect(m.memory).toEqual({ backend: 'builtin' });
    expect(r.stderr).toContain('restored switched off (claw-setup add-channel turns one back on): discord');
    expect(r.stderr).toContain('left out of the restored openclaw.json: plugins');
  });

  it('what does not parse is refused, never replaced silently', () => {
    expect(rebuild('{ "gateway": ').stderr).toMatch(/does not parse/);
    expect(rebuild('[1, 2]').stderr).toMatch(/not an object/);
    expect(rebuild('{ "gateway": ').status).toBe(1);
  });
});

describe('the restore plan rebuilds from the answers', () => {
  const a = fixture('offsite');
  const p = planRestore(a, { source: { kind: 'newest' }, identity: null }, 'h');
  const all = everyAction(p);
  const titles = all.map((x) => x.title);

  it('check → compose from the answers → config rebuilt and validated → keep the current state → guarded swap by renames', () => {
    const tree = restoreTreeDir(a);
    expect(tree).toBe('/home/deploy/openclaw.restore');
    const check = all.find((x): x is RunAction => x.kind === 'run' && x.argv[2] === CHECK_ARCHIVE)!;
    expect(check.argv.slice(4)).toEqual(['/var/lib/claw-setup/restore', SRC, tree, 'deploy', CONTAINER_UID]);
    const compose = all.find((x): x is WriteAction => x.kind === 'write')!;
    expect(compose.path).toBe(`${tree}/docker-compose.yml`);
    expect(compose.content).toEqual([renderCompose(a)]);
    expect(compose.owner).toBe('deploy');
    const rebuild = all.find((x): x is RunAction => x.kind === 'run' && x.argv[2] === REBUILD_CONFIG)!;
    expect(rebuild.argv.slice(4)).toEqual([tree, imageRef(a), CONTAINER_UID, MERGE_POLICY_JS, JSON.stringify(openclawConfig(a))]);
    const order = [
      check.title,
      compose.title,
      rebuild.title,
      'keep the current state first: a local archive, as the daily backup makes',
      'stop the gateway (cleanly) before the switch',
    ];
    expect(order.map((t) => titles.indexOf(t))).toEqual([...order.map((t) => titles.indexOf(t))].sort((x, y) => x - y));
    expect(order.every((t) => titles.includes(t))).toBe(true);
    // Nothing the container can write is used for staging, and the archive's compose file is never started.
    const text = JSON.stringify(p);
    expect(text).not.toContain('openclaw.json.restore-candidate');
    // root never follows a link with chown (-h on each)
    const chowns = [...text.matchAll(/chown [^;|&\\]*/g)].map((m) => m[0]);
    expect(chowns.length).toBeGreaterThanOrEqual(3);
    for (const c of chowns) expect(c).toMatch(/ -h /);
    expect(REBUILD_CONFIG).toContain('--network none');
  });
});

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
