// steps/room.ts and the compose settings it goes with: the container is a small room (its own uid, a
// read-only root with tmpfs, caps, the web terminal off, sshd/tailscaled guarded first). The shell
// pieces run for real here on scratch directories, with stand-ins for getent/groupadd/useradd/docker
// on PATH (this machine's accounts are never touched). The guard's own text: test/templates/host-guard.test.ts.
import { chmodSync, lstatSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { answersSchema, type Answers } from '../../src/answers/schema.js';
import type { RunAction, WriteAction } from '../../src/plan/action.js';
import { composeConfig, renderCompose, GATEWAY_TMPFS } from '../../templates/compose.js';
import { openclawConfig } from '../../templates/openclaw-json.js';
import { CONTAINER_UID, CONTAINER_USER } from '../../templates/gateway-shared.js';
import { containerAccount, guardDropInPath, migrateToContainerUid, workspaceMountPoint } from '../../steps/room.js';
import { openclawConfigMirror } from '../openclaw-schema-mirror.js';
import { contextFor, planFor } from '../helpers.js';
import { loadAnswers } from '../template-variants.js';
import { run, tempDir } from '../tool-runner.js';

const tmp = tempDir('room');
afterAll(() => tmp.cleanup());
const answers = (openclaw: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Answers =>
  answersSchema.parse({ ...extra, openclaw: { providers: { anthropic: { env: 'ANTHROPIC_API_KEY' } }, ...openclaw } });
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const gateway = (a: Answers): Record<string, any> => (composeConfig(a) as any).services['openclaw-gateway'];
const isRoot = process.getuid?.() === 0;

describe('compose: the gateway container', () => {
  it('runs as its own uid, not 1000 (the first adduser account, i.e. the deploy user)', () => {
    const s = gateway(answers());
    expect(CONTAINER_UID).not.toBe('1000');
    expect(s.user).toBe(`${CONTAINER_UID}:${CONTAINER_UID}`);
    expect(renderCompose(answers())).not.toMatch(/\b1000:1000\b/);
  });

  it('has a read-only root with noexec tmpfs owned by the container for /tmp and HOME, sized', () => {
    const s = gateway(answers());
    expect(s.read_only).toBe(true);
    expect(s.environment.HOME).toBe('/home/node');
    expect(s.tmpfs).toEqual([
      `/tmp:rw,noexec,nosuid,nodev,size=256m,mode=1777,uid=${CONTAINER_UID},gid=${CONTAINER_UID}`,
      `/home/node:rw,noexec,nosuid,nodev,size=512m,mode=0700,uid=${CONTAINER_UID},gid=${CONTAINER_UID}`,
    ]);
    // The config volume lands inside the HOME tmpfs (Docker mounts the parent first).
    expect(s.volumes[0]).toMatch(/:\/home\/node\/\.openclaw$/);
    expect(GATEWAY_TMPFS.map((t) => t.path)).toEqual(['/tmp', '/home/node']);
  });

  it('is capped (memory, processes, CPU), with half the default CPU weight and a raised OOM score (the behaviour: room.e2e)', () => {
    const s = gateway(answers({ memoryLimit: '1536m', pidsLimit: 256, cpus: 1.5 }));
    expect(s).toMatchObject({ mem_limit: '1536m', pids_limit: 256, cpus: 1.5, cpu_shares: 512, oom_score_adj: 500 });
    expect(gateway(answers()).cpus).toBe(1);
  });

  it('refuses limits that would leave the gateway no room or the host none', () => {
    for (const bad of [{ memoryLimit: '1m' }, { memoryLimit: '255m' }, { cpus: 0 }, { cpus: 0.1 }, { cpus: '2' }, { terminal: 'yes' }]) {
      expect(answersSchema.safeParse({ openclaw: bad }).success, JSON.stringify(bad)).toBe(false);
    }
    expect(answersSchema.safeParse({ openclaw: { memoryLimit: '256m', cpus: 0.25 } }).success).toBe(true);
  });
});

describe('openclaw.json: the web terminal', () => {
  it('is off unless the answers ask for it, and the key passes the strict schema mirror', () => {
    for (const terminal of [undefined, false, true]) {
      const a = answers(terminal === undefined ? {} : { terminal });
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const c = openclawConfig(a) as any;
      expect(c.gateway.terminal).toEqual({ enabled: terminal === true });
      expect(openclawConfigMirror.safeParse(c).error?.issues ?? []).toEqual([]);
    }
    expect(openclawConfigMirror.safeParse({ gateway: { mode: 'local', terminal: { enabled: false, frobnicate: 1 } } }).success).toBe(false);
  });
});

describe('the sshd/tailscaled guard in the openclaw step', () => {
  it('guards ssh.service always and tailscaled.service with Tailscale, first in the openclaw step', () => {
    for (const [variant, units] of [
      ['minimal', ['ssh.service']],
      ['tailscale-only-ssh', ['ssh.service', 'tailscaled.service']],
    ] as const) {
      const step = planFor(loadAnswers(variant)).plan.steps.find((s) => s.id === 'openclaw')!;
      const writes = step.actions.filter((x): x is WriteAction => x.kind === 'write' && x.path.endsWith('claw-setup-guard.conf'));
      expect(writes.map((w) => w.path)).toEqual(units.map(guardDropInPath));
      const reload = step.actions.findIndex((x) => x.kind === 'run' && x.argv.join(' ').includes('daemon-reload'));
      expect((step.actions[reload] as RunAction).when).toBe('changed');
      // before anything that touches the container
      const firstContainer = step.actions.findIndex((x) => x.title.includes('create ') && x.title.includes('/openclaw'));
      expect(reload).toBeLessThan(firstContainer);
      // the account and the uid migration come before the config is written and validated
      const titles = step.actions.map((x) => x.title);
      const account = titles.findIndex((t) => t.includes(CONTAINER_USER));
      const migrate = titles.findIndex((t) => t.startsWith('give everything in'));
      expect(titles.findIndex((t) => t.includes("the workspace volume's mount point"))).toBeGreaterThan(migrate);
      const config = titles.indexOf('openclaw.json');
      expect(account).toBeGreaterThan(-1);
      expect(account).toBeLessThan(migrate);
      expect(migrate).toBeLessThan(config);
      const cfg = step.actions[config] as WriteAction;
      expect(cfg.owner).toBe(CONTAINER_UID);
    }
    expect(contextFor(loadAnswers('minimal')).answers.openclaw.terminal).toBe(false);
  });
});

/** A PATH with stand-ins: getent reads $FAKE/passwd and $FAKE/group; the rest log their argv. */
function fakeBin(name: string, passwd: string, group: string): { env: NodeJS.ProcessEnv; log: () => string } {
  const d = join(tmp.dir, name);
  mkdirSync(join(d, 'bin'), { recursive: true });
  writeFileSync(join(d, 'passwd'), passwd);
  writeFileSync(join(d, 'group'), group);
  writeFileSync(join(d, 'log'), '');
  const getent = `#!/bin/sh\nf="${d}/$1"; case $2 in *[!0-9]*) awk -F: -v k="$2" '$1==k' "$f";; *) awk -F: -v k="$2" '$3==k' "$f";; esac | grep . || exit 2\n`;
  const logger = `#!/bin/sh\necho "$(basename "$0") $*" >> "${d}/log"\n`;
  for (const [b, text] of [
    ['getent', getent],
    ['groupadd', logger],
    ['useradd', logger],
    ['docker', logger],
  ]) {
    writeFileSync(join(d, 'bin', b), text);
    chmodSync(join(d, 'bin', b), 0o755);
  }
  return { env: { ...process.env, PATH: `${join(d, 'bin')}:${process.env.PATH}` }, log: () => readFileSync(join(d, 'log'), 'utf8') };
}
const sh = (argv: readonly string[], env: NodeJS.ProcessEnv) => run(argv[0], argv.slice(1), { env });

describe('the container account', () => {
  const a = containerAccount();
  const deploy = 'deploy:x:1000:1000::/home/deploy:/bin/bash\n';

  it('is created as a nologin system account with the fixed uid/gid when both are free', () => {
    const f = fakeBin('free', deploy, 'deploy:x:1000:\n');
    expect(sh(a.skipIf!, f.env).status).not.toBe(0);
    const r = sh(a.argv, f.env);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(f.log()).toBe(
      `groupadd --system --gid ${CONTAINER_UID} ${CONTAINER_USER}\nuseradd --system --uid ${CONTAINER_UID} --gid ${CONTAINER_UID} --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin --comment OpenClaw gateway container (claw-setup) ${CONTAINER_USER}\n`,
    );
  });

  it('is left alone when it is already there, exactly', () => {
    const f = fakeBin(
      'there',
      `${deploy}${CONTAINER_USER}:x:${CONTAINER_UID}:${CONTAINER_UID}::/nonexistent:/usr/sbin/nologin\n`,
      `${CONTAINER_USER}:x:${CONTAINER_UID}:\n`,
    );
    expect(sh(a.skipIf!, f.env).status).toBe(0);
    expect(sh(a.argv, f.env).status).toBe(0);
    expect(f.log()).toBe('');
  });

  it.each([
    ['the uid belongs to someone else', `alice:x:${CONTAINER_UID}:${CONTAINER_UID}::/home/alice:/bin/bash\n`, '', `uid ${CONTAINER_UID} belongs to user alice`],
    ['the gid belongs to another group', '', `staff2:x:${CONTAINER_UID}:\n`, `gid ${CONTAINER_UID} belongs to group staff2`],
    ['the name has another uid', `${CONTAINER_USER}:x:1001:1001::/x:/bin/sh\n`, '', `user ${CONTAINER_USER} exists with uid 1001`],
  ])('refuses, naming the owner, when %s', (_, passwd, group, message) => {
    const f = fakeBin(`clash-${message.replace(/\W+/g, '-')}`, deploy + passwd, group);
    const r = sh(a.argv, f.env);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain('Free them, then rerun');
    expect(f.log()).toBe('');
  });
});

describe.skipIf(!isRoot)('the move of an older deployment to the container uid (as root, on a scratch tree)', () => {
  it('re-owns every entry, changes links themselves and never what they point at', () => {
    const d = join(tmp.dir, 'deploy');
    const cfg = join(d, 'config');
    mkdirSync(join(cfg, 'sub/deeper'), { recursive: true });
    writeFileSync(join(cfg, 'openclaw.json'), '{}');
    writeFileSync(join(cfg, 'sub/deeper/f'), 'x');
    const outside = join(tmp.dir, 'host-secret');
    const outsideDir = join(tmp.dir, 'host-dir');
    writeFileSync(outside, 'secret', { mode: 0o600 });
    mkdirSync(outsideDir);
    writeFileSync(join(outsideDir, 'f'), 'keep');
    symlinkSync(outside, join(cfg, 'planted-file'));
    symlinkSync(outsideDir, join(cfg, 'sub/planted-dir'));
    run('chown', ['-R', '-h', '1000:1000', cfg]);
    const m = migrateToContainerUid(cfg);
    const f = fakeBin('migrate', '', '');
    expect(sh(m.skipIf!, f.env).status).not.toBe(0);
    const r = sh(m.argv, f.env);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(f.log()).toBe('docker stop --time 30 openclaw-gateway\n');
    for (const p of ['', 'openclaw.json', 'sub', 'sub/deeper/f', 'planted-file', 'sub/planted-dir']) {
      const st = lstatSync(join(cfg, p));
      expect(`${p} ${st.uid}:${st.gid}`).toBe(`${p} ${CONTAINER_UID}:${CONTAINER_UID}`);
    }
    for (const p of [outside, outsideDir, join(outsideDir, 'f')]) expect(`${statSync(p).uid}:${statSync(p).gid}`).toBe('0:0');
    expect(sh(m.skipIf!, f.env).status).toBe(0);
  });

  it("makes the workspace volume's mount point the container's, and never touches a link planted there", () => {
    const cfg = join(tmp.dir, 'mp', 'config');
    mkdirSync(cfg, { recursive: true });
    const w = workspaceMountPoint(cfg);
    expect(sh(w.skipIf!, process.env).status).not.toBe(0);
    expect(sh(w.argv, process.env).status).toBe(0);
    const st = lstatSync(join(cfg, 'workspace'));
    expect([st.isDirectory(), st.uid, st.mode & 0o777]).toEqual([true, Number(CONTAINER_UID), 0o700]);
    expect(sh(w.skipIf!, process.env).status).toBe(0);
    // a link in its place: skipped, and the command itself refuses it (mkdir does not follow)
    const other = join(tmp.dir, 'mp', 'config2');
    mkdirSync(other);
    symlinkSync(tmp.dir, join(other, 'workspace'));
    expect(sh(workspaceMountPoint(other).skipIf!, process.env).status).toBe(0);
    expect(sh(workspaceMountPoint(other).argv, process.env).status).not.toBe(0);
    expect(statSync(tmp.dir).uid).toBe(0);
  });
});
