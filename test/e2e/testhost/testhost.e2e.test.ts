// Smoke test of the test-host harness itself: boot one throwaway Debian 12 host, use it the way
// the wizard will (real OpenSSH client, apt-get from the offline repo, ufw, fail2ban), reboot it,
// reach it out of band, and check that teardown leaves nothing behind. Skips unless root.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootHost, ensureImage, makeKeyPair, testhostUnavailableReason, type KeyPair, type TestHost } from './testhost.js';

const unavailable = testhostUnavailableReason();
const NAME = `smoke-${process.pid}`;

describe.skipIf(unavailable !== null)(`test host harness${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let dir = '';
  let admin: KeyPair;
  let host: TestHost | undefined;

  beforeAll(async () => {
    await ensureImage(); // builds the cached image on first use (about a minute)
    dir = mkdtempSync(join(tmpdir(), 'testhost-smoke-'));
    admin = makeKeyPair(dir, 'admin');
  }, 15 * 60_000);

  afterAll(async () => {
    await host?.down();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  function need(): TestHost {
    if (!host) throw new Error('the test host did not boot (see the first failure)');
    return host;
  }

  function ssh(command: string, extra: string[] = []): SpawnSyncReturns<string> {
    const h = need();
    // extra options go first: for ssh the first value given for an option wins
    return spawnSync('ssh', [...extra, ...h.sshOptions(admin.privateKey), `root@${h.ip}`, command], {
      encoding: 'utf8',
      timeout: 300_000,
    });
  }

  function waitForSsh(timeoutMs: number): boolean {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (ssh('true', ['-o', 'ConnectTimeout=2']).status === 0) return true;
      spawnSync('sleep', ['0.2']);
    }
    return false;
  }

  it('boots a fresh host that answers root key login over real ssh', async () => {
    const started = Date.now();
    host = await bootHost(NAME, { adminPubKey: admin.publicKey, adminKey: admin.privateKey });
    console.log(`[smoke] up ${NAME} in ${(Date.now() - started) / 1000}s`);
    expect(host.ip).toBe(`10.77.${host.index}.2`);
    expect(host.hostIp).toBe(`10.77.${host.index}.1`);
    expect(host.pid1).toBeGreaterThan(1);

    const r = ssh('id -un; hostname; echo "$SSH_CONNECTION"');
    expect(r.status, r.stderr).toBe(0);
    const [user, hostname, connection] = r.stdout.trim().split('\n');
    expect(user).toBe('root');
    expect(hostname).toBe(NAME);
    expect(connection?.split(' ')[0]).toBe(host.hostIp);
  });

  it('looks like a fresh cloud VPS', () => {
    const r = ssh(
      'cat /etc/ssh/sshd_config.d/50-cloud-init.conf; sshd -T | grep -i "^passwordauthentication"; ' +
        'passwd -S root | cut -d" " -f2; cat /etc/apt/sources.list; ' +
        'dpkg-query -W -f="\\${Status}\\n" ufw 2>&1 | grep -c "install ok installed" || true',
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      'PasswordAuthentication yes',
      'passwordauthentication yes',
      'L', // root has no usable password: key login only
      'deb [trusted=yes] file:/var/local/th-apt ./',
      '0', // ufw is not preinstalled
      '',
    ]);
  });

  it('installs ufw and fail2ban from the offline repo, and both work', () => {
    let r = ssh('apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q ufw fail2ban');
    expect(r.status, r.stdout + r.stderr).toBe(0);

    // ufw needs CAP_NET_ADMIN and a writable /proc/sys/net inside: this proves the nspawn flags.
    r = ssh('ufw allow 22/tcp && ufw --force enable && ufw status | head -1');
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('Status: active');
    expect(ssh('true').status).toBe(0); // still reachable through the firewall

    // Debian 12's stock fail2ban has no log to read (no rsyslog); the journal backend works.
    r = ssh(
      'printf "[sshd]\\nbackend = systemd\\n" >/etc/fail2ban/jail.d/sshd.local && systemctl restart fail2ban && ' +
        'for i in $(seq 50); do fail2ban-client status sshd >/dev/null 2>&1 && break; sleep 0.2; done; ' +
        'fail2ban-client status sshd',
    );
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('Journal matches');
  });

  it('has systemd running (or degraded)', () => {
    const r = ssh('systemctl is-system-running --wait; systemctl --failed --no-legend');
    const state = r.stdout.trim().split('\n')[0];
    expect(['running', 'degraded'], r.stdout).toContain(state);
  });

  it('is reachable out of band through nsenter (the provider console)', () => {
    const h = need();
    const r = h.exec(['sh', '-c', 'hostname; systemctl is-active ssh; cat']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${NAME}\nactive\n`);
    expect(h.exec(['sh', '-c', 'exit 7']).code).toBe(7);
    expect(h.exec(['cat'], { input: 'hello' }).stdout).toBe('hello');
  });

  it('accepts connections from a second source address on the host side', () => {
    const h = need();
    const second = `10.77.${h.index}.3`;
    h.addSourceAddress(second);
    const r = ssh('echo "$SSH_CONNECTION"', ['-b', second]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.split(' ')[0]).toBe(second);
    h.removeSourceAddress(second);
  });

  it('comes back after "systemctl reboot" with its changes kept', () => {
    const h = need();
    const before = h.pid1;
    ssh('systemctl reboot');
    spawnSync('sleep', ['0.5']);
    expect(waitForSsh(60_000)).toBe(true);
    expect(h.pid1).not.toBe(before);
    const r = ssh('ufw status | head -1');
    expect(r.stdout).toContain('Status: active');
  });

  it('tears down without leftovers', async () => {
    const h = need();
    const started = Date.now();
    await h.down();
    console.log(`[smoke] down ${NAME} in ${(Date.now() - started) / 1000}s`);
    host = undefined;
    await h.down(); // idempotent

    const netns = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout;
    expect(netns).not.toMatch(new RegExp(`^testhost-${NAME}\\b`, 'm'));
    const mounts = readFileSync('/proc/self/mounts', 'utf8');
    expect(mounts).not.toContain(`/${NAME}/`);
    expect(mounts).not.toContain(`testhost-${NAME}`);
    const link = spawnSync('ip', ['-o', 'link', 'show', `th${h.index}h`], { encoding: 'utf8' });
    expect(link.status).not.toBe(0); // the veth is gone (and with it the 10.77.N.0/24 route)
    const processes = spawnSync('pgrep', ['-f', `testhost.sh _supervise ${NAME}$`], { encoding: 'utf8' });
    expect(processes.stdout).toBe('');
  });
});
