// Backups you can count on, for real: a deployed Debian 13 test server (A) backs up to a second
// test server (B, a stand-in for a storage box) over SFTP with restic, age-encrypted to the
// operator's key; A is destroyed; a fresh server (C), set up with the same answers, gets the
// deployment back with `claw-setup restore --from restic:latest --from-host A`: same workspace marker,
// the answers' policy keys, healthy gateway. Sentinel secrets never show up in any output, the
// journals (sudo logs every command line there, so this covers argv too) or B's repository.
// Test hosts cannot reach each other: a TCP forwarder on this machine carries A's and C's SFTP
// connections to B, and "storage.test" names this machine's end of each host's link.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootHost, makeKeyPair, testhostUnavailableReason } from './testhost/testhost.js';
import type { TestHost } from './testhost/testhost-types.js';
import { look, rig, runCli, SUDO_PW, teardown, type CliRun, type Rig } from './rollout-kit.js';
import { importStandIn, OC, prepareGatewayHost } from './gateway-kit.js';
import { CONTAINER_UID, CONTAINER_USER } from '../../templates/gateway-shared.js';

const unavailable = testhostUnavailableReason();
const TH_CACHE = process.env.TH_CACHE ?? '/var/cache/claw-setup-testhost';
const DEBS = join(TH_CACHE, 'extra-debs-debian-13');
const RESTIC_PW = 'e2e-Restic-Sentinel-Pw-3c1e9a7b';
const GW_TOKEN = 'e2eGatewaySentinelToken0123456789abcdef';
const PROVIDER_KEY = 'sk-ant-e2e-Provider-Sentinel-77aa21';
const MARKER = `workspace marker ${randomBytes(8).toString('hex')}`;
const SFTP_PORT = 2222;
const bench: string[] = [];
const runs: CliRun[] = [];

const healthy = (r: Rig) => look(r, 'curl -fsS -o /dev/null -w "%{http_code}" http://127.0.0.1:18789/healthz || true').trim() === '200';
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const config = (r: Rig): Record<string, any> => JSON.parse(look(r, `cat ${OC}/config/openclaw.json`));

/** age and restic for the test hosts' offline apt repository (Debian 13's own packages), fetched once. */
function ensureDebs(): void {
  const have = existsSync(DEBS) ? readdirSync(DEBS) : [];
  if (['age_', 'restic_'].every((p) => have.some((f) => f.startsWith(p) && f.endsWith('.deb')))) return;
  mkdirSync(join(DEBS, 'lists/partial'), { recursive: true });
  mkdirSync(join(DEBS, 'cache/archives/partial'), { recursive: true });
  writeFileSync(join(DEBS, 'sources.list'), `deb ${process.env.TH_MIRROR ?? 'http://deb.debian.org/debian'} trixie main\n`);
  const o = [
    '-o',
    `Dir::Etc::SourceList=${join(DEBS, 'sources.list')}`,
    '-o',
    'Dir::Etc::SourceParts=/dev/null',
    '-o',
    `Dir::State::Lists=${join(DEBS, 'lists')}`,
    '-o',
    `Dir::Cache=${join(DEBS, 'cache')}`,
    '-o',
    'Dir::State::Status=/dev/null',
    '-o',
    'APT::Sandbox::User=root',
  ];
  for (const argv of [
    ['apt-get', ...o, 'update'],
    ['apt-get', ...o, 'download', 'age', 'restic'],
  ]) {
    const r = spawnSync(argv[0], argv.slice(1), { cwd: DEBS, encoding: 'utf8', timeout: 300_000 });
    if (r.status !== 0) throw new Error(`${argv.join(' ')} failed:\n${r.stderr}`);
  }
}

/** The debs into the host's own apt sources (a second offline repository), as the host's mirror would serve them. */
function addExtraRepo(h: TestHost): void {
  const repo = join(h.root, 'var/local/th-extra');
  mkdirSync(repo, { recursive: true });
  for (const f of readdirSync(DEBS).filter((f) => f.endsWith('.deb'))) copyFileSync(join(DEBS, f), join(repo, f));
  const idx = spawnSync('sh', ['-c', 'dpkg-scanpackages -m . /dev/null | gzip -9 > Packages.gz'], { cwd: repo, encoding: 'utf8' });
  if (idx.status !== 0) throw new Error(`dpkg-scanpackages: ${idx.stderr}`);
  writeFileSync(join(h.root, 'etc/apt/sources.list.d/th-extra.list'), 'deb [trusted=yes] file:/var/local/th-extra ./\n');
  const up = h.exec(['apt-get', '-q', 'update']);
  if (up.code !== 0) throw new Error(`apt-get update on ${h.name}: ${up.stderr}`);
}

/** A TCP forwarder on this machine: `listenIp:SFTP_PORT` → B's sshd. */
async function forward(listenIp: string, toIp: string): Promise<ChildProcess> {
  const code = `
    const net = require('node:net');
    const srv = net.createServer((c) => { const u = net.connect(22, ${JSON.stringify(toIp)}); c.pipe(u); u.pipe(c);
      u.on('error', () => c.destroy()); c.on('error', () => u.destroy()); });
    srv.listen(${SFTP_PORT}, ${JSON.stringify(listenIp)}, () => console.log('up'));`;
  const proc = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    proc.stdout!.once('data', () => resolve());
    proc.once('exit', (c) => reject(new Error(`forwarder exited ${c}`)));
  });
  return proc;
}

const must = (c: CliRun, what: string) => {
  runs.push(c);
  if (c.code !== 0) throw new Error(`${what} failed (exit ${c.code}):\n${c.stdout}\n${c.stderr}`);
  return c;
};

describe.skipIf(unavailable !== null)(`backup, off-server copy and restore onto a new server${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let b: TestHost | undefined;
  let a: Rig | undefined;
  let c: Rig | undefined;
  const forwarders: ChildProcess[] = [];
  const stopForwarder = new Map<Rig, () => void>();
  let ageIdentity = '';
  let ageRecipient = '';
  let hostKey = '';
  let workDir = '';
  let aGone = false;

  /** The answers both A and C are set up with (only target.host differs: rig() fills it in). */
  const answers = () => ({
    stopBefore: null,
    packages: { source: 'distro' },
    openclaw: { gatewayToken: { env: 'OPENCLAW_GATEWAY_TOKEN' }, providers: { anthropic: { env: 'ANTHROPIC_API_KEY' } } },
    backups: {
      ageRecipient,
      offsite: {
        repository: `sftp://storage@storage.test:${SFTP_PORT}//srv/restic/openclaw`,
        password: { env: 'RESTIC_PASSWORD' },
        sftpHostKey: hostKey,
        keep: { daily: 7, weekly: 4, monthly: 6 },
      },
    },
  });
  const env = { OPENCLAW_GATEWAY_TOKEN: GW_TOKEN, ANTHROPIC_API_KEY: PROVIDER_KEY, RESTIC_PASSWORD: RESTIC_PW };

  /** Boots a Debian 13 server, points storage.test at this machine's end, deploys the whole plan, lets its backup key into B. */
  async function deploy(name: string): Promise<Rig> {
    const r = await rig(name, { image: 'debian-13', docker: true, answers: answers(), env });
    try {
      return await deployOn(r, name);
    } catch (e) {
      // A host whose setup failed is not left running.
      stopForwarder.get(r)?.();
      await teardown(r);
      throw e;
    }
  }

  async function deployOn(r: Rig, name: string): Promise<Rig> {
    addExtraRepo(r.host);
    look(r, `echo '${r.host.hostIp} storage.test' >> /etc/hosts`);
    const fwd = await forward(r.host.hostIp, b!.ip);
    forwarders.push(fwd);
    stopForwarder.set(r, () => fwd.kill());
    let t = Date.now();
    must(await runCli(r, ['--set', 'stopBefore=openclaw']), `${name}: setup up to OpenClaw`);
    importStandIn(r);
    must(await runCli(r), `${name}: whole setup`);
    bench.push(`${name}: setup ${((Date.now() - t) / 1000).toFixed(0)} s (two runs, image import included)`);
    t = Date.now();
    const pub = look(r, 'cat /etc/claw-setup/offsite/id_ed25519.pub').trim();
    expect(pub).toMatch(/^ssh-ed25519 /);
    b!.exec(['sh', '-c', 'cat >> /home/storage/.ssh/authorized_keys'], { input: `${pub}\n` });
    return r;
  }

  beforeAll(async () => {
    await prepareGatewayHost();
    ensureDebs();
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    workDir = mkdtempSync(join(tmpdir(), 'claw-e2e-backup-'));
    // The operator's age key pair, made on this machine with age's own tool; the identity never goes to a server.
    const kg = spawnSync('age-keygen', ['-o', join(workDir, 'age-identity.txt')], { encoding: 'utf8' });
    if (kg.status !== 0) throw new Error(`age-keygen: ${kg.stderr} (install the age package on this machine)`);
    ageIdentity = readFileSync(join(workDir, 'age-identity.txt'), 'utf8');
    ageRecipient = /age1[0-9a-z]+/.exec(kg.stderr)![0];
    // B: the storage box. A user "storage" with an empty authorized_keys and the repository's directory.
    const admin = makeKeyPair(workDir, 'admin-b');
    b = await bootHost(`bk-b-${process.pid % 10000}`, { adminPubKey: admin.publicKey, adminKey: admin.privateKey });
    const setup = b.exec([
      'sh',
      '-c',
      'set -e; useradd -m -s /bin/sh storage; install -d -m 700 -o storage -g storage /home/storage/.ssh /srv/restic; ' +
        'install -m 600 -o storage -g storage /dev/null /home/storage/.ssh/authorized_keys; cut -d" " -f1,2 /etc/ssh/ssh_host_ed25519_key.pub',
    ]);
    if (setup.code !== 0) throw new Error(`storage host setup: ${setup.stderr}`);
    hostKey = setup.stdout.trim();
    a = await deploy(`bk-a-${process.pid % 10000}`);
  }, 40 * 60_000);

  afterAll(async () => {
    if (bench.length) console.log(`\n[bench] ${bench.join('\n[bench] ')}\n`);
    for (const f of forwarders) f.kill();
    if (!aGone) await teardown(a);
    await teardown(c);
    await b?.down({ fast: true }).catch(() => b?.down());
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  }, 300_000);

  it('A: the operator edits openclaw.json and the workspace; `claw-setup backup` writes a verified archive and an off-server snapshot', async () => {
    const r = a!;
    expect(healthy(r)).toBe(true);
    look(r, `cd ${OC}/config && sed 's/"maxAttempts": 10/"maxAttempts": 7/' openclaw.json > /tmp/x && cat /tmp/x > openclaw.json`);
    r.host.exec(['sh', '-c', `cat > ${OC}/workspace/MARKER.md && chown ${CONTAINER_UID}:${CONTAINER_UID} ${OC}/workspace/MARKER.md`], { input: `${MARKER}\n` });
    expect(config(r).gateway.auth.rateLimit.maxAttempts).toBe(7);
    const t = Date.now();
    const run = must(await runCli(r, ['backup']), 'backup');
    bench.push(`backup now (local archive + age + restic over SFTP + read back + forget + check): ${((Date.now() - t) / 1000).toFixed(1)} s wall`);
    const archive = /backup done in [\d.]+s: (\/var\/backups\/openclaw\/openclaw-\d{8}T\d{6}Z\.tar\.gz)/.exec(run.stdout)?.[1];
    expect(archive, run.stdout).toBeDefined();
    expect(run.stdout).toMatch(/off-server copy: restic snapshot [0-9a-f]{8}/);
    expect(look(r, `stat -c %a ${archive}`).trim()).toBe('600');
    // The repository on B: restic's files, nothing else; the snapshot's one file is an age file for the operator's key.
    const snaps = look(r, 'claw-restic snapshots --json --tag openclaw');
    expect(JSON.parse(snaps)).toHaveLength(1);
    const dumped = r.host.exec([
      'sh',
      '-c',
      'claw-restic dump latest /openclaw.tar.gz.age >/root/latest.age && head -c 200 /root/latest.age && rm /root/latest.age',
    ]).stdout;
    expect(dumped.startsWith('age-encryption.org/v1\n-> X25519 ')).toBe(true);
    expect(b!.exec(['test', '-f', '/srv/restic/openclaw/config']).code).toBe(0);
    // last-success names the archive and the snapshot (what the health check watches).
    expect(look(r, 'cat /var/backups/openclaw/last-success')).toMatch(/openclaw-\d{8}T\d{6}Z\.tar\.gz\noffsite [0-9a-f]{8,64}\n$/);
  });

  it('A: the monthly restore test restores the newest archive in a scratch directory and reads the snapshot back', () => {
    const r = a!;
    const t = look(r, 'systemctl start openclaw-restore-test.service; echo rc=$?; journalctl -u openclaw-restore-test -o cat --no-pager | tail -n 25');
    expect(t, t).toContain('rc=0');
    expect(t).toMatch(
      /openclaw-restore-test: \/var\/backups\/openclaw\/openclaw-\S+ restores: docker-compose.yml present, openclaw.json parses; the newest off-server snapshot reads back/,
    );
    expect(look(r, 'systemctl is-enabled openclaw-restore-test.timer').trim()).toBe('enabled');
  });

  it('no secret in plain on B: restic password, gateway token, provider key, age identity, the marker', () => {
    const grep = (s: string) => b!.exec(['grep', '-rlF', '--', s, '/srv/restic', '/home/storage']).stdout.trim();
    for (const s of [RESTIC_PW, GW_TOKEN, PROVIDER_KEY, SUDO_PW, MARKER, ageIdentity.match(/AGE-SECRET-KEY-1\S+/)![0], '"maxAttempts"'])
      expect(grep(s), s).toBe('');
  });

  it('A is destroyed; a fresh server C with the same answers gets it back with `restore --from restic:latest --from-host A`', async () => {
    // Snapshots are made and selected per server (restic --host): C restores A's on purpose, by A's name.
    const aName = look(a!, 'cat /etc/claw-setup/offsite/restic-host').trim();
    expect(aName).toMatch(/^bk-a-\d+(-[0-9a-f]{8})?$/);
    stopForwarder.get(a!)?.();
    await teardown(a);
    aGone = true;
    c = await deploy(`bk-c-${process.pid % 10000}`);
    const r = c;
    expect(config(r).gateway.auth.rateLimit.maxAttempts).toBe(10);
    expect(look(r, `cat ${OC}/workspace/MARKER.md 2>/dev/null || true`)).toBe('');
    // A wrong identity: refused while decrypting, before anything changed.
    const wrong = join(workDir, 'wrong-identity.txt');
    spawnSync('age-keygen', ['-o', wrong]);
    const before = look(r, `sha256sum ${OC}/config/openclaw.json ${OC}/.env`);
    // C's own snapshots: there are none (restic:latest is this server's latest only).
    const own = await runCli(r, ['restore', '--from', 'restic:latest', '--age-identity', wrong]);
    runs.push(own);
    expect(own.code, own.stdout + own.stderr).toBe(2);
    expect(own.stdout + own.stderr).toContain('no snapshot latest of host bk-c-');
    const bad = await runCli(r, ['restore', '--from', 'restic:latest', '--from-host', aName, '--age-identity', wrong]);
    runs.push(bad);
    expect(bad.code, bad.stdout + bad.stderr).toBe(2);
    expect(look(r, `sha256sum ${OC}/config/openclaw.json ${OC}/.env`)).toBe(before);
    expect(look(r, 'ls /var/lib/claw-setup/restore 2>/dev/null || true').trim()).toBe('');
    expect(healthy(r)).toBe(true);
    // The real one.
    const t = Date.now();
    const ok = must(
      await runCli(r, ['restore', '--from', 'restic:latest', '--from-host', aName, '--age-identity', join(workDir, 'age-identity.txt')]),
      'restore',
    );
    bench.push(`restore --from restic:latest onto a fresh server: ${((Date.now() - t) / 1000).toFixed(1)} s wall`);
    expect(ok.stdout).toContain('the gateway is healthy on it');
    expect(healthy(r)).toBe(true);
    // The data comes back; the policy keys (here the hand edit of a rate limit the answers set) are
    // the answers' again: a restore rebuilds them, as a rerun would.
    expect(config(r).gateway.auth.rateLimit.maxAttempts).toBe(10);
    expect(look(r, `cat ${OC}/workspace/MARKER.md`)).toBe(`${MARKER}\n`);
    expect(look(r, `stat -c '%a %U' ${OC} ${OC}/.env ${OC}/config/openclaw.json`).trim().split('\n')).toEqual([
      '700 deploy',
      '600 deploy',
      `600 ${CONTAINER_USER}`,
    ]);
    // The state before the restore was kept as a local archive first; nothing staged is left behind.
    const kept = look(r, 'ls -1t /var/backups/openclaw/openclaw-*.tar.gz | head -n 1').trim();
    expect(kept).toMatch(/^\/var\/backups\/openclaw\/openclaw-\d{8}T\d{6}Z\.tar\.gz$/);
    expect(look(r, `tar -xzOf ${kept} home/deploy/openclaw/config/openclaw.json`)).toMatch(/"maxAttempts": 10/);
    expect(look(r, 'ls /var/lib/claw-setup/restore 2>/dev/null || true').trim()).toBe('');
    expect(look(r, `ls -d ${OC}.pre-restore 2>/dev/null || true`).trim()).toBe('');
    expect(look(r, 'systemctl list-timers --all --no-legend | grep claw-setup-deadman || true').trim()).toBe('');
  });

  it('no secret value in any output, in the journal of C (sudo logs every command line: argv) or in its process list', () => {
    const secrets = [RESTIC_PW, GW_TOKEN, PROVIDER_KEY, SUDO_PW, ...ageIdentity.match(/AGE-SECRET-KEY-1\S+/g)!];
    for (const run of runs) for (const s of secrets) expect(run.stdout + run.stderr).not.toContain(s);
    const journal = c!.host.exec(['journalctl', '--no-pager', '-o', 'cat']).stdout;
    expect(journal).toMatch(/COMMAND=/);
    for (const s of secrets) expect(journal, s).not.toContain(s);
    // The identity never touched C's disk.
    const id = ageIdentity.match(/AGE-SECRET-KEY-1\S+/)![0];
    expect(c!.host.exec(['grep', '-rlF', '--', id, '/etc', '/var/lib/claw-setup', '/var/backups', '/root', '/home', '/tmp']).stdout.trim()).toBe('');
  });
});
