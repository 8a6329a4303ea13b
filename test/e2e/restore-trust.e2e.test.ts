// `claw-setup restore` rebuilds, it does not trust, for real: a Debian 13 test server with the real
// OpenClaw 2026.9.6 gateway (stand-in image). Archives made from a real backup and then doctored as
// a hostile server (or a hostile container writing config/) would: one whose compose file runs the
// gateway privileged, on the host's network, with the host's / mounted and root as its user, and
// whose openclaw.json opens every tool; one whose .env is a symlink to a root-only host file.
// The first restores with the planned hardening (docker inspect equal to before the restore) and
// the answers' policy keys, the data kept; the second is refused before anything is unpacked: root
// never read the link's target, and the deployment is as it was.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testhostUnavailableReason } from './testhost/testhost.js';
import { look, runCli, SUDO_PW, teardown, type CliRun, type Rig } from './rollout-kit.js';
import { deployGateway, OC, OPENCLAW_IMAGE } from './gateway-kit.js';

const unavailable = testhostUnavailableReason();
const SENTINEL = 'root-only-host-secret-e2e-3b7d91';
const MARKER = 'restore-trust-marker-8c2f';
const BK = '/var/backups/openclaw';
const bench: string[] = [];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const config = (r: Rig): Record<string, any> => JSON.parse(look(r, `cat ${OC}/config/openclaw.json`));
const healthy = (r: Rig) => look(r, 'curl -fsS -o /dev/null -w "%{http_code}" http://127.0.0.1:18789/healthz || true').trim() === '200';
const sums = (r: Rig) => look(r, `sha256sum ${OC}/docker-compose.yml ${OC}/.env ${OC}/config/openclaw.json`);
/** What the hardening is made of, as Docker runs the gateway. */
const hardening = (r: Rig) =>
  JSON.parse(
    look(
      r,
      `docker inspect -f '{"privileged":{{json .HostConfig.Privileged}},"network":{{json .HostConfig.NetworkMode}},"capDrop":{{json .HostConfig.CapDrop}},"capAdd":{{json .HostConfig.CapAdd}},"user":{{json .Config.User}},"securityOpt":{{json .HostConfig.SecurityOpt}},"readonly":{{json .HostConfig.ReadonlyRootfs}},"pids":{{json .HostConfig.PidsLimit}},"memory":{{json .HostConfig.Memory}},"mounts":{{json .Mounts}}}' openclaw-gateway`,
    ),
  ) as { privileged: boolean; network: string; capDrop: string[] | null; user: string; mounts: { Source: string; Destination: string }[] } & Record<
    string,
    unknown
  >;
const mountsOf = (h: ReturnType<typeof hardening>) => h.mounts.map((m) => `${m.Source}:${m.Destination}`).sort();
const noSentinel = (c: CliRun) => {
  for (const s of [SENTINEL, SUDO_PW]) {
    expect(c.stdout).not.toContain(s);
    expect(c.stderr).not.toContain(s);
  }
};

/** The newest backup archive, unpacked in a root-only scratch dir, doctored by `edit` (shell, in the tree), packed as `name`. */
function doctor(r: Rig, name: string, edit: string): string {
  const out = `${BK}/${name}`;
  look(
    r,
    `set -e; a=$(ls -1t ${BK}/openclaw-*.tar.gz | head -n 1); d=$(mktemp -d); tar -xzf "$a" -C "$d"; cd "$d/${OC.slice(1)}"; ${edit}; tar -czf ${out} -C "$d" ${OC.slice(1)}; rm -rf "$d"`,
  );
  return out;
}

const PRIVILEGED_COMPOSE = `services:
  openclaw-gateway:
    image: ${OPENCLAW_IMAGE}
    container_name: openclaw-gateway
    privileged: true
    network_mode: host
    user: "0:0"
    cap_add: [ALL]
    env_file: .env
    volumes:
      - /:/host
      - ./config:/home/node/.openclaw
      - ./workspace:/home/node/.openclaw/workspace
    command: ["node", "dist/index.js", "gateway", "--bind", "lan", "--port", "18789"]
    restart: unless-stopped
`;
/** Python, in the tree: openclaw.json with every tool allowed, elevated on, the sandbox's workspace writable, rate limits gone. */
const OPEN_EVERYTHING = `import json
f = 'config/openclaw.json'
c = json.load(open(f))
c['tools']['deny'] = []
c['tools']['elevated'] = {'enabled': True}
c['tools'].pop('exec', None)
c['agents']['defaults']['sandbox'] = {'mode': 'non-main', 'workspaceAccess': 'rw'}
c['gateway']['auth']['rateLimit']['maxAttempts'] = 100000
c['discovery']['mdns']['mode'] = 'full'
json.dump(c, open(f, 'w'), indent=2)
`;
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe.skipIf(unavailable !== null)(`restore rebuilds, it does not trust the archive${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let r: Rig | undefined;
  let planned: ReturnType<typeof hardening> | undefined;
  let plannedCompose = '';
  const need = () => {
    if (!r || !planned) throw new Error('no deployed test host (see the first failure)');
    return { r, planned };
  };

  beforeAll(async () => {
    ({ r } = await deployGateway(`rtrust-${process.pid % 10000}`));
    planned = hardening(r);
    plannedCompose = look(r, `sha256sum < ${OC}/docker-compose.yml`);
    // Data that must come back, then a backup of it (the daily job, now).
    look(r, `echo ${MARKER} > ${OC}/workspace/marker.txt && chown --reference=${OC}/workspace ${OC}/workspace/marker.txt`);
    look(r, 'systemctl start openclaw-backup.service');
    // A root-only host file the symlinked .env points at.
    look(r, `umask 077; echo ${SENTINEL} > /root/host-secret`);
  }, 30 * 60_000);

  afterAll(async () => {
    if (bench.length) console.log(`\n[bench] ${bench.join('\n[bench] ')}\n`);
    await teardown(r);
  }, 300_000);

  it('an archive whose .env is a symlink to a root-only host file is refused before anything is unpacked; nothing changed', async () => {
    const { r } = need();
    const bad = doctor(r, 'hostile-link.tar.gz', 'rm -f .env && ln -s /root/host-secret .env');
    expect(look(r, `tar -tvzf ${bad} | grep ' -> '`)).toContain('.env -> /root/host-secret');
    const before = sums(r);
    const atime = look(r, 'stat -c %X /root/host-secret').trim();
    const c = await runCli(r, ['restore', '--from', bad]);
    bench.push(`restore of the symlinked-.env archive: refused in ${(c.ms / 1000).toFixed(1)}s`);
    expect(c.code, c.stdout + c.stderr).toBe(2);
    expect(c.stdout + c.stderr).toContain(`${OC}/.env in the archive is a symbolic link: refused (root never follows it)`);
    noSentinel(c);
    // root never read the target (its access time is the same), nothing of it landed anywhere
    expect(look(r, 'stat -c %X /root/host-secret').trim()).toBe(atime);
    expect(look(r, `grep -rlsF ${SENTINEL} /home /var/lib/claw-setup /tmp || true`).trim()).toBe('');
    expect(sums(r)).toBe(before);
    expect(look(r, `ls -d /var/lib/claw-setup/restore ${OC}.restore ${OC}.pre-restore 2>/dev/null || true`).trim()).toBe('');
    expect(healthy(r)).toBe(true);
  });

  it("an archive with a privileged compose file and an open openclaw.json: the gateway starts with the planned hardening and the answers' policy, the data kept", async () => {
    const { r, planned } = need();
    // What the old restore started as-is.
    const bad = doctor(
      r,
      'hostile-privileged.tar.gz',
      `echo ${b64(PRIVILEGED_COMPOSE)} | base64 -d > docker-compose.yml; echo ${b64(OPEN_EVERYTHING)} | base64 -d | python3 -`,
    );
    expect(look(r, `tar -xzOf ${bad} ${OC.slice(1)}/docker-compose.yml`)).toContain('privileged: true');
    expect(JSON.parse(look(r, `tar -xzOf ${bad} ${OC.slice(1)}/config/openclaw.json`)).tools.deny).toEqual([]);
    const deny = config(r).tools.deny;
    look(r, `rm -f ${OC}/workspace/marker.txt`);
    const c = await runCli(r, ['restore', '--from', bad]);
    bench.push(`restore of the privileged archive: ${(c.ms / 1000).toFixed(1)}s`);
    expect(c.code, c.stdout + c.stderr).toBe(0);
    noSentinel(c);
    expect(c.stdout).toMatch(/done {4}docker-compose.yml from the answers/);
    expect(healthy(r)).toBe(true);
    // Docker runs the gateway exactly as planned: not privileged, not on the host's network, no / mount, caps dropped.
    const now = hardening(r);
    expect(now.privileged).toBe(false);
    expect(now.network).not.toBe('host');
    expect(now.capDrop).toContain('ALL');
    expect(mountsOf(now).some((m) => m.startsWith('/:'))).toBe(false);
    expect({ ...now, mounts: mountsOf(now) }).toEqual({ ...planned, mounts: mountsOf(planned) });
    expect(look(r, 'docker exec openclaw-gateway ls /host 2>&1 || true')).toMatch(/No such file/);
    expect(look(r, `sha256sum < ${OC}/docker-compose.yml`)).toBe(plannedCompose);
    // openclaw.json: the answers' doors and powers; the archive's data.
    const cfg = config(r);
    expect(cfg.tools.deny).toEqual(deny);
    expect(cfg.tools.elevated).toEqual({ enabled: false });
    expect(cfg.agents.defaults.sandbox).toEqual({ mode: 'off' });
    expect(cfg.gateway.auth.rateLimit.maxAttempts).toBe(10);
    expect(cfg.discovery.mdns.mode).toBe('off');
    expect(look(r, `cat ${OC}/workspace/marker.txt`).trim()).toBe(MARKER);
    expect(look(r, `stat -c '%a %U' ${OC} ${OC}/.env ${OC}/docker-compose.yml`).trim().split('\n')).toEqual(['700 deploy', '600 deploy', '600 deploy']);
    expect(look(r, `ls -d /var/lib/claw-setup/restore ${OC}.restore ${OC}.pre-restore 2>/dev/null || true`).trim()).toBe('');
    expect(look(r, 'systemctl list-timers --all --no-legend | grep claw-setup-deadman || true').trim()).toBe('');
  });
});
