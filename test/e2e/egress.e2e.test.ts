// The container reaches only what it must, for real: a fresh Debian 13 test server with the real
// OpenClaw 2026.9.6 gateway (stand-in image), deployed by the whole plan. From inside the running
// gateway, as its own user: a stand-in metadata service (169.254.169.254, on a network namespace
// inside the test server, so the host routes to it exactly as a cloud VM does), the host's own
// addresses and its sshd, and a private-range listener on this machine are unreachable; a
// "public" address on the same namespace and an allowed private destination are reachable; DNS
// through a private resolver keeps working. The rules survive ufw reload and a Docker restart; a
// rerun with the same answers changes nothing. Controls: with our jumps removed, the same probes
// do get through, so a "blocked" result is our rules and not a broken probe.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downHost, testhostUnavailableReason } from './testhost/testhost.js';
import { look, rig, runCli, stepStatuses, teardown, waitFor, type CliRun, type Rig } from './rollout-kit.js';
import { importStandIn, prepareGatewayHost } from './gateway-kit.js';
import { COMPOSE_GATEWAY_IP } from '../../src/plan/paths.js';
import { EGRESS_SCRIPT } from '../../templates/egress.js';

const unavailable = testhostUnavailableReason();
const C = 'openclaw-gateway';
const METADATA = '169.254.169.254';
/** A public address (TEST-NET-3) on the same namespace as the stand-in metadata service. */
const PUBLIC = '203.0.113.10';
/** A resolver on a private address, as on AWS (VPC base + 2) or a provider's internal DNS. */
const RESOLVER = '10.99.0.53';
const bench: string[] = [];

const healthy = (r: Rig) => look(r, 'curl -fsS -o /dev/null -w "%{http_code}" --max-time 3 http://127.0.0.1:18789/healthz || true').trim() === '200';

/**
 * TCP probes from inside the gateway container as its own user (docker exec's default), all at
 * once: "open:<first bytes>" (an HTTP GET was answered), "open", or the failure ("timeout" is a
 * DROP: nothing answers, not even a reset).
 */
function probe(r: Rig, targets: string[]): Record<string, string> {
  const code = `
    const net = require('node:net');
    const one = (t) => new Promise((done) => {
      const i = t.lastIndexOf(':');
      const s = net.connect({ host: t.slice(0, i), port: Number(t.slice(i + 1)) });
      let data = '';
      const end = (v) => { s.destroy(); done([t, v]); };
      s.setTimeout(3000, () => end(data ? 'open:' + data : s.connecting ? 'timeout' : 'open'));
      // A server that speaks first (sshd's banner) gets 300 ms before the request.
      s.on('connect', () => setTimeout(() => s.write('GET / HTTP/1.0\\r\\n\\r\\n'), 300));
      s.on('data', (d) => { data += d; if (data.includes('egress-ok')) end('open:egress-ok'); });
      s.on('end', () => end(data ? 'open:' + data.slice(0, 40) : 'open'));
      s.on('error', (e) => end(data ? 'open:' + data.slice(0, 40) : e.code || String(e)));
    });
    Promise.all(process.argv.slice(1).map(one)).then((x) => console.log(JSON.stringify(Object.fromEntries(x))));`;
  const x = r.host.exec(['docker', 'exec', C, 'node', '-e', code, ...targets], { timeoutMs: 30_000 });
  if (x.code !== 0) throw new Error(`probe failed: ${x.stderr}`);
  return JSON.parse(x.stdout.trim());
}

/** The audit's egress line (the audit script as claw-setup audit runs it). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const egressAudit = (r: Rig): any => JSON.parse(look(r, `/usr/local/sbin/claw-setup-audit ${r.host.hostIp} | grep '"id":"firewall.egress"'`));

/**
 * A TCP listener on this machine that answers every connection with "egress-ok": a child process,
 * because the probes run synchronously and would block a listener in this one.
 */
async function listen(ip: string): Promise<{ proc: ChildProcess; port: number }> {
  const code = `const srv = require('node:net').createServer((s) => s.end('HTTP/1.0 200 OK\\r\\n\\r\\negress-ok\\n'));
    srv.listen(0, ${JSON.stringify(ip)}, () => console.log(srv.address().port));`;
  const proc = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    proc.stdout!.once('data', (d: Buffer) => resolve(Number(String(d).trim())));
    proc.once('exit', (c) => reject(new Error(`listener exited ${c}`)));
  });
  return { proc, port };
}

/**
 * Inside the test server: a network namespace "md" behind a veth, holding 169.254.169.254 (the
 * stand-in metadata service), a public address and a private resolver; the server routes to them
 * as a cloud VM routes to its provider's. Python's http.server answers on port 80; a tiny DNS
 * server answers A queries for *.egress.test on port 53.
 */
const METADATA_NET = String.raw`
set -e
ip netns add md
ip link add md0 type veth peer name md1
ip link set md1 netns md
ip addr add 198.51.100.1/24 dev md0
ip link set md0 up
ip -n md addr add 198.51.100.2/24 dev md1
for a in ${METADATA} ${PUBLIC} ${RESOLVER}; do ip -n md addr add "$a/32" dev md1; ip route add "$a/32" via 198.51.100.2; done
ip -n md link set md1 up
ip -n md link set lo up
ip -n md route add default via 198.51.100.1
mkdir -p /srv/md && echo egress-ok >/srv/md/index.html
systemd-run --unit=md-http ip netns exec md python3 -m http.server 80 --directory /srv/md
cat >/srv/md/dns.py <<'EOF'
import socket, struct
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("${RESOLVER}", 53))
while True:
    q, peer = s.recvfrom(512)
    # The question ends at the first zero-length label; answer it with one A record.
    end = q.index(b"\0", 12) + 5
    head = q[:2] + b"\x81\x80" + q[4:6] + b"\x00\x01\x00\x00\x00\x00"
    s.sendto(head + q[12:end] + b"\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04" + socket.inet_aton("${PUBLIC}"), peer)
EOF
systemd-run --unit=md-dns ip netns exec md python3 /srv/md/dns.py
`;

describe.skipIf(unavailable !== null)(`the gateway container reaches only what it must${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let r: Rig | undefined;
  let allowed: { proc: ChildProcess; port: number } | undefined;
  let other: { proc: ChildProcess; port: number } | undefined;
  const need = () => {
    if (!r || !allowed || !other) throw new Error('no deployed test host (see the first failure)');
    return { r, allowed, other };
  };

  const name = `egress-${process.pid % 10000}`;

  beforeAll(async () => {
    const t = Date.now();
    await prepareGatewayHost();
    const rg = await rig(name, { image: 'debian-13', docker: true, answers: { stopBefore: null, packages: { source: 'distro' } } });
    r = rg;
    const check = (c: CliRun) => expect(c.code, c.stdout + c.stderr).toBe(0);
    check(await runCli(rg, ['--set', 'stopBefore=openclaw']));
    importStandIn(rg);
    // As deployGateway, with one retry: on a loaded machine OpenClaw's one-off config validate can
    // pass its budget; the rerun carries on from there.
    const first = await runCli(rg);
    if (first.code !== 0) bench.push(`the first deploy run failed (retried): ${first.stdout.split('\n').find((l) => l.includes('FAILED')) ?? ''}`);
    check(first.code === 0 ? first : await runCli(rg));
    bench.push(`deploy to a healthy gateway: ${((Date.now() - t) / 1000).toFixed(0)} s`);
    allowed = await listen(rg.host.hostIp);
    other = await listen(rg.host.hostIp);
    look(rg, METADATA_NET);
    // systemd-run returns before python listens.
    const up = () => look(rg, `curl -fsS --max-time 2 http://${METADATA}/ || true`) === 'egress-ok\n';
    if ((await waitFor(up, 30_000)) < 0) throw new Error('the stand-in metadata service did not come up');
  }, 30 * 60_000);

  afterAll(async () => {
    if (bench.length) console.log(`\n[bench] ${bench.join('\n[bench] ')}\n`);
    allowed?.proc.kill();
    other?.proc.kill();
    // A deploy that failed leaves no rig to tear down: the host goes by its name.
    if (r) await teardown(r);
    else await downHost(name).catch(() => {});
  }, 300_000);

  it('default answers: the metadata service, private ranges and the host are dropped; a public address answers', () => {
    const { r, allowed } = need();
    // Controls from the server itself (not the container): everything below does answer.
    expect(look(r, `curl -fsS --max-time 3 http://${METADATA}/; curl -fsS --max-time 3 http://${PUBLIC}/`)).toBe('egress-ok\negress-ok\n');
    expect(look(r, `curl -fsS --max-time 3 http://${r.host.hostIp}:${allowed.port}/ || true`)).toContain('egress-ok');
    const t0 = Date.now();
    const p = probe(r, [`${METADATA}:80`, `${PUBLIC}:80`, `${r.host.hostIp}:${allowed.port}`, `${r.host.ip}:22`, `${COMPOSE_GATEWAY_IP}:22`]);
    bench.push(`5 probes from inside the gateway: ${Date.now() - t0} ms`);
    expect(p).toEqual({
      [`${METADATA}:80`]: 'timeout',
      [`${PUBLIC}:80`]: 'open:egress-ok',
      [`${r.host.hostIp}:${allowed.port}`]: 'timeout',
      [`${r.host.ip}:22`]: 'timeout',
      [`${COMPOSE_GATEWAY_IP}:22`]: 'timeout',
    });
    expect(healthy(r)).toBe(true);
    expect(look(r, `${EGRESS_SCRIPT} --check; echo rc=$?`)).toMatch(/rc=0\n$/);
    expect(egressAudit(r)).toMatchObject({ status: 'pass', evidence: expect.stringContaining('rules in CLAW-EGRESS') });
    const saved = look(r, "iptables-save -t filter | grep -E '^(:CLAW|-A (CLAW|DOCKER-USER|INPUT -i br-openclaw|FORWARD -j DOCKER-USER))'");
    bench.push(`rules as installed (default answers):\n${saved}`);
  });

  it('controls: with our jumps taken out the same probes get through (the container did reach the host sshd before)', () => {
    const { r, allowed } = need();
    look(r, 'iptables -D DOCKER-USER -i br-openclaw -j CLAW-EGRESS; iptables -D INPUT -i br-openclaw -j CLAW-HOST');
    try {
      expect(look(r, `${EGRESS_SCRIPT} --check; echo rc=$?`)).toMatch(/is not the first rule of DOCKER-USER[\s\S]*rc=1\n$/);
      const p = probe(r, [`${METADATA}:80`, `${r.host.hostIp}:${allowed.port}`, `${r.host.ip}:22`]);
      expect(p[`${METADATA}:80`]).toBe('open:egress-ok');
      expect(p[`${r.host.hostIp}:${allowed.port}`]).toBe('open:egress-ok');
      expect(p[`${r.host.ip}:22`]).toMatch(/^open:SSH-2\.0-/);
      // The audit (claw-setup audit, the weekly timer, the rollout's last gate) notices.
      expect(egressAudit(r)).toMatchObject({ status: 'fail', fix: expect.stringContaining('systemctl restart claw-setup-egress') });
    } finally {
      look(r, `systemctl restart claw-setup-egress`);
    }
    expect(look(r, `${EGRESS_SCRIPT} --check; echo rc=$?`)).toMatch(/rc=0\n$/);
    expect(probe(r, [`${METADATA}:80`])[`${METADATA}:80`]).toBe('timeout');
  });

  it('an allow-list entry (a private address and one port) opens exactly that; a rerun with the same answers changes nothing', async () => {
    const { r, allowed, other } = need();
    const answers = { ...r.answers, openclaw: { egress: { allow: [`${r.host.hostIp}:${allowed.port}`] } } };
    writeFileSync(r.answersFile, JSON.stringify(answers, null, 2));
    const c = await runCli(r);
    expect(c.code, c.stdout + c.stderr).toBe(0);
    expect(stepStatuses(c.stdout).egress).toBe('done');
    const p = probe(r, [`${r.host.hostIp}:${allowed.port}`, `${r.host.hostIp}:${other.port}`, `${METADATA}:80`, `${r.host.ip}:22`]);
    expect(p).toEqual({
      [`${r.host.hostIp}:${allowed.port}`]: 'open:egress-ok',
      [`${r.host.hostIp}:${other.port}`]: 'timeout',
      [`${METADATA}:80`]: 'timeout',
      [`${r.host.ip}:22`]: 'timeout',
    });
    const again = await runCli(r);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(stepStatuses(again.stdout).egress).toBe('skipped');
    bench.push(`rerun after the allow-list change: ${(c.ms / 1000).toFixed(1)} s; rerun with nothing to do: ${(again.ms / 1000).toFixed(1)} s`);
  });

  it('the rules survive ufw reload and a restart of Docker; the gateway stays healthy', () => {
    const { r, allowed } = need();
    look(r, 'ufw reload');
    expect(look(r, `${EGRESS_SCRIPT} --check; echo rc=$?`)).toMatch(/rc=0\n$/);
    const t0 = Date.now();
    look(r, 'systemctl restart docker');
    bench.push(`systemctl restart docker: ${Date.now() - t0} ms`);
    expect(look(r, `${EGRESS_SCRIPT} --check; echo rc=$?`)).toMatch(/rc=0\n$/);
    expect(look(r, 'systemctl is-active claw-setup-egress').trim()).toBe('active');
    // The unit ran again with Docker (PartOf), before it: its last start is not older than Docker's.
    const since = (u: string) => Number(look(r, `systemctl show -p ExecMainStartTimestampMonotonic --value ${u}`).trim());
    expect(since('claw-setup-egress')).toBeGreaterThan(0);
    expect(since('claw-setup-egress')).toBeLessThanOrEqual(since('docker'));
    let ok = false;
    for (let i = 0; i < 60 && !ok; i++) {
      ok = healthy(r);
      if (!ok) look(r, 'sleep 1');
    }
    expect(ok).toBe(true);
    const p = probe(r, [`${r.host.hostIp}:${allowed.port}`, `${METADATA}:80`, `${COMPOSE_GATEWAY_IP}:22`]);
    expect(p).toEqual({ [`${r.host.hostIp}:${allowed.port}`]: 'open:egress-ok', [`${METADATA}:80`]: 'timeout', [`${COMPOSE_GATEWAY_IP}:22`]: 'timeout' });
  });

  it('DNS through a private resolver keeps working (its port 53 only): the rules follow resolv.conf by themselves', async () => {
    const { r } = need();
    // A fresh container on the gateway's network each time (Docker reads resolv.conf when it creates one).
    const image = look(r, `docker inspect -f '{{.Config.Image}}' ${C}`).trim();
    const net = look(r, `docker inspect -f '{{range $k, $v := .NetworkSettings.Networks}}{{$k}}{{end}}' ${C}`).trim();
    const lookup = () =>
      look(
        r,
        `timeout 60 docker run --rm --network ${net} --entrypoint node ${image} -e "require('node:dns').lookup('meta.egress.test', (e, a) => console.log(e ? e.code : a))"`,
      ).trim();
    const checked = () => /rc=0\n$/.test(look(r, `${EGRESS_SCRIPT} --check; echo rc=$?`));
    look(r, 'cp /etc/resolv.conf /etc/resolv.conf.egress-test');
    try {
      // Control, with the watcher stopped: the rules name no such resolver, and it is dropped.
      look(r, `systemctl stop claw-setup-egress-dns.path; echo 'nameserver ${RESOLVER}' >/etc/resolv.conf`);
      expect(look(r, `${EGRESS_SCRIPT} --check; echo rc=$?`)).toMatch(/missing rule: CLAW-EGRESS -d 10\.99\.0\.53\/32 -p udp[\s\S]*rc=1\n$/);
      const t0 = Date.now();
      expect(lookup()).not.toBe(PUBLIC);
      bench.push(`a lookup through a dropped resolver fails after ${Date.now() - t0} ms`);
      // With the watcher (as installed): a change of resolv.conf applies the rules again by itself.
      look(r, `systemctl start claw-setup-egress-dns.path; echo 'nameserver ${RESOLVER}' >/etc/resolv.conf`);
      const followed = await waitFor(checked, 15_000);
      expect(followed).toBeGreaterThanOrEqual(0);
      bench.push(`the rules followed a resolv.conf change in ${followed} ms (claw-setup-egress-dns.path)`);
      expect(lookup()).toBe(PUBLIC);
      // Port 53 only: the resolver's address stays closed otherwise.
      expect(probe(r, [`${RESOLVER}:80`])[`${RESOLVER}:80`]).toBe('timeout');
    } finally {
      look(r, 'mv /etc/resolv.conf.egress-test /etc/resolv.conf; systemctl start claw-setup-egress-dns.path');
    }
    expect(await waitFor(checked, 15_000)).toBeGreaterThanOrEqual(0);
  });
});
