// The Ansible export, run by real Ansible (ansible-playbook from Debian's `ansible`) against two real
// throwaway Debian 12 servers at once, then checked from outside over brand-new SSH connections
// with the same checks as rollout.e2e. Up to Docker, like the rollout e2e (no internet inside).
// Then a rerun must report changed=0 on both, and a fault (the deploy key does not work on one
// host) must stop that host before its firewall and sshd are touched, and the rollout with it.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { bootHost, ensureImage, makeKeyPair, testhostUnavailableReason } from './testhost/testhost.js';
import type { KeyPair, TestHost } from './testhost/testhost-types.js';
import { armedTimers, expectedPlan, look, passwordLogin, plannedFileFacts, sshFresh, sudoFresh, SUDO_PW, type Rig } from './rollout-kit.js';
import { findTool } from '../tool-runner.js';

const unavailable = testhostUnavailableReason() ?? (findTool('ansible-playbook') ? null : 'ansible-playbook is not installed (apt-get install -y ansible)');
const VAULT_PW = 'e2e-vault-pw-8d1c';

interface Fleet {
  dir: string;
  admin: KeyPair;
  hosts: TestHost[];
  /** rollout-kit's view of each host (same answers file), for its checks from outside. */
  rigs: Rig[];
  project: string;
}

/** Boots `n` hosts that all take the same admin key, writes one answers file and exports the playbook for it. */
async function fleet(tag: string, n: number): Promise<Fleet> {
  const dir = mkdtempSync(join(tmpdir(), `claw-e2e-ansible-${tag}-`));
  const admin = makeKeyPair(dir, 'admin');
  const hosts: TestHost[] = [];
  for (let i = 0; i < n; i++) hosts.push(await bootHost(`ans${tag}${i}-${process.pid % 1000}`, { adminPubKey: admin.publicKey, adminKey: admin.privateKey }));
  const answers = {
    target: { host: hosts[0].ip, port: 22, user: 'root', identityFile: admin.privateKey },
    deployUser: { name: 'deploy', sudoPassword: { env: 'CLAW_SUDO_PASSWORD' }, authorizedKeys: [admin.publicKey] },
    operatorIp: 'auto',
    stopBefore: 'docker',
  };
  const answersFile = join(dir, 'answers.json5');
  writeFileSync(answersFile, JSON.stringify(answers, null, 2));
  const project = join(dir, 'ansible');
  const io = { stdout: () => {}, stderr: () => {}, env: {}, isTTY: false };
  const code = await main(['export', 'ansible', '--answers', answersFile, '--os', 'debian-12', '--out', project], io);
  if (code !== 0) throw new Error(`export failed: ${code}`);
  // The vault, encrypted as the export says to: only the sudo password is needed up to Docker.
  writeFileSync(join(dir, 'vault-pw'), `${VAULT_PW}\n`, { mode: 0o600 });
  writeFileSync(join(project, 'group_vars/claw/vault.yml'), `vault_sudo_password: ${JSON.stringify(SUDO_PW)}\n`, { mode: 0o600 });
  const enc = spawnSync('ansible-vault', ['encrypt', '--vault-password-file', join(dir, 'vault-pw'), join(project, 'group_vars/claw/vault.yml')], {
    encoding: 'utf8',
  });
  if (enc.status !== 0) throw new Error(`ansible-vault: ${enc.stderr}`);
  const env = { ...process.env, CLAW_SUDO_PASSWORD: SUDO_PW };
  const rigs = hosts.map((host) => ({ host, dir, admin, answersFile, knownHosts: host.knownHosts, env, answers }));
  return { dir, admin, hosts, rigs, project };
}

/** inventory.yml for the fleet; `perHost` adds variables to one host (by index). */
function inventory(f: Fleet, perHost: Record<number, Record<string, string>> = {}): void {
  const lines = ['claw:', '  hosts:'];
  f.hosts.forEach((h, i) => {
    lines.push(`    host${i}:`, `      ansible_host: ${h.ip}`, `      claw_known_hosts: ${h.knownHosts}`);
    for (const [k, v] of Object.entries(perHost[i] ?? {})) lines.push(`      ${k}: ${JSON.stringify(v)}`);
  });
  writeFileSync(join(f.project, 'inventory.yml'), `${lines.join('\n')}\n`);
}

interface PlaybookRun {
  code: number | null;
  out: string;
  ms: number;
  recap: Record<string, Record<string, number>>;
}

/** ansible-playbook site.yml in the export, as its header says to run it. */
function playbook(f: Fleet, extra: string[] = []): Promise<PlaybookRun> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn('ansible-playbook', ['site.yml', '--vault-password-file', join(f.dir, 'vault-pw'), ...extra], {
      cwd: f.project,
      env: {
        ...process.env,
        ANSIBLE_NOCOLOR: '1',
        ANSIBLE_FORCE_COLOR: '0',
        ANSIBLE_LOCAL_TEMP: join(f.dir, 'ansible-tmp'),
        ANSIBLE_SSH_CONTROL_PATH_DIR: join(f.dir, 'cp'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (out += d));
    child.on('close', (code) => {
      const recap: PlaybookRun['recap'] = {};
      for (const m of out.matchAll(/^(\S+)\s+:\s+((?:\w+=\d+\s*)+)$/gm))
        recap[m[1]] = Object.fromEntries([...m[2].matchAll(/(\w+)=(\d+)/g)].map((x) => [x[1], Number(x[2])]));
      resolve({ code, out, ms: Date.now() - t0, recap });
    });
  });
}

async function down(f: Fleet | undefined): Promise<void> {
  if (!f) return;
  for (const h of f.hosts) await h.down({ fast: true }).catch(() => h.down());
  rmSync(f.dir, { recursive: true, force: true });
}

/** The hardened state, from outside, as rollout.e2e checks it. */
function expectHardened(r: Rig): void {
  const root = sshFresh(r, 'root', 'true');
  expect(root.status, `${r.host.ip}: root login`).toBe(255);
  expect(root.stderr).toMatch(/Permission denied/);
  const pw = passwordLogin(r, 'deploy', SUDO_PW);
  expect(pw.status).not.toBe(0);
  expect(pw.stderr).toMatch(/Permission denied \(publickey\)/);
  const dep = sshFresh(r, 'deploy', 'id -un');
  expect(dep.status, dep.stderr).toBe(0);
  expect(sudoFresh(r, 'id -u').stdout.trim()).toBe('0');
  const u = sudoFresh(r, 'ufw status verbose').stdout;
  expect(u).toMatch(/^Status: active$/m);
  expect(u).toMatch(/Default: deny \(incoming\), allow \(outgoing\)/);
  expect(u).toMatch(new RegExp(`^22/tcp\\s+ALLOW IN\\s+${r.host.hostIp.replace(/\./g, '\\.')}\\s+# claw-setup break-glass$`, 'm'));
  expect(u).toMatch(/^22\/tcp\s+LIMIT IN\s+Anywhere\s+# claw-setup ssh$/m);
  const t = sudoFresh(r, 'sshd -T').stdout.split('\n');
  for (const l of [
    'permitrootlogin no',
    'passwordauthentication no',
    'kbdinteractiveauthentication no',
    'allowusers deploy',
    'maxauthtries 3',
    'allowtcpforwarding local',
  ])
    expect(t, l).toContain(l);
  const f2b = sudoFresh(r, 'fail2ban-client status sshd; fail2ban-client get sshd ignoreip').stdout;
  expect(f2b).toContain('Journal matches');
  expect(f2b).toContain(r.host.hostIp);
  // Every planned file, byte for byte, with its mode and owner: the plan the CLI would make for this host.
  const want = plannedFileFacts(expectedPlan(r));
  expect(Object.keys(want).length).toBeGreaterThanOrEqual(5);
  for (const [path, facts] of Object.entries(want))
    expect(sudoFresh(r, `sha256sum ${path} | cut -c1-64; stat -c '%a %U %G' ${path}`).stdout.trim(), path).toBe(facts);
  expect(armedTimers(r)).toBe('');
}

describe.skipIf(unavailable !== null)(`the Ansible export on two real servers${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let f: Fleet | undefined;
  const bench: string[] = [];

  beforeAll(async () => {
    await ensureImage();
    f = await fleet('ok', 2);
    inventory(f);
  }, 15 * 60_000);
  afterAll(async () => {
    if (bench.length) console.log(`\n[bench] ${bench.join('\n[bench] ')}\n`);
    await down(f);
  }, 120_000);
  const need = () => {
    if (!f) throw new Error('no fleet (see the first failure)');
    return f;
  };

  it('--check --diff on the fresh servers changes nothing and shows what would change', async () => {
    const x = need();
    const before = x.rigs.map((r) => look(r, 'id deploy 2>&1; ls /etc/fail2ban/jail.d 2>&1; cat /etc/ssh/sshd_config.d/* 2>&1 | sha256sum'));
    const c = await playbook(x, ['--check', '--diff', '-e', 'claw_serial=2']);
    expect(c.code, c.out.slice(-3000)).toBe(0);
    // Commands are not run in check mode (skipped), files show their diff, nothing on the servers changes.
    expect(c.out).toMatch(/TASK \[Enable ufw\] \*+\nskipping: \[host[01]\]\nskipping: \[host[01]\]/);
    expect(c.out).toContain('+++ after: ');
    expect(c.out).not.toContain(SUDO_PW);
    expect(x.rigs.map((r) => look(r, 'id deploy 2>&1; ls /etc/fail2ban/jail.d 2>&1; cat /etc/ssh/sshd_config.d/* 2>&1 | sha256sum'))).toEqual(before);
  });

  it('hardens both servers in one ansible-playbook run (serial 2: both at once), checked from outside', async () => {
    const x = need();
    const r = await playbook(x, ['-e', 'claw_serial=2']);
    expect(r.code, r.out.slice(-4000)).toBe(0);
    expect(r.out).not.toContain(SUDO_PW);
    for (const h of ['host0', 'host1']) expect(r.recap[h], h).toMatchObject({ failed: 0, unreachable: 0 });
    expect(r.out).toMatch(/TASK \[Arm dead-man switch: restore in \d+s unless disarmed/);
    bench.push(
      `first run, two hosts at once (preflight..fail2ban): ${(r.ms / 1000).toFixed(1)}s wall; changed ${r.recap.host0?.changed}/${r.recap.host1?.changed}`,
    );
    for (const rig of x.rigs) expectHardened(rig);
  });

  it('a second run reports changed=0 on both servers (it connects as deploy: root login is off now)', async () => {
    const x = need();
    const r = await playbook(x, ['-e', 'claw_serial=2']);
    expect(r.code, r.out.slice(-4000)).toBe(0);
    for (const h of ['host0', 'host1']) expect(r.recap[h], h).toMatchObject({ changed: 0, failed: 0, unreachable: 0 });
    expect(r.out).toMatch(/TASK \[Connect as deploy on port 22 with sudo/);
    bench.push(`rerun, nothing to do: ${(r.ms / 1000).toFixed(1)}s wall`);
    for (const rig of x.rigs) expect(armedTimers(rig)).toBe('');
  });
});

describe.skipIf(unavailable !== null)(`a fault on one of two servers${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let f: Fleet | undefined;

  beforeAll(async () => {
    await ensureImage();
    f = await fleet('bad', 2);
  }, 15 * 60_000);
  afterAll(() => down(f), 120_000);

  it('the deploy key does not work on host0: it stops before firewall and sshd, and serial stops the rollout before host1', async () => {
    const x = f!;
    // host0's sshd refuses the deploy user's key (as an image with its own sshd policy would): the login gate must fail there.
    x.hosts[0].exec(['sh', '-c', 'echo "DenyUsers deploy" > /etc/ssh/sshd_config.d/05-fault.conf && systemctl reload ssh']);
    inventory(x);
    const r = await playbook(x);
    expect(r.code).not.toBe(0);
    expect(r.recap.host0).toMatchObject({ failed: 1 });
    expect(r.out).toMatch(
      /TASK \[Gate \(fresh connection from the control node\): log in as deploy[^\]]*\] \*+\n(?:FAILED - RETRYING: \[host0 -> localhost\].*\n)*fatal: \[host0 -> localhost\]/,
    );
    expect(r.out).not.toMatch(/TASK \[Arm dead-man switch/);
    expect(r.recap.host1).toBeUndefined();
    // host0: the user exists, nothing was tightened: root still logs in with a fresh connection, no firewall.
    const [h0, h1] = x.rigs;
    expect(sshFresh(h0, 'root', 'true').status).toBe(0);
    expect(look(h0, 'id deploy')).toMatch(/deploy/);
    expect(look(h0, 'ufw status 2>&1 | head -1')).toMatch(/inactive/);
    expect(look(h0, 'ls /etc/ssh/sshd_config.d/')).not.toContain('00-claw-setup.conf');
    expect(armedTimers(h0)).toBe('');
    // host1: untouched (serial 1: its batch never started).
    expect(look(h1, 'id deploy 2>&1')).toMatch(/no such user/);
    expect(sshFresh(h1, 'root', 'true').status).toBe(0);
  });
});
