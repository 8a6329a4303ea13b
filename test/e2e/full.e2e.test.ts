// The whole rollout, for real: a fresh Debian 13 test server, `packages.source: "distro"`
// (Debian's docker.io, compose v2 and containerd from the host's offline repo), the real OpenClaw
// 2026.9.6 gateway in the stand-in image built offline from npm (scripts/build-openclaw-image.sh;
// ghcr.io is out of reach here), then everything checked from outside and out of band.
// Tailscale stays plan-only (no tailnet here).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testhostUnavailableReason } from './testhost/testhost.js';
import { startReceiver } from './alert-receiver.js';
import { importStandIn, OC, prepareGatewayHost } from './gateway-kit.js';
import { gatewayToken, tcpOpen } from './gateway-probes.js';
import { caddyCurl, expectHardenedGateway, invokeThroughCaddy, invokeThroughTunnel } from './full-kit.js';
import { cliCounters, look, rig, runCli, stepStatuses, teardown, waitFor, type CliRun, type Rig } from './rollout-kit.js';
import { CONTAINER_UID } from '../../templates/gateway-shared.js';

const unavailable = testhostUnavailableReason();
const TOPIC = 'claw-e2e-alerts';
const PROVIDER_KEY = 'sk-ant-e2e-not-a-real-key-5f1c0d';
const bench: string[] = [];

describe.skipIf(unavailable !== null)(`the whole rollout on Debian 13 to a healthy gateway${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let r: Rig | undefined;
  let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;
  let phase1: CliRun | undefined;
  let phase2: CliRun | undefined;
  let tunnel: ChildProcess | undefined;

  beforeAll(async () => {
    await prepareGatewayHost();
    r = await rig(`full-${process.pid % 10000}`, {
      image: 'debian-13',
      docker: true,
      env: { ANTHROPIC_API_KEY: PROVIDER_KEY },
      answers: { stopBefore: null, packages: { source: 'distro' }, openclaw: { providers: { anthropic: { env: 'ANTHROPIC_API_KEY' } } } },
    });
    receiver = await startReceiver(r.dir, r.host.hostIp);
    const answers = { ...r.answers, monitoring: { ntfyServer: `https://${r.host.hostIp}:${receiver.port}`, ntfyTopic: TOPIC } };
    writeFileSync(r.answersFile, JSON.stringify(answers, null, 2));
  }, 30 * 60_000);

  afterAll(async () => {
    tunnel?.kill();
    receiver?.proc.kill();
    if (bench.length) console.log(`\n[bench] ${bench.join('\n[bench] ')}\n`);
    await teardown(r);
  }, 300_000);

  const need = () => {
    if (!r || !receiver) throw new Error('no test host (see the first failure)');
    return { r, receiver };
  };

  it("phase 1: everything up to OpenClaw (Debian's docker.io + compose v2 from the distro)", async () => {
    const { r } = need();
    phase1 = await runCli(r, ['--set', 'stopBefore=openclaw']);
    if (process.env.E2E_DEBUG) console.log(phase1.stdout, phase1.stderr);
    expect(phase1.code, phase1.stdout + phase1.stderr).toBe(0);
    expect(stepStatuses(phase1.stdout)).toMatchObject({ firewall: 'done', ssh: 'done', docker: 'done' });
    expect(look(r, 'docker compose version --short').trim()).toMatch(/^2\./);
    expect(look(r, "dpkg-query -W -f '${Status}' docker.io").trim()).toBe('install ok installed');
    expect(look(r, 'test -e /etc/apt/sources.list.d/docker.sources && echo vendor || echo distro').trim()).toBe('distro');
  });

  it('phase 2: the stand-in image is loaded (no registry here), then the whole plan runs to a healthy gateway', async () => {
    const { r, receiver } = need();
    // Out of band, as a provider's image would be pulled: the stand-in under the pinned tag; and trust for the local receiver.
    const t0 = Date.now();
    importStandIn(r);
    bench.push(`stand-in image import: ${((Date.now() - t0) / 1000).toFixed(1)}s`);
    r.host.exec(['sh', '-c', 'cat > /usr/local/share/ca-certificates/claw-e2e.crt && update-ca-certificates >/dev/null'], { input: receiver.ca });
    phase2 = await runCli(r);
    if (process.env.E2E_DEBUG) console.log(phase2.stdout, phase2.stderr);
    expect(phase2.code, phase2.stdout + phase2.stderr).toBe(0);
    expect(stepStatuses(phase2.stdout)).toMatchObject({ openclaw: 'done', access: 'skipped', backups: 'done', monitoring: 'done', verify: 'done' });
    expect(phase2.stdout).toMatch(/PASSED {2}check: every check of claw-setup audit passes/);
    const c1 = cliCounters(phase1!.stdout)!;
    const c2 = cliCounters(phase2.stdout)!;
    bench.push(
      `first rollout to a healthy gateway on Debian 13 (distro packages, image import excluded): ${((phase1!.ms + phase2.ms) / 1000).toFixed(1)}s wall in two runs ` +
        `(${(phase1!.ms / 1000).toFixed(1)}s up to docker + ${(phase2.ms / 1000).toFixed(1)}s from openclaw), ${c1.roundTrips + c2.roundTrips} commands over the admin connection`,
    );
  });

  it('the gateway container is healthy and hardened (docker inspect)', async () => {
    const { r } = need();
    const healthy = await waitFor(() => look(r, "docker inspect -f '{{.State.Health.Status}}' openclaw-gateway").trim() === 'healthy', 120_000, 2000);
    expect(healthy, 'the container never became healthy').toBeGreaterThanOrEqual(0);
    expectHardenedGateway(r);
  });

  it("OpenClaw's own validator and security audit, inside the container: valid, 0 critical", () => {
    const { r } = need();
    const exec = (cmd: string) => r.host.exec(['docker', 'exec', 'openclaw-gateway', 'sh', '-c', cmd], { timeoutMs: 120_000 });
    const v = exec('node dist/index.js config validate --json');
    expect(v.code, v.stdout + v.stderr).toBe(0);
    expect(JSON.parse(v.stdout).valid).toBe(true);
    const a = exec('node dist/index.js security audit --json');
    const audit = JSON.parse(a.stdout.slice(a.stdout.indexOf('{')));
    expect(audit.summary.critical).toBe(0);
    // the model follows the provider given, not OpenClaw's openai default
    const cfg = JSON.parse(look(r, `cat ${OC}/config/openclaw.json`));
    expect(cfg.agents.defaults.model.primary).toBe('anthropic/claude-opus-5');
    expect(cfg.tools.profile).toBe('messaging');
  });

  it('nothing listens on the public address but sshd (checked from outside)', async () => {
    const { r } = need();
    const listening = look(r, "ss -Hltn | awk '{print $4}'").split('\n').filter(Boolean);
    const ports = [...new Set(listening.map((l) => Number(l.slice(l.lastIndexOf(':') + 1))))];
    expect(ports).toEqual(expect.arrayContaining([22, 18789, 18790]));
    const open: number[] = [];
    for (const p of [...ports, 80, 443, 2375, 2376]) if (await tcpOpen(r.host.ip, p)) open.push(p);
    expect(open).toEqual([22]);
  });

  it('files: .env and openclaw.json are 600 and owned as planned; the token works through an SSH tunnel as deploy, a wrong one is refused', async () => {
    const { r } = need();
    // openclaw.json belongs to the container's own uid (not deploy's)
    expect(look(r, `stat -c '%a %u' ${OC}/.env ${OC}/config/openclaw.json`).trim().split('\n')).toEqual([
      `600 ${look(r, 'id -u deploy').trim()}`,
      `600 ${CONTAINER_UID}`,
    ]);
    const token = gatewayToken(r);
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    const local = 20000 + (process.pid % 10000);
    tunnel = spawn(
      'ssh',
      ['-N', '-o', 'ExitOnForwardFailure=yes', '-L', `${local}:127.0.0.1:18789`, ...r.host.sshOptions(r.admin.privateKey), `deploy@${r.host.ip}`],
      { stdio: 'ignore' },
    );
    const up = await waitFor(() => spawnSync('curl', ['-fsS', '--max-time', '2', `http://127.0.0.1:${local}/healthz`]).status === 0, 30_000, 500);
    expect(up, 'no /healthz through the tunnel').toBeGreaterThanOrEqual(0);
    const healthz = await (await fetch(`http://127.0.0.1:${local}/healthz`)).json();
    expect(healthz).toMatchObject({ ok: true });
    // The gateway's authenticated HTTP API (POST /tools/invoke, bearer token), through the tunnel.
    const bad = await invokeThroughTunnel(local, '0'.repeat(64));
    const good = await invokeThroughTunnel(local, token);
    expect(good.status, `right token: ${good.body.slice(0, 300)}`).toBe(200);
    expect(JSON.parse(good.body).ok).toBe(true);
    expect([401, 403], `wrong token: ${bad.status} ${bad.body.slice(0, 300)}`).toContain(bad.status);
    tunnel.kill();
  });

  it('the backup service writes a 600 archive that verifies, and it restores the config into a scratch directory', () => {
    const { r } = need();
    const run = look(r, 'systemctl start openclaw-backup.service; systemctl is-failed openclaw-backup.service || true').trim();
    expect(run).not.toBe('failed');
    const archive = look(r, 'ls -1t /var/backups/openclaw/openclaw-*.tar.gz | head -n 1').trim();
    expect(archive).toMatch(/openclaw-\d{8}T\d{6}Z\.tar\.gz$/);
    expect(look(r, `stat -c '%a %U' ${archive}`).trim()).toBe('600 root');
    expect(look(r, `tar -tzf ${archive} >/dev/null && echo ok`).trim()).toBe('ok');
    const restored = look(
      r,
      `rm -rf /root/scratch && mkdir /root/scratch && tar -xzf ${archive} -C /root/scratch && cmp /root/scratch${OC}/config/openclaw.json ${OC}/config/openclaw.json && echo same`,
    ).trim();
    expect(restored).toBe('same');
  });

  it('the health check alerts the receiver when the gateway is down, and clears when it is back', async () => {
    const { r, receiver } = need();
    // the receiver is reachable from the server (the alert path itself, not the gateway, is under test below)
    const reach = look(r, `curl -sS --max-time 5 -o /dev/null -w '%{http_code}' -d ping https://${r.host.hostIp}:${receiver.port}/reachability 2>&1`).trim();
    expect(reach, `${reach}\n${look(r, 'iptables -S OUTPUT; iptables -S ufw-before-output 2>&1 | head; ip route')}`).toBe('200');
    const before = receiver.alerts().length;
    look(r, 'docker stop openclaw-gateway >/dev/null');
    look(r, 'systemctl start openclaw-health.service || true');
    const got = await waitFor(() => receiver.alerts().length > before, 30_000, 500);
    expect(got, `no alert arrived: ${look(r, 'journalctl -u openclaw-health --no-pager -n 20')}`).toBeGreaterThanOrEqual(0);
    const alert = receiver.alerts()[before];
    expect(alert.path).toBe(`/${TOPIC}`);
    expect(`${alert.title}\n${alert.body}`).toMatch(/gateway/i);
    look(r, 'docker start openclaw-gateway >/dev/null');
    const back = await waitFor(() => look(r, 'curl -fsS --max-time 2 http://127.0.0.1:18789/healthz >/dev/null && echo up').trim() === 'up', 90_000, 1000);
    expect(back).toBeGreaterThanOrEqual(0);
    const n = receiver.alerts().length;
    look(r, 'systemctl start openclaw-health.service || true');
    const cleared = await waitFor(
      () =>
        receiver
          .alerts()
          .slice(n)
          .some((x) => /recovered/.test(`${x.title} ${x.body}`)),
      30_000,
      500,
    );
    expect(cleared, `alerts: ${JSON.stringify(receiver.alerts().slice(n))}`).toBeGreaterThanOrEqual(0);
  });

  it('verify passed and the journal records what it checked; no dead-man switch is left armed', () => {
    const { r } = need();
    const journal = JSON.parse(look(r, 'cat /var/lib/claw-setup/journal.json'));
    expect(journal.verified).toEqual(
      expect.arrayContaining([
        'the gateway is healthy',
        expect.stringMatching(/^every check of claw-setup audit passes/),
        'no dead-man switch is left armed (nothing will be undone later)',
      ]),
    );
    expect(JSON.stringify(journal)).not.toContain(PROVIDER_KEY);
  });

  it('a rerun changes nothing and does not restart the gateway', async () => {
    const { r } = need();
    const container = () => look(r, "docker inspect -f '{{.Id}} {{.State.StartedAt}}' openclaw-gateway").trim();
    const before = container();
    const again = await runCli(r);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    const st = stepStatuses(again.stdout);
    for (const [id, status] of Object.entries(st)) if (id !== 'verify') expect(`${id}: ${status}`, again.stdout).toBe(`${id}: skipped`);
    expect(container()).toBe(before);
    // Nothing changed, so the last run's verification stands: the audit is not run again.
    expect(again.stdout).toContain('not run: nothing changed in this run');
    const c = cliCounters(again.stdout)!;
    expect(c.roundTrips, again.stdout).toBeLessThanOrEqual(10);
    bench.push(`rerun with nothing to do (whole plan): ${(again.ms / 1000).toFixed(1)}s wall, ${c.roundTrips} commands over the admin connection`);
  });
});

// Caddy from Debian's own package in front of the gateway, with its internal CA (no ACME here):
// HTTPS with the security headers from outside, and the gateway's authenticated API through it
// (Caddy sets X-Forwarded-For; the gateway trusts it from the compose network's gateway address).
describe.skipIf(unavailable !== null)(`Caddy in front of the gateway on Debian 13${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let r: Rig | undefined;
  const DOMAIN = 'claw.test';

  beforeAll(async () => {
    await prepareGatewayHost();
    r = await rig(`caddy-${process.pid % 10000}`, {
      image: 'debian-13',
      docker: true,
      env: { ANTHROPIC_API_KEY: PROVIDER_KEY },
      answers: {
        stopBefore: null,
        packages: { source: 'distro' },
        openclaw: { providers: { anthropic: { env: 'ANTHROPIC_API_KEY' } } },
        access: { mode: 'caddy', domain: DOMAIN, email: 'ops@example.com', certificates: 'internal' },
      },
    });
  }, 30 * 60_000);

  afterAll(async () => {
    await teardown(r);
  }, 300_000);

  it('rolls out with Caddy, then serves the gateway over HTTPS with its headers; the token works through it', async () => {
    if (!r) throw new Error('no test host');
    const one = await runCli(r, ['--set', 'stopBefore=openclaw']);
    expect(one.code, one.stdout + one.stderr).toBe(0);
    importStandIn(r);
    const two = await runCli(r);
    expect(two.code, two.stdout + two.stderr).toBe(0);
    expect(stepStatuses(two.stdout)).toMatchObject({ access: 'done', verify: 'done' });
    expect(look(r, "dpkg-query -W -f '${Status}' caddy").trim()).toBe('install ok installed');
    // Caddy's own root CA, taken out of band, is what this machine trusts for the check
    const ca = join(r.dir, 'caddy-root.crt');
    const root = await waitFor(
      () => look(r!, 'cat /var/lib/caddy/.local/share/caddy/pki/authorities/local/root.crt 2>/dev/null').includes('BEGIN CERTIFICATE'),
      30_000,
      1000,
    );
    expect(root, 'Caddy made no internal CA').toBeGreaterThanOrEqual(0);
    writeFileSync(ca, look(r, 'cat /var/lib/caddy/.local/share/caddy/pki/authorities/local/root.crt'));
    const curl = caddyCurl(r, ca, DOMAIN);
    let head = curl('-D', '-', '-o', '/dev/null', `https://${DOMAIN}/healthz`);
    await waitFor(() => (head = curl('-D', '-', '-o', '/dev/null', `https://${DOMAIN}/healthz`)).stdout.startsWith('HTTP/2 200'), 60_000, 2000);
    expect(head.stdout, head.stderr).toMatch(/^HTTP\/2 200/);
    expect(head.stdout).toMatch(/^strict-transport-security: max-age=31536000; includeSubDomains\r?$/m);
    expect(head.stdout).toMatch(/^x-frame-options: DENY\r?$/m);
    expect(head.stdout).toMatch(/^x-content-type-options: nosniff\r?$/m);
    expect(head.stdout).not.toMatch(/^server:/im);
    const plain = curl('-o', '/dev/null', '-w', '%{http_code}', `http://${DOMAIN}/`);
    expect(plain.stdout).toMatch(/^30[18]$/);
    const invoke = (t: string) => invokeThroughCaddy(curl, DOMAIN, t);
    const good = invoke(gatewayToken(r));
    expect(good.trim().split('\n').pop(), good).toBe('200');
    const bad = invoke('0'.repeat(64));
    expect(['401', '403'], bad).toContain(bad.trim().split('\n').pop());
    // still nothing but sshd and Caddy's 80/443 from outside; the gateway ports stay on loopback
    for (const p of [18789, 18790]) expect(await tcpOpen(r.host.ip, p), String(p)).toBe(false);
  });
});
