import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { answersSchema } from '../src/answers/schema.js';
import { renderBackupScript } from '../templates/backup.js';
import { renderHealthScript } from '../templates/health.js';
import { run, tempDir } from './tool-runner.js';

// The backup and health scripts, run for real against a temp tree: the
// validators prove they parse and lint; these prove they do their job. Only
// the path variables at the top of each script are pointed into the temp dir,
// and docker, curl and df are stubs on PATH that record how they were called.

const tmp = tempDir('scripts');
afterAll(() => tmp.cleanup());

function writeExec(path: string, text: string) {
  writeFileSync(path, text);
  chmodSync(path, 0o755);
}
const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000);

describe('openclaw-backup', () => {
  const root = join(tmp.dir, 'backup');
  const src = join(root, 'home', 'openclaw');
  const dest = join(root, 'backups');
  const a = answersSchema.parse({ backups: { dir: '/var/backups/openclaw', keepDays: 14 } });
  const script = join(root, 'openclaw-backup');
  mkdirSync(join(src, 'config'), { recursive: true });
  mkdirSync(join(src, 'workspace'), { recursive: true });
  writeFileSync(join(src, 'docker-compose.yml'), 'services: {}\n');
  writeFileSync(join(src, '.env'), "OPENCLAW_GATEWAY_TOKEN='x'\n");
  writeFileSync(join(src, 'config', 'openclaw.json'), '{}\n');
  writeFileSync(join(src, 'workspace', 'notes.md'), 'hello\n');
  // The one line pointed into the temp tree: the source, relative to / as in production.
  const at = (dir: string) =>
    renderBackupScript(a)
      .replace(/^src=.*$/m, `src=${dir.replace(/^\/+/, '')}`)
      .replace(/^dest=.*$/m, `dest=${dest}`);
  writeExec(script, at(src));

  it('archives the compose dir, verifies it, prunes old archives and stamps last-success', () => {
    mkdirSync(dest, { recursive: true });
    chmodSync(dest, 0o755);
    const old = join(dest, 'openclaw-20200101T000000Z.tar.gz');
    const recent = join(dest, 'openclaw-20200102T000000Z.tar.gz');
    writeFileSync(old, 'old');
    writeFileSync(recent, 'recent');
    utimesSync(old, hoursAgo(24 * 20), hoursAgo(24 * 20));
    utimesSync(recent, hoursAgo(24 * 3), hoursAgo(24 * 3));

    const r = run('bash', [script]);
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(old)).toBe(false);
    expect(existsSync(recent)).toBe(true);
    const made = readdirSync(dest).filter((f) => /^openclaw-\d{8}T\d{6}Z\.tar\.gz$/.test(f) && !f.startsWith('openclaw-2020'));
    expect(made).toHaveLength(1);
    const archive = join(dest, made[0]);
    expect(statSync(archive).mode & 0o777).toBe(0o600);
    // An existing backup directory keeps its mode (the archive itself is 600).
    expect(statSync(dest).mode & 0o777).toBe(0o755);
    const list = run('tar', ['-tzf', archive]).stdout.split('\n');
    const rel = src.replace(/^\/+/, '');
    expect(list).toEqual(expect.arrayContaining(['.env', 'docker-compose.yml', 'config/openclaw.json', 'workspace/notes.md'].map((f) => `${rel}/${f}`)));
    // Restoring with `tar -xzf … -C /` (here: into a scratch root) gives back the same tree.
    const restored = join(root, 'restored');
    mkdirSync(restored, { recursive: true });
    expect(run('tar', ['-xzf', archive, '-C', restored]).status).toBe(0);
    expect(readFileSync(join(restored, rel, 'config', 'openclaw.json'), 'utf8')).toBe('{}\n');
    const stamp = readFileSync(join(dest, 'last-success'), 'utf8');
    expect(stamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n/);
    expect(stamp).toContain(archive);
    expect(readdirSync(dest).some((f) => f.endsWith('.partial'))).toBe(false);
  });

  it('fails loudly, keeps nothing and leaves last-success alone when the archive does not read back', () => {
    const bin = join(root, 'bad-tar-bin');
    mkdirSync(bin, { recursive: true });
    // A tar that "succeeds" at creating but writes garbage; listing uses the real tar.
    writeExec(
      join(bin, 'tar'),
      `#!/bin/sh
if [ "$1" = --create ]; then
  while [ "$1" != --file ]; do shift; done
  printf 'not a tarball' > "$2"
  exit 0
fi
exec /usr/bin/env PATH=/usr/bin:/bin tar "$@"
`,
    );
    const before = readFileSync(join(dest, 'last-success'), 'utf8');
    const count = readdirSync(dest).length;
    const r = run('bash', [script], { cwd: root, env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/FAILED: .*\.partial does not read back/);
    expect(readFileSync(join(dest, 'last-success'), 'utf8')).toBe(before);
    expect(readdirSync(dest)).toHaveLength(count);
  });

  it('fails when there is nothing to back up', () => {
    writeExec(join(root, 'missing'), at(join(root, 'nowhere')));
    const r = run('bash', [join(root, 'missing')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('does not exist');
  });
});

describe('openclaw-health', () => {
  const root = join(tmp.dir, 'health');
  const bin = join(root, 'bin');
  const backups = join(root, 'backups');
  const state = join(root, 'state', 'health-state');
  const calls = join(root, 'calls');
  mkdirSync(bin, { recursive: true });
  mkdirSync(backups, { recursive: true });
  mkdirSync(calls, { recursive: true });
  const a = answersSchema.parse({
    backups: { dir: '/var/backups/openclaw' },
    monitoring: { ntfyTopic: 'claw-test', diskWarnPercent: 85, memWarnPercent: 99, backupMaxAgeHours: 36, discordWebhook: { env: 'HOOK' } },
  });
  const script = join(root, 'openclaw-health');
  writeExec(
    script,
    renderHealthScript(a)
      .replace(/^state_file=.*$/m, `state_file=${state}`)
      .replace(/^backup_dir=.*$/m, `backup_dir=${backups}`),
  );
  // Stubs: docker reports $FAKE_RUNNING; df reports $FAKE_DISK%; curl records argv (and, for
  // alerts, which pass their URL with -K -, stdin) per call, and answers the probe with $FAKE_HEALTH_RC.
  writeExec(join(bin, 'docker'), '#!/bin/sh\necho "$FAKE_RUNNING ${FAKE_RESTARTS:-0}"\n');
  writeExec(join(bin, 'df'), '#!/bin/sh\nprintf \'Use%%\\n %s%%\\n\' "$FAKE_DISK"\n');
  writeExec(
    join(bin, 'curl'),
    `#!/bin/sh
n=$(ls "$CALLS" | wc -l)
printf '%s\\n' "$@" > "$CALLS/$n.argv"
case " $* " in
  *" -K - "*) cat > "$CALLS/$n.stdin"; exit "$FAKE_NOTIFY_RC" ;;
esac
exit "$FAKE_HEALTH_RC"
`,
  );
  const WEBHOOK = 'https://discord.com/api/webhooks/1/SENTINEL-webhook-secret';
  const NTFY = 'https://ntfy.sh/claw-test';

  function check(fake: { running?: string; disk?: number; health?: number; notify?: number; restarts?: number }) {
    for (const f of readdirSync(calls)) run('rm', ['-f', join(calls, f)]);
    const env = {
      ...process.env,
      PATH: `${bin}:${process.env.PATH}`,
      CALLS: calls,
      FAKE_RUNNING: fake.running ?? 'true',
      FAKE_DISK: String(fake.disk ?? 10),
      FAKE_HEALTH_RC: String(fake.health ?? 0),
      FAKE_NOTIFY_RC: String(fake.notify ?? 0),
      FAKE_RESTARTS: String(fake.restarts ?? 0),
      NTFY_URL: NTFY,
      DISCORD_WEBHOOK_URL: WEBHOOK,
    };
    const r = run('bash', [script], { env });
    const argvs = readdirSync(calls)
      .filter((f) => f.endsWith('.argv'))
      .map((f) => readFileSync(join(calls, f), 'utf8'));
    const stdins = readdirSync(calls)
      .filter((f) => f.endsWith('.stdin'))
      .map((f) => readFileSync(join(calls, f), 'utf8'));
    return { ...r, argvs, notifications: stdins.length, stdins };
  }

  it('is quiet and succeeds when everything is healthy', () => {
    writeFileSync(join(backups, 'last-success'), 'now\n');
    const r = check({});
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('all checks pass');
    expect(r.notifications).toBe(0);
  });

  it('alerts ntfy and Discord once per change, never with a URL in argv', () => {
    const r = check({ disk: 95, running: 'false' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('disk / is 95% full (limit 85%)');
    expect(r.stderr).toContain('container openclaw-gateway is not running');
    expect(r.notifications).toBe(2);
    expect(r.stdins).toEqual(expect.arrayContaining([`url = "${NTFY}"\n`, `url = "${WEBHOOK}"\n`]));
    for (const argv of r.argvs) {
      expect(argv).not.toContain('SENTINEL');
      expect(argv).not.toContain('ntfy.sh');
    }
    const discord = r.argvs.find((x) => x.includes('Content-Type: application/json'))!;
    const body = JSON.parse(discord.split('\n')[discord.split('\n').indexOf('--data-binary') + 1]);
    expect(body.content).toContain('disk / is 95% full');
    expect(body.content).toContain('\n');

    const again = check({ disk: 95, running: 'false' });
    expect(again.status).toBe(1);
    expect(again.notifications).toBe(0);
  });

  it('reports recovery once', () => {
    const r = check({});
    expect(r.status).toBe(0);
    expect(r.notifications).toBe(2);
    expect(r.argvs.join('\n')).toContain('recovered');
    expect(check({}).notifications).toBe(0);
  });

  it('retries an alert that could not be delivered', () => {
    const failed = check({ health: 7, notify: 22 });
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain('gateway does not answer http://127.0.0.1:18789/healthz');
    expect(failed.stderr).toContain('could not deliver');
    const retried = check({ health: 7 });
    expect(retried.notifications).toBe(2);
    expect(check({ health: 7 }).notifications).toBe(0);
  });

  it('alerts on a crash loop: the restart count rose since the last check (once per rise)', () => {
    writeFileSync(join(backups, 'last-success'), 'now\n');
    check({ restarts: 2 });
    expect(check({ restarts: 2 }).status).toBe(0);
    const r = check({ restarts: 5 });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('the gateway restarted 3 time(s) since the last check (5 in all): a crash loop?');
    expect(r.notifications).toBe(2);
    expect(check({ restarts: 5 }).status).toBe(0);
  });

  it('flags a stale backup', () => {
    check({});
    utimesSync(join(backups, 'last-success'), hoursAgo(40), hoursAgo(40));
    const r = check({});
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/last successful backup: 4\dh ago \(limit 36h\)/);
  });
});
