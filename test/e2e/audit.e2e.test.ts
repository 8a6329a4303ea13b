// `claw-setup audit` and `status` on a real, fully deployed Debian 13 test server (the stand-in
// OpenClaw image, as in full.e2e): a clean deployment passes; then one thing at a time is broken
// out of band (as an operator or an attacker would, from the console) and must be reported as a
// failure with the right fix and exit code 2; each is put back before the next.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver } from './alert-receiver.js';
import { testhostUnavailableReason } from './testhost/testhost.js';
import { importStandIn, OC, prepareGatewayHost } from './gateway-kit.js';
import { gatewayToken } from './gateway-probes.js';
import { look, rig, runCli, teardown, waitFor, ROOT, SUDO_PW, type CliRun, type Rig } from './rollout-kit.js';

const unavailable = testhostUnavailableReason();
const PROVIDER_KEY = 'sk-ant-e2e-not-a-real-key-7a2e91';
const TOPIC = 'claw-e2e-audit';
const bench: string[] = [];
const weeklyMs: number[] = [];

interface Line {
  status: string;
  id: string;
  rest: string;
}

/** The scorecard lines of an audit run: "FAIL  id  evidence  (fix: …)". */
const lines = (run: CliRun): Line[] => [...run.stdout.matchAll(/^(PASS|WARN|FAIL) {2}(\S+) +(.*)$/gm)].map((m) => ({ status: m[1], id: m[2], rest: m[3] }));
const failing = (run: CliRun) => lines(run).filter((l) => l.status !== 'PASS');

describe.skipIf(unavailable !== null)(`audit and status on a deployed Debian 13 server${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let r: Rig | undefined;
  let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;
  const need = () => {
    if (!r) throw new Error('no test host (see the first failure)');
    return r;
  };
  // The daily login: the deploy user (root login is off), as an operator would pass it.
  const audit = (...extra: string[]) => runCli(need(), ['audit', '--user', 'deploy', ...extra]);
  const status = (...extra: string[]) => runCli(need(), ['status', '--user', 'deploy', ...extra]);
  const token = () => gatewayToken(need());
  const noSecrets = (run: CliRun) => {
    const all = run.stdout + run.stderr;
    expect(token().length).toBe(64);
    expect(all).not.toContain(token());
    expect(all).not.toContain(PROVIDER_KEY);
    expect(all).not.toContain(SUDO_PW);
  };
  /** Breaks the server, expects exit 2 with a FAIL line for `id` whose text matches `text`, then restores. */
  const broken = async (o: { brk: string; id: string; text: RegExp; restore: string; also?: string[] }) => {
    const s = need();
    look(s, o.brk);
    try {
      const run = await audit();
      expect(run.code, run.stdout + run.stderr).toBe(2);
      const line = lines(run).find((l) => l.id === o.id);
      expect(line?.status, run.stdout).toBe('FAIL');
      expect(line!.rest).toMatch(o.text);
      for (const id of o.also ?? []) expect(lines(run).find((l) => l.id === id)?.status, `${id}\n${run.stdout}`).toBe('FAIL');
      noSecrets(run);
      // the weekly timer on the server finds the same failure and alerts with its fix
      const sent = await weekly();
      expect(sent, JSON.stringify(receiver!.alerts().slice(-3))).toHaveLength(1);
      expect(sent[0].body).toMatch(new RegExp(`^${o.id.replace('.', '\\.')}: .*\\(fix: `, 'm'));
      return run;
    } finally {
      look(s, o.restore);
    }
  };
  /** Triggers the weekly audit timer's service by hand; returns the weekly-audit alerts the receiver got from it. */
  const weekly = async () => {
    const before = receiver!.alerts().length;
    const t0 = Date.now();
    look(need(), 'systemctl start claw-setup-audit.service || true');
    weeklyMs.push(Date.now() - t0);
    await new Promise((res) => setTimeout(res, 500));
    return receiver!
      .alerts()
      .slice(before)
      .filter((x) => /weekly audit/.test(x.title));
  };
  const gatewayHealthy = () => waitFor(() => look(need(), "docker inspect -f '{{.State.Health.Status}}' openclaw-gateway").trim() === 'healthy', 180_000, 2000);

  beforeAll(async () => {
    await prepareGatewayHost();
    r = await rig(`audit-${process.pid % 10000}`, {
      image: 'debian-13',
      docker: true,
      env: { ANTHROPIC_API_KEY: PROVIDER_KEY },
      answers: {
        stopBefore: null,
        packages: { source: 'distro' },
        openclaw: { providers: { anthropic: { env: 'ANTHROPIC_API_KEY' } } },
      },
    });
    // Alerts go to an ntfy-compatible receiver on this machine (its own CA, trusted on the server below).
    receiver = await startReceiver(r.dir, r.host.hostIp);
    writeFileSync(
      r.answersFile,
      JSON.stringify({ ...r.answers, monitoring: { ntfyServer: `https://${r.host.hostIp}:${receiver.port}`, ntfyTopic: TOPIC } }, null, 2),
    );
    const one = await runCli(r, ['--set', 'stopBefore=openclaw']);
    if (one.code !== 0) throw new Error(`phase 1 failed:\n${one.stdout}\n${one.stderr}`);
    importStandIn(r);
    r.host.exec(['sh', '-c', 'cat > /usr/local/share/ca-certificates/claw-e2e.crt && update-ca-certificates >/dev/null'], { input: receiver.ca });
    const two = await runCli(r);
    if (two.code !== 0) throw new Error(`phase 2 failed:\n${two.stdout}\n${two.stderr}`);
    // The first nightly backup, now (a fresh deployment has none yet, which audit reports as a warning).
    look(r, 'systemctl start openclaw-backup.service');
    if ((await gatewayHealthy()) < 0) throw new Error('the gateway never became healthy');
  }, 40 * 60_000);

  afterAll(async () => {
    receiver?.proc.kill();
    if (bench.length) console.log(`\n[bench] ${bench.join('\n[bench] ')}\n`);
    await teardown(r);
  }, 300_000);

  it('a fresh deployment passes every check (exit 0); no secret in the output', async () => {
    const run = await audit();
    expect(failing(run), run.stdout + run.stderr).toEqual([]);
    expect(run.code).toBe(0);
    const ids = lines(run).map((l) => l.id);
    for (const id of [
      'ssh.root-login',
      'ssh.password-login',
      'firewall.active',
      'firewall.break-glass',
      'fail2ban.sshd',
      'updates.security',
      'network.gateway-loopback',
    ])
      expect(ids).toContain(id);
    for (const id of ['deadman.none-armed', 'host.disk', 'host.memory', 'host.time-sync', 'container.running', 'container.image', 'container.capabilities'])
      expect(ids).toContain(id);
    for (const id of ['container.ports', 'container.docker-socket', 'container.log-rotation', 'app.env-file', 'app.config-file', 'app.gateway-token'])
      expect(ids).toContain(id);
    // the contained agent: its own uid and a read-only root, and the egress rules in place
    for (const id of ['container.room', 'firewall.egress']) expect(ids).toContain(id);
    for (const id of [
      'app.openclaw-audit',
      'app.gateway-token-age',
      'backups.recent',
      'backups.verified',
      'backups.timer',
      'backups.restore-test',
      'monitoring.alerts',
    ])
      expect(ids).toContain(id);
    expect(lines(run).find((l) => l.id === 'app.gateway-token')!.rest).toBe('64 characters');
    noSecrets(run);
    const note =
      /audit took ([\d.]+)s wall \(connect ([\d.]+)s; on the server: checks ([\d.]+)s, OpenClaw's own security audit ([\d.]+)s in parallel; without it ([\d.]+)s\)/.exec(
        run.stdout,
      );
    expect(note, run.stdout).not.toBeNull();
    bench.push(
      `audit: ${note![1]}s wall (${(run.ms / 1000).toFixed(1)}s with node start); OpenClaw's own security audit ${note![4]}s; without it ${note![5]}s (connect ${note![2]}s, server-side checks ${note![3]}s)`,
    );
  });

  it('audit --json validates against docs/audit-schema.json and says exit 0', async () => {
    const run = await audit('--json');
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    const schema = JSON.parse(readFileSync(join(ROOT, 'docs/audit-schema.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true }).compile(schema);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.exitCode).toBe(0);
    expect(report.counts.fail).toBe(0);
    expect(report.timing.openclawAuditMs).toBeGreaterThan(0);
    noSecrets(run);
  });

  it('status: one screen (gateway up, channels, last backup, alerts, updates), fast', async () => {
    const run = await status();
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^gateway {3}up .*healthy, \/healthz ok, 0 restarts, ghcr\.io\/openclaw\/openclaw:2026\.9\.6$/m);
    expect(run.stdout).toMatch(/^channels {2}none configured/m);
    expect(run.stdout).toMatch(
      /^backup {4}(just now|\d+m) ago: \/var\/backups\/openclaw\/openclaw-\d{8}T\d{6}Z\.tar\.gz; restore test not run yet \(monthly\)$/m,
    );
    expect(run.stdout).toMatch(/^secrets {3}gateway token (just now|\d+m|\d+h \d+m) old \(renew: claw-setup rotate gateway-token\)$/m);
    expect(run.stdout).toMatch(/^updates {3}\d+ pending \(\d+ security\)/m);
    expect(run.stdout).toMatch(/^server {4}firewall active, no dead-man switch armed/m);
    noSecrets(run);
    const took = /status took ([\d.]+)s/.exec(run.stdout);
    bench.push(`status: ${took![1]}s wall (${(run.ms / 1000).toFixed(1)}s with node start)`);
  });

  it('the weekly audit timer is installed and, with everything passing, sends nothing', async () => {
    expect(look(need(), 'systemctl is-active claw-setup-audit.timer').trim()).toBe('active');
    expect(await weekly()).toEqual([]);
    expect(look(need(), 'systemctl show -p Result --value claw-setup-audit.service').trim()).toBe('success');
  });

  it('alert-test: a test alert arrives at the ntfy receiver, sent the way the health check sends real ones', async () => {
    const before = receiver!.alerts().length;
    const run = await runCli(need(), ['alert-test', '--user', 'deploy']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^ {2}ntfy {5}delivered/m);
    expect(run.stdout).toMatch(/^ {2}discord {2}not configured$/m);
    // (the health timer may post its own alerts meanwhile: only the test alert counts here)
    const got = receiver!
      .alerts()
      .slice(before)
      .filter((x) => /test alert/.test(x.title));
    expect(got).toHaveLength(1);
    expect(got[0].path).toBe(`/${TOPIC}`);
    expect(got[0].title).toMatch(/^OpenClaw on .+: test alert$/);
    expect(got[0].body).toMatch(/claw-setup alert-test at .*alerts from this server reach you/);
    // the topic (anyone who knows it can read it) is not printed
    expect(run.stdout + run.stderr).not.toContain(TOPIC);
  });

  it('ufw disabled → FAIL firewall.active, fix: ufw enable', async () => {
    await broken({ brk: 'ufw disable', id: 'firewall.active', text: /inactive.*\(fix: sudo ufw enable/, restore: 'ufw --force enable' });
  });

  it('PasswordAuthentication yes in a drop-in that sorts first → FAIL ssh.password-login naming the file', async () => {
    const f = '/etc/ssh/sshd_config.d/00-aaa-e2e.conf';
    expect(look(need(), `ls /etc/ssh/sshd_config.d/ | sort | head -n 1`).trim()).toBe('00-claw-setup.conf');
    await broken({
      brk: `printf 'PasswordAuthentication yes\\n' > ${f} && sshd -t && systemctl reload ssh`,
      id: 'ssh.password-login',
      text: new RegExp(`passwordauthentication yes.*set to yes in ${f}.*\\(fix: remove PasswordAuthentication yes`),
      restore: `rm -f ${f} && systemctl reload ssh`,
    });
  });

  it('the gateway stopped → FAIL container.running and app.healthz, fix: docker compose up -d', async () => {
    await broken({
      brk: 'docker stop openclaw-gateway >/dev/null',
      id: 'container.running',
      text: /exited.*\(fix: cd \/home\/deploy\/openclaw && sudo docker compose up -d/,
      also: ['app.healthz', 'app.openclaw-audit'],
      restore: 'docker start openclaw-gateway >/dev/null',
    });
    expect(await gatewayHealthy()).toBeGreaterThanOrEqual(0);
  });

  it('.env chmod 644 → FAIL app.env-file, fix: chmod 600', async () => {
    await broken({
      brk: `chmod 644 ${OC}/.env`,
      id: 'app.env-file',
      text: /mode 644.*\(fix: sudo chmod 600 \/home\/deploy\/openclaw\/\.env/,
      restore: `chmod 600 ${OC}/.env`,
    });
  });

  it('the backups deleted → FAIL backups.recent, fix: start openclaw-backup', async () => {
    await broken({
      brk: 'rm -f /var/backups/openclaw/openclaw-*.tar.gz',
      id: 'backups.recent',
      text: /no archive .* the archives were deleted.*\(fix: sudo systemctl start openclaw-backup\.service/,
      restore: 'systemctl start openclaw-backup.service',
    });
  });

  it('a dead-man timer armed → FAIL deadman.none-armed naming the unit', async () => {
    await broken({
      brk: 'systemd-run --quiet --on-active=1h --unit claw-setup-deadman-fake /bin/true',
      id: 'deadman.none-armed',
      text: /claw-setup-deadman-fake\.timer.*\(fix: .*run claw-setup again/,
      restore: 'systemctl stop claw-setup-deadman-fake.timer',
    });
  });

  it('the gateway published on 0.0.0.0 → FAIL network.gateway-loopback and container.ports', async () => {
    const compose = `${OC}/docker-compose.yml`;
    const original = look(need(), `cat ${compose}`);
    const up = `docker compose --project-directory ${OC} -f ${compose} up -d --quiet-pull >/dev/null 2>&1`;
    try {
      await broken({
        brk: `sed -i 's/"127\\.0\\.0\\.1:18789:/"0.0.0.0:18789:/' ${compose} && ${up}`,
        id: 'network.gateway-loopback',
        text: /0\.0\.0\.0:18789.*Docker's published ports bypass ufw/,
        also: ['container.ports'],
        restore: 'true',
      });
    } finally {
      need().host.exec(['sh', '-c', `cat > ${compose} && ${up}`], { input: original });
    }
    expect(await gatewayHealthy()).toBeGreaterThanOrEqual(0);
  });

  it('everything put back: exit 0 again, and the weekly timer stays silent', async () => {
    const run = await audit();
    expect(failing(run), run.stdout + run.stderr).toEqual([]);
    expect(run.code).toBe(0);
    expect(await weekly()).toEqual([]);
    expect(look(need(), 'systemctl is-enabled claw-setup-audit.timer; systemctl show -p Result --value claw-setup-audit.service').trim().split('\n')).toEqual([
      'enabled',
      'success',
    ]);
    bench.push(`weekly audit service runs (systemctl start, OpenClaw's audit included): ${weeklyMs.map((m) => (m / 1000).toFixed(1)).join(', ')} s`);
  });
});
