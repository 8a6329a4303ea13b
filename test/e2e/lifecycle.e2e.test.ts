// Day-2 lifecycle on a running deployment, for real: a Debian 13 test server with the real OpenClaw
// 2026.9.6 gateway (stand-in image). `rotate gateway-token`: the old token is refused by the
// gateway's authenticated API and the new one accepted. `upgrade`: between stand-in image versions
// made on the host (`docker commit` of the pinned image under new tags, no registry): a good one
// switches; one whose gateway exits and one whose validator rejects the config are rolled back
// automatically with exit 2, the previous version healthy. A workspace marker and a hand edit of
// openclaw.json survive every operation; no secret value reaches the output or the journal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testhostUnavailableReason } from './testhost/testhost.js';
import { look, runCli, SUDO_PW, teardown, type CliRun, type Rig } from './rollout-kit.js';
import { deployGateway, OC, OPENCLAW_IMAGE } from './gateway-kit.js';
import { gatewayHealthy, gatewayToken, invokeStatus } from './gateway-probes.js';
import { CONTAINER_UID } from '../../templates/gateway-shared.js';

const unavailable = testhostUnavailableReason();
const ANTHROPIC_OLD = 'sk-ant-e2e-FirstSentinel-0123456789abcdef';
const ANTHROPIC_NEW = 'sk-ant-e2e-RotatedSentinel-0123456789abcdef';
const bench: string[] = [];
const REPO = OPENCLAW_IMAGE.split(':')[0];
const MARKER = 'lifecycle-marker-7f3a';

const token = gatewayToken;
const invoke = (r: Rig, t: string) => invokeStatus(r, t);
const healthy = gatewayHealthy;
const runningImage = (r: Rig) => look(r, "docker inspect -f '{{.Config.Image}}' openclaw-gateway").trim();
const armed = (r: Rig) => look(r, 'systemctl list-timers --all --no-legend | grep claw-setup-deadman || true').trim();
const survived = (r: Rig) => {
  expect(look(r, `cat ${OC}/workspace/marker.txt`).trim()).toBe(MARKER);
  expect(JSON.parse(look(r, `cat ${OC}/config/openclaw.json`)).gateway.auth.rateLimit.maxAttempts).toBe(7);
};
const noSecrets = (r: Rig, c: CliRun, extra: string[] = []) => {
  for (const s of [SUDO_PW, ANTHROPIC_OLD, ANTHROPIC_NEW, token(r), ...extra]) {
    expect(c.stdout).not.toContain(s);
    expect(c.stderr).not.toContain(s);
    expect(look(r, 'cat /var/lib/claw-setup/journal.json')).not.toContain(s);
  }
};
const timed = (name: string, c: CliRun) => bench.push(`${name}: ${(c.ms / 1000).toFixed(1)} s`);

/** A new image tag on the host from the pinned one: `docker commit` with changes (no registry, no build). */
function tagVariant(r: Rig, tag: string, changes: string[]): void {
  const ch = changes.map((c) => `--change '${c.replaceAll("'", "'\\''")}'`).join(' ');
  look(
    r,
    `docker rm -f variant-src >/dev/null 2>&1; docker create --name variant-src ${OPENCLAW_IMAGE} >/dev/null && docker commit ${ch} variant-src ${REPO}:${tag} >/dev/null; docker rm -f variant-src >/dev/null`,
  );
  expect(look(r, `docker image inspect -f '{{.Id}}' ${REPO}:${tag}`).trim()).toMatch(/^sha256:/);
}

describe.skipIf(unavailable !== null)(`rotate and upgrade on a running gateway${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let r: Rig | undefined;
  const need = () => {
    if (!r) throw new Error('no deployed test host (see the first failure)');
    return r;
  };

  beforeAll(async () => {
    ({ r } = await deployGateway(`life-${process.pid % 10000}`, {
      env: { ANTHROPIC_API_KEY: ANTHROPIC_OLD },
      answers: { openclaw: { providers: { anthropic: { env: 'ANTHROPIC_API_KEY' } } } },
    }));
    // Data that must survive every operation: a workspace file and a hand edit of the config.
    look(r, `echo ${MARKER} > ${OC}/workspace/marker.txt && chown ${CONTAINER_UID}:${CONTAINER_UID} ${OC}/workspace/marker.txt`);
    look(r, `cd ${OC}/config && sed 's/"maxAttempts": 10/"maxAttempts": 7/' openclaw.json > /tmp/x && cat /tmp/x > openclaw.json`);
    // Stand-in versions: an older tag the upgrade must prune, and the same OpenClaw under a new label.
    tagVariant(r, '2026.9.5', ['LABEL org.opencontainers.image.version=2026.9.5']);
    tagVariant(r, '2026.9.7', ['LABEL org.opencontainers.image.version=2026.9.7']);
  }, 30 * 60_000);

  afterAll(async () => {
    if (bench.length) console.log(`\n[bench] ${bench.join('\n[bench] ')}\n`);
    await teardown(r);
  }, 300_000);

  it('rotate gateway-token: the old token is refused, the new one accepted; the audit sees a fresh token', async () => {
    const r = need();
    const old = token(r);
    expect(invoke(r, old)).toBe('200');
    const dry = await runCli(r, ['rotate', 'gateway-token', '--dry-run']);
    expect(dry.code, dry.stdout + dry.stderr).toBe(0);
    expect(dry.stdout).toContain('a new token, made on the server (never shown)');
    expect(token(r)).toBe(old);
    const c = await runCli(r, ['rotate', 'gateway-token']);
    timed('rotate gateway-token', c);
    expect(c.code, c.stdout + c.stderr).toBe(0);
    expect(c.stdout).toContain('new token accepted, old token refused');
    expect(c.stdout).toContain('Control UI');
    const now = token(r);
    expect(now).toMatch(/^[0-9a-f]{64}$/);
    expect(now).not.toBe(old);
    expect(invoke(r, now)).toBe('200');
    expect(['401', '403']).toContain(invoke(r, old));
    noSecrets(r, c, [old]);
    expect(look(r, 'cat /var/lib/claw-setup/rotated/OPENCLAW_GATEWAY_TOKEN')).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(look(r, `stat -c '%a %U' ${OC}/.env`).trim()).toBe('600 deploy');
    expect(armed(r)).toBe('');
    survived(r);
    // --show prints it once, on request.
    const shown = await runCli(r, ['rotate', 'gateway-token', '--show']);
    expect(shown.code, shown.stdout + shown.stderr).toBe(0);
    expect(shown.stdout).toContain(`OPENCLAW_GATEWAY_TOKEN=${token(r)}`);
    const audit = await runCli(r, ['audit', '--json']);
    const checks = (JSON.parse(audit.stdout) as { checks: { id: string; status: string }[] }).checks;
    expect(checks.find((x) => x.id === 'app.gateway-token-age')?.status, audit.stdout.slice(-2000)).toBe('pass');
  });

  it('rotate a provider key: the same value is refused; a new one from the environment lands in .env, never printed', async () => {
    const r = need();
    const same = await runCli(r, ['rotate', 'ANTHROPIC_API_KEY']);
    expect(same.code, same.stdout + same.stderr).toBe(1);
    expect(same.stderr).toContain('already holds');
    r.env.ANTHROPIC_API_KEY = ANTHROPIC_NEW;
    const c = await runCli(r, ['rotate', 'ANTHROPIC_API_KEY']);
    timed('rotate ANTHROPIC_API_KEY', c);
    expect(c.code, c.stdout + c.stderr).toBe(0);
    expect(look(r, `grep '^ANTHROPIC_API_KEY=' ${OC}/.env`).trim()).toBe(`ANTHROPIC_API_KEY='${ANTHROPIC_NEW}'`);
    expect(look(r, 'docker exec openclaw-gateway printenv ANTHROPIC_API_KEY').trim()).toBe(ANTHROPIC_NEW);
    expect(c.stdout).toContain('revoke the old value');
    expect(healthy(r)).toBe(true);
    noSecrets(r, c, [ANTHROPIC_OLD]);
    survived(r);
  });

  it('upgrade to a good new version: switched, healthy, previous image kept for a rollback, data kept', async () => {
    const r = need();
    const before = runningImage(r);
    expect(before).toBe(OPENCLAW_IMAGE);
    const dry = await runCli(r, ['upgrade', '--to', '2026.9.7', '--dry-run']);
    expect(dry.code, dry.stdout + dry.stderr).toBe(0);
    expect(dry.stdout).toContain('config validate');
    expect(runningImage(r)).toBe(before);
    const c = await runCli(r, ['upgrade', '--to', '2026.9.7']);
    timed('upgrade 2026.9.6 → 2026.9.7', c);
    expect(c.code, c.stdout + c.stderr).toBe(0);
    expect(runningImage(r)).toBe(`${REPO}:2026.9.7`);
    expect(healthy(r)).toBe(true);
    expect(look(r, `grep -c 'image: "${REPO}:2026.9.7"' ${OC}/docker-compose.yml`).trim()).toBe('1');
    // The previous image stays for a rollback, an older one is pruned; the journal records the version.
    expect(look(r, `docker image inspect -f '{{.Id}}' ${OPENCLAW_IMAGE}`).trim()).toMatch(/^sha256:/);
    expect(look(r, `docker image ls ${REPO} --format '{{.Tag}}' | sort`).trim().split('\n')).toEqual(['2026.9.6', '2026.9.7']);
    const journal = JSON.parse(look(r, 'cat /var/lib/claw-setup/journal.json'));
    expect(journal.answers.openclaw.version).toBe('2026.9.7');
    expect(journal.upgrades.at(-1)).toMatchObject({ from: OPENCLAW_IMAGE, to: `${REPO}:2026.9.7` });
    expect(look(r, 'ls /var/lib/claw-setup/backups/last-upgrade/')).toContain('docker-compose.yml');
    expect(armed(r)).toBe('');
    survived(r);
    noSecrets(r, c);
    // Nothing to do the second time.
    const again = await runCli(r, ['upgrade', '--to', '2026.9.7']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already runs');
  });

  it('upgrade to a version whose gateway exits: rolled back automatically, exit 2, the previous version healthy', async () => {
    const r = need();
    const id = look(r, "docker inspect -f '{{.Image}}' openclaw-gateway").trim();
    // Made now: the good upgrade before pruned every other tag.
    tagVariant(r, '2026.9.8', [
      'ENTRYPOINT ["sh", "-c", "for a; do [ \\"$a\\" = gateway ] && { echo simulated crash at start >&2; exit 1; }; done; exec tini -s -- \\"$@\\"", "sh"]',
    ]);
    const c = await runCli(r, ['upgrade', '--to', '2026.9.8']);
    timed('upgrade to a crashing version (rolled back)', c);
    expect(c.code, c.stdout + c.stderr).toBe(2);
    expect(c.stdout + c.stderr).toContain('the gateway keeps exiting');
    expect(c.stdout + c.stderr).toContain('simulated crash at start');
    expect(c.stdout + c.stderr).toContain('The gateway is running and healthy on the previous files.');
    expect(runningImage(r)).toBe(`${REPO}:2026.9.7`);
    expect(look(r, "docker inspect -f '{{.Image}}' openclaw-gateway").trim()).toBe(id);
    expect(healthy(r)).toBe(true);
    expect(JSON.parse(look(r, 'cat /var/lib/claw-setup/journal.json')).answers.openclaw.version).toBe('2026.9.7');
    expect(armed(r)).toBe('');
    survived(r);
  });

  it('upgrade to a version that rejects the config: stopped before anything switched, exit 2', async () => {
    const r = need();
    const started = look(r, "docker inspect -f '{{.State.StartedAt}}' openclaw-gateway").trim();
    tagVariant(r, '2026.9.9', [
      'ENTRYPOINT ["sh", "-c", "for a; do [ \\"$a\\" = validate ] && { echo \\"Invalid config: Unrecognized key: gateway.auth\\" >&2; exit 1; }; done; exec tini -s -- \\"$@\\"", "sh"]',
    ]);
    const c = await runCli(r, ['upgrade', '--to', '2026.9.9']);
    timed('upgrade to a version that rejects the config', c);
    expect(c.code, c.stdout + c.stderr).toBe(2);
    expect(c.stdout + c.stderr).toContain('Unrecognized key');
    // The gateway was never stopped.
    expect(look(r, "docker inspect -f '{{.State.StartedAt}}' openclaw-gateway").trim()).toBe(started);
    expect(runningImage(r)).toBe(`${REPO}:2026.9.7`);
    expect(look(r, `ls ${OC}`)).not.toContain('candidate');
    expect(healthy(r)).toBe(true);
    survived(r);
  });
});
