// Smoke test of the test-host harness itself: boot one throwaway Debian 12 host, use it the way
// the wizard will (real OpenSSH client, apt-get from the offline repo, ufw, fail2ban), reboot it,
// reach it out of band, and check that teardown leaves nothing behind. Then a Debian 13 host with
// Docker inside: docker.io and compose v2 from its offline repo, overlay2, cgroup limits, an image
// imported without a registry, and a hardened container answering on the host's loopback.
// Skips unless root (fails instead under CI=true).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootHost, ensureImage, makeKeyPair, testhostUnavailableReason } from './testhost.js';
import type { KeyPair, TestHost } from './testhost-types.js';
import { BUSYBOX_HTTPD_CHANGES, makeBusyboxRootfs } from './busybox-rootfs.js';
import { booted, expectHostGone, rootSsh, seconds, tcpConnects, waitForRootSsh } from './smoke-kit.js';

const unavailable = testhostUnavailableReason();
const NAME = `smoke-${process.pid}`;
const NAME13 = `docker13-${process.pid}`;

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

  const need = () => booted(host, 'the test host');

  const ssh = (command: string, extra: string[] = []) => rootSsh(need(), admin.privateKey, command, extra);
  const waitForSsh = (timeoutMs: number) => waitForRootSsh(need(), admin.privateKey, timeoutMs);

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
    expectHostGone(NAME, h.index);
  });
});

describe.skipIf(unavailable !== null)(`Debian 13 test host with Docker inside${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let dir = '';
  let admin: KeyPair;
  let host: TestHost | undefined;
  let stateDir = '';
  let iptablesBefore = '';

  beforeAll(async () => {
    iptablesBefore = readFileSync('/proc/net/ip_tables_names', 'utf8');
    const started = Date.now();
    await ensureImage('debian-13'); // builds the Debian 13 image on first use (about 95 s)
    console.log(`[docker13] ensureImage('debian-13') in ${seconds(started)}s (near 0 when cached)`);
    dir = mkdtempSync(join(tmpdir(), 'testhost-docker13-'));
    admin = makeKeyPair(dir, 'admin');
  }, 15 * 60_000);

  afterAll(async () => {
    await host?.down({ fast: true });
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  const need = () => booted(host, 'the Debian 13 test host');

  const ssh = (command: string) => rootSsh(need(), admin.privateKey, command);

  it('boots a fresh Debian 13 host prepared for Docker, without Docker installed', async () => {
    const started = Date.now();
    host = await bootHost(NAME13, { adminPubKey: admin.publicKey, adminKey: admin.privateKey, image: 'debian-13', docker: true });
    console.log(`[docker13] up ${NAME13} (debian-13, docker) in ${seconds(started)}s`);
    expect(host.image).toBe('debian-13');
    expect(host.docker).toBe(true);
    stateDir = join(host.root, '..');
    expect(existsSync(join(stateDir, 'docker-data'))).toBe(true);

    const r = ssh(
      '. /etc/os-release; echo "$VERSION_CODENAME"; systemctl is-system-running --wait; ' +
        'systemctl is-enabled th-docker-cgroups; systemctl is-active th-docker-cgroups; ' +
        // every cgroup v1 controller but name=systemd is writable now
        'awk \'$3 == "cgroup" && $2 != "/sys/fs/cgroup/systemd" && $4 ~ /^ro/\' /proc/self/mounts | wc -l; ' +
        'command -v dockerd || echo no-dockerd; cat /etc/apt/sources.list',
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.split('\n')).toEqual(['trixie', 'running', 'enabled', 'active', '0', 'no-dockerd', 'deb [trusted=yes] file:/var/local/th-apt ./', '']);
  });

  it('installs docker.io, docker-cli and compose v2 from the offline repo; dockerd uses overlay2 on cgroup v1', () => {
    const started = Date.now();
    // As the wizard installs packages: no Recommends. docker.io only Recommends docker-cli (the
    // `docker` command), so it has to be named.
    let r = ssh(
      'apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends docker.io docker-cli docker-compose && ' +
        'systemctl enable --now docker && docker info --format "{{.ServerVersion}}"',
    );
    console.log(`[docker13] apt-get install docker.io docker-cli docker-compose + start in ${seconds(started)}s`);
    expect(r.status, r.stdout + r.stderr).toBe(0);

    r = ssh(
      'docker info --format "{{.Driver}} {{.CgroupVersion}} {{.CgroupDriver}}"; ' +
        'dpkg -S /usr/bin/docker | cut -d: -f1; ' +
        'readlink -f "$(command -v docker-compose)"; ' +
        'docker compose version --short; ' +
        'systemctl show -p After --value docker | tr " " "\\n" | grep -x th-docker-cgroups.service',
    );
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const [driver, cli, plugin, compose, after] = r.stdout.trim().split('\n');
    expect(driver).toBe('overlay2 1 cgroupfs');
    expect(cli).toBe('docker-cli');
    expect(plugin).toBe('/usr/libexec/docker/cli-plugins/docker-compose');
    expect(compose).toMatch(/^2\.\d+\.\d+/);
    expect(after).toBe('th-docker-cgroups.service');
  });

  it('imports a tiny image without a registry and serves HTTP from a hardened container on 127.0.0.1:18789', async () => {
    const h = need();
    const tar = makeBusyboxRootfs(join(dir, 'busybox-rootfs.tar'), h.root);
    let started = Date.now();
    const id = h.dockerImport(tar, 'th-busybox:test', BUSYBOX_HTTPD_CHANGES);
    console.log(`[docker13] dockerImport busybox rootfs in ${seconds(started)}s`);
    expect(id).toMatch(/^sha256:[0-9a-f]{64}$/);

    started = Date.now();
    let r = ssh(
      'docker run -d --rm --init --name web --cap-drop ALL --security-opt no-new-privileges:true --pids-limit 100 -m 256m ' +
        '-p 127.0.0.1:18789:8080 th-busybox:test >/dev/null && ' +
        'for i in $(seq 100); do curl -fsS http://127.0.0.1:18789/ && break; sleep 0.1; done',
    );
    console.log(`[docker13] docker run until curl answers in ${seconds(started)}s`);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('testhost busybox');

    r = ssh(
      'docker ps --filter name=web --format "{{.Ports}}"; ' +
        'id=$(docker inspect -f "{{.Id}}" web); ' +
        'cat /sys/fs/cgroup/memory/docker/$id/memory.limit_in_bytes /sys/fs/cgroup/pids/docker/$id/pids.max; ' +
        'docker exec web id -u; ' +
        'docker inspect -f "{{.HostConfig.CapDrop}} {{.HostConfig.SecurityOpt}}" web; ' +
        'curl -fsS http://127.0.0.1:18789/healthz',
    );
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      '127.0.0.1:18789->8080/tcp',
      '268435456', // -m 256m, enforced by the memory cgroup
      '100', // --pids-limit 100
      '65534', // USER from the --change lines
      '[ALL] [no-new-privileges:true]',
      '{"ok":true}',
      '',
    ]);

    // Published on the host's loopback only: not reachable on its veth address from this machine
    // (while its port 22 is).
    expect(await tcpConnects(h.ip, 22)).toBe(true);
    expect(await tcpConnects(h.ip, 18789)).toBe(false);
  });

  it('runs the imported image with compose v2 without pulling, and loads a docker save archive', () => {
    const h = need();
    let r = ssh(
      'docker rm -f web >/dev/null; mkdir -p /srv/th && cd /srv/th && cat >compose.yaml <<EOF\n' +
        'services:\n  web:\n    image: th-busybox:test\n    pull_policy: never\n    init: true\n' +
        '    cap_drop: [ALL]\n    security_opt: ["no-new-privileges:true"]\n    pids_limit: 100\n    mem_limit: 256m\n' +
        '    ports: ["127.0.0.1:18789:8080"]\nEOF\n' +
        'docker compose up -d --quiet-pull 2>&1 && for i in $(seq 100); do curl -fsS http://127.0.0.1:18789/healthz && break; sleep 0.1; done && ' +
        'docker compose down 2>&1',
    );
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('{"ok":true}');

    // docker save inside, copy the archive out through the host's root, remove the image, load it back.
    r = ssh('docker save -o /var/tmp/th-busybox.tar th-busybox:test && docker rmi th-busybox:test >/dev/null && echo ok');
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const saved = join(dir, 'th-busybox-saved.tar');
    expect(spawnSync('cp', [join(h.root, 'var/tmp/th-busybox.tar'), saved]).status).toBe(0);
    expect(h.dockerLoad(saved)).toContain('Loaded image: th-busybox:test');
    r = ssh('docker run --rm th-busybox:test cat /www/healthz');
    expect(r.stdout).toBe('{"ok":true}\n');
  });

  it('tears down without leftovers, Docker data included', async () => {
    const h = need();
    const started = Date.now();
    await h.down();
    console.log(`[docker13] down ${NAME13} in ${seconds(started)}s`);
    host = undefined;
    expect(existsSync(stateDir)).toBe(false); // with it the per-host /var/lib/docker directory
    expectHostGone(NAME13, h.index);
    // Docker's iptables rules lived in the host's network namespace: this machine's are untouched.
    expect(readFileSync('/proc/net/ip_tables_names', 'utf8')).toBe(iptablesBefore);
  });
});
