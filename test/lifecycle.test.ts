// rotate and upgrade as plans: what they change, what they gate on, and the server-side scripts
// run here for real (sh, a fake `docker` on PATH, a local HTTP server standing in for the gateway).
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answersSchema } from '../src/answers/schema.js';
import { UserError } from '../src/core/errors.js';
import { revealText, Secret } from '../src/core/secret.js';
import { planSecrets, type GuardedGroup, type RunAction } from '../src/plan/action.js';
import { printPlan } from '../src/plan/print.js';
import type { Deployed } from '../src/plan/deployed-state.js';
import { generateIntoEnvArgv, planRotate, rotationTargets, tokenSwitchedArgv } from '../steps/rotate.js';
import { parseRunningImage, parseUpgradeTarget, planUpgrade, pruneArgv } from '../steps/upgrade.js';
import { renderCompose } from '../templates/compose.js';
import { renderOpenclawJson } from '../templates/openclaw-json.js';
import { run, tempDir } from './tool-runner.js';
import { runChange } from '../src/cli/deployment.js';
import type { CliArgs } from '../src/cli/args.js';
import { StepFailedError } from '../src/core/errors.js';
import type { Io } from '../src/core/io.js';
import { RecordingExecutor } from '../src/exec/recording.js';
import { NO_ARMED_GROUP, settledChange, settleStaleGroups } from '../src/plan/guard.js';
import type { OpenLink } from '../src/rollout/session.js';

const tmp = tempDir('lifecycle');
afterAll(() => tmp.cleanup());
const base = answersSchema.parse({
  target: { host: '203.0.113.10' },
  deployUser: { authorizedKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB7n4h0o3J6w0wz0h0h0h0h0h0h0h0h0h0h0h0h0h0h0 x'] },
  openclaw: {
    providers: { anthropic: { env: 'ANTHROPIC_API_KEY' } },
    channels: [{ type: 'telegram', botToken: { env: 'TELEGRAM_BOT_TOKEN' }, allowFrom: ['123456789'] }],
  },
});
const deployed = (over: Partial<Deployed> = {}): Deployed => ({
  configText: renderOpenclawJson(base),
  envKeys: ['OPENCLAW_GATEWAY_TOKEN', 'ANTHROPIC_API_KEY', 'TELEGRAM_BOT_TOKEN', 'TZ', 'HTTPS_PROXY'],
  journal: { tool: 'claw-setup', answers: base },
  journalAnswers: base,
  ...over,
});
const groupOf = (actions: readonly { kind: string }[]) => actions.find((a) => a.kind === 'guarded') as GuardedGroup;

describe('rotate: what it names', () => {
  it('gateway-token, a known secret the .env holds, or --all (every one it holds); anything else is refused with the list', () => {
    expect(rotationTargets(deployed(), 'gateway-token', false).map((r) => r.name)).toEqual(['OPENCLAW_GATEWAY_TOKEN']);
    expect(rotationTargets(deployed(), 'TELEGRAM_BOT_TOKEN', false)[0]).toMatchObject({ channel: 'telegram', generated: false });
    expect(rotationTargets(deployed(), undefined, true).map((r) => r.name)).toEqual(['OPENCLAW_GATEWAY_TOKEN', 'ANTHROPIC_API_KEY', 'TELEGRAM_BOT_TOKEN']);
    expect(() => rotationTargets(deployed(), 'HTTPS_PROXY', false)).toThrow(/holds no HTTPS_PROXY/);
    expect(() => rotationTargets(deployed(), 'OPENAI_API_KEY', false)).toThrow(UserError);
    try {
      rotationTargets(deployed(), undefined, false);
      expect.unreachable();
    } catch (e) {
      expect((e as UserError).howToFix).toContain('gateway-token, ANTHROPIC_API_KEY, TELEGRAM_BOT_TOKEN');
    }
    expect(() => rotationTargets(deployed(), 'gateway-token', true)).toThrow(/not both/);
  });
});

describe('rotate: the plan', () => {
  const TG = Secret.of('TELEGRAM_BOT_TOKEN', '7700112233:AAUnitRotatedSentinel_0123456789', 'test');
  const all = rotationTargets(deployed(), undefined, true);
  const AN = Secret.of('ANTHROPIC_API_KEY', 'sk-ant-unit-RotatedSentinel', 'test');
  const rp = planRotate(base, all, [TG, AN], '203.0.113.10');
  const g = groupOf(rp.plan.steps[0].actions);

  it('a dated copy, then a guarded group over .env: new values, stop, recreate; gates: health, token switched, the channel probe', () => {
    expect(rp.plan.steps[0].actions.map((a) => a.kind)).toEqual(['run', 'guarded', 'run']);
    expect(g.backup).toEqual(['/home/deploy/openclaw/.env']);
    expect(g.actions.map((a) => a.title)).toEqual([
      'OPENCLAW_GATEWAY_TOKEN: a new token, made on the server (never shown)',
      '.env: new ANTHROPIC_API_KEY, TELEGRAM_BOT_TOKEN; values on stdin',
      'stop the gateway (cleanly) before the switch',
      'recreate the gateway with the new .env',
    ]);
    expect(g.gates.map((x) => x.title)).toEqual([
      'the gateway answers /healthz on 127.0.0.1',
      'the new gateway token opens the authenticated API; the old one is refused',
      "OpenClaw's own probe of the telegram channel (the credentials work)",
    ]);
    expect(g.afterRestore.join('\n')).toContain('--force-recreate');
    expect(rp.after.join('\n')).toMatch(/Control UI/);
    expect(rp.after.join('\n')).toMatch(/TELEGRAM_BOT_TOKEN: revoke the old value/);
  });

  it('typed values travel only on stdin, in the order of the names; the printed plan holds none', () => {
    const typed = g.actions[1] as RunAction;
    expect(revealText(typed.stdin!)).toBe('sk-ant-unit-RotatedSentinel\n7700112233:AAUnitRotatedSentinel_0123456789\n');
    const printed = printPlan(rp.plan, { host: '203.0.113.10', identityFile: '~/.ssh/id_ed25519' });
    expect(printed).not.toContain('RotatedSentinel');
    expect(printed).toContain('<secret:TELEGRAM_BOT_TOKEN>');
    expect(JSON.stringify(g.actions.map((a) => (a.kind === 'run' ? a.argv : [])))).not.toContain('RotatedSentinel');
    expect(planSecrets(rp.plan).map((s) => s.name)).toEqual(['ANTHROPIC_API_KEY', 'TELEGRAM_BOT_TOKEN']);
  });

  it('a typed secret without a new value is refused before anything is planned', () => {
    expect(() => planRotate(base, all, [TG], 'h')).toThrow(/no new value for ANTHROPIC_API_KEY/);
  });
});

describe('rotate: the server-side scripts, run here', () => {
  const file = join(tmp.dir, 'rot.env');
  it('a new 64-hex token is made and written on the server side; other lines byte for byte, mode 600; never in argv', () => {
    writeFileSync(file, "# keep\nOPENCLAW_GATEWAY_TOKEN='old-token-0123456789abcdef'\nTZ=UTC\n", { mode: 0o644 });
    const argv = generateIntoEnvArgv(file, 'OPENCLAW_GATEWAY_TOKEN');
    const r = run(argv[0], argv.slice(1));
    expect(r.status, r.stderr).toBe(0);
    const text = readFileSync(file, 'utf8');
    const m = /^OPENCLAW_GATEWAY_TOKEN='([0-9a-f]+)'$/m.exec(text);
    expect(m?.[1]).toMatch(/^[0-9a-f]{64}$/);
    expect(text.startsWith('# keep\nTZ=UTC\n')).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = run(argv[0], argv.slice(1));
    expect(again.status).toBe(0);
    expect(readFileSync(file, 'utf8')).not.toContain(m![1]);
  });

  describe('the token gate against a stand-in API (200 for the current token, 401 otherwise)', () => {
    let server: Server;
    let port = 0;
    let accepted = '';
    beforeAll(async () => {
      server = createServer((req, res) => {
        res.statusCode = req.method === 'POST' && req.headers.authorization === `Bearer ${accepted}` ? 200 : 401;
        res.end();
      });
      await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
      port = (server.address() as { port: number }).port;
    });
    afterAll(() => server.close());
    const gate = (now: string, before: string) => {
      const dir = join(tmp.dir, `gate-${now}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'now.env'), `OPENCLAW_GATEWAY_TOKEN='${now}'\n`);
      writeFileSync(join(dir, 'before.env'), `OPENCLAW_GATEWAY_TOKEN='${before}'\n`);
      const a = answersSchema.parse({ ...base, openclaw: { ...base.openclaw, gatewayPort: port } });
      const argv = tokenSwitchedArgv(a, join(dir, 'before.env')).map((x) => (x === '/home/deploy/openclaw/.env' ? join(dir, 'now.env') : x));
      // Async: the stand-in server answers from this process's event loop.
      return new Promise<{ status: number | null; stdout: string; stderr: string }>((res) =>
        execFile(argv[0], argv.slice(1), (err, stdout, stderr) => res({ status: err ? ((err.code as number) ?? 1) : 0, stdout, stderr })),
      );
    };
    it('passes when the new token is accepted and the old refused; fails when the old still works or the new is refused', async () => {
      accepted = 'new-token';
      const ok = await gate('new-token', 'old-token');
      expect(ok.status, ok.stderr).toBe(0);
      expect(ok.stdout).toContain('new token accepted, old token refused');
      accepted = 'old-token';
      const stale = await gate('new-token', 'old-token');
      expect(stale.status).not.toBe(0);
      expect(stale.stderr).toContain('the new token was refused (HTTP 401)');
    });
  });
});

describe('upgrade: the plan', () => {
  const next = answersSchema.parse({ ...base, openclaw: { ...base.openclaw, version: '2026.10.1' } });
  const current = parseRunningImage('ghcr.io/openclaw/openclaw:2026.9.6 sha256:aaaa ghcr.io/openclaw/openclaw@sha256:bbbb\n');
  const up = planUpgrade(base, next, deployed(), current, '203.0.113.10');
  const actions = up.plan.steps[0].actions;

  it('backup, dated copy, image, candidate compose validated by the NEW version before the guarded switch; prune and journal after', () => {
    expect(actions.map((a) => a.title)).toEqual([
      'a backup now (the daily backup service)',
      'keep a dated copy of docker-compose.yml and openclaw.json and .env',
      'get the image ghcr.io/openclaw/openclaw:2026.10.1 (pulled unless Docker has it)',
      'candidate docker-compose.yml naming ghcr.io/openclaw/openclaw:2026.10.1',
      'OpenClaw 2026.10.1 accepts the config as it is (its own validator, before anything switches)',
      'switch the gateway to ghcr.io/openclaw/openclaw:2026.10.1, prove it healthy, or go back to ghcr.io/openclaw/openclaw:2026.9.6',
      'remove older ghcr.io/openclaw/openclaw images (kept: ghcr.io/openclaw/openclaw:2026.10.1 and ghcr.io/openclaw/openclaw:2026.9.6 for a rollback)',
      'journal: the version now deployed, and the one before (no secrets)',
    ]);
    const validate = actions[4] as RunAction;
    expect(validate.argv.join(' ')).toContain(
      '-f /home/deploy/openclaw/docker-compose.yml.candidate run --rm --no-deps -T openclaw-gateway node dist/index.js config validate',
    );
    const g = groupOf(actions);
    expect(g.backup).toEqual(['/home/deploy/openclaw/docker-compose.yml', '/home/deploy/openclaw/config/openclaw.json']);
    expect(g.gates.map((x) => x.title)).toEqual([
      'the gateway answers /healthz on 127.0.0.1',
      "OpenClaw's own probe of the telegram channel (the credentials work)",
    ]);
    expect(g.afterRestore.join('\n')).toContain('--force-recreate');
    const journal = JSON.parse(revealText((actions[7] as { content: Parameters<typeof revealText>[0] }).content));
    expect(journal.answers.openclaw.version).toBe('2026.10.1');
    expect(journal.upgrades.at(-1)).toEqual({
      from: 'ghcr.io/openclaw/openclaw:2026.9.6',
      to: 'ghcr.io/openclaw/openclaw:2026.10.1',
      fromImageId: 'sha256:aaaa',
    });
    expect(up.changes).toBe(true);
    expect(planUpgrade(base, base, deployed(), current, 'h').changes).toBe(false);
  });

  it('a digest pins the exact image in the compose file; --to is validated', () => {
    const d = `sha256:${'ab'.repeat(32)}`;
    expect(parseUpgradeTarget(`2026.10.1@${d}`)).toEqual({ version: '2026.10.1', digest: d });
    expect(parseUpgradeTarget('2026.10.1')).toEqual({ version: '2026.10.1' });
    for (const bad of ['latest', '2026.10.1;rm -rf /', '2026.10.1@sha256:xyz', '2026.10.1 ', '$(id)'])
      expect(() => parseUpgradeTarget(bad), bad).toThrow(UserError);
    const pinned = answersSchema.parse({ ...base, openclaw: { ...base.openclaw, version: '2026.10.1', digest: d } });
    expect(renderCompose(pinned)).toContain(`image: "ghcr.io/openclaw/openclaw:2026.10.1@${d}"`);
    expect(() => answersSchema.parse({ ...base, openclaw: { ...base.openclaw, digest: 'sha256:nothex' } })).toThrow(/64 lowercase hex/);
  });

  it('reads the running image, or none', () => {
    expect(current).toEqual({ ref: 'ghcr.io/openclaw/openclaw:2026.9.6', id: 'sha256:aaaa', digest: 'ghcr.io/openclaw/openclaw@sha256:bbbb' });
    expect(parseRunningImage('- - -\n')).toBeNull();
    expect(parseRunningImage('ghcr.io/openclaw/openclaw:2026.9.6 sha256:aaaa -\n')?.digest).toBeNull();
  });

  it('prune removes only older tags of the repository, keeping the new and the previous (run with a fake docker)', () => {
    const bin = join(tmp.dir, 'fakebin');
    mkdirSync(bin, { recursive: true });
    const log = join(tmp.dir, 'docker.log');
    writeFileSync(log, '');
    writeFileSync(
      join(bin, 'docker'),
      `#!/bin/sh\necho "$*" >> ${log}\nif [ "$1 $2" = "image ls" ]; then printf '%s\\n' r/o:2026.9.5 r/o:2026.9.6 r/o:2026.10.1 'r/o:<none>'; fi\n`,
    );
    chmodSync(join(bin, 'docker'), 0o755);
    const argv = pruneArgv('r/o', [`r/o:2026.10.1@sha256:${'c'.repeat(64)}`, 'r/o:2026.9.6']);
    const r = run(argv[0], argv.slice(1), { env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('removed r/o:2026.9.5');
    expect(readFileSync(log, 'utf8')).not.toMatch(/image rm r\/o:2026\.(9\.6|10\.1)/);
  });
});

describe('every change command: stale armed groups settled first, "nothing armed" gated last', () => {
  const rp = planRotate(base, rotationTargets(deployed(), 'gateway-token', false), [], 'h');
  const link = (exec: RecordingExecutor) =>
    ({ exec, addSecrets: () => undefined, counters: () => ({ connections: 1, roundTrips: 0, raceRetries: 0 }) }) as unknown as OpenLink;
  const change = (exec: RecordingExecutor, dryRun: boolean, io: Io = { stdout: () => undefined } as unknown as Io) =>
    runChange({ link: link(exec), signal: new AbortController().signal, out: () => undefined, answers: base, host: 'h', local: base }, rp.plan, {
      what: 'rotate OPENCLAW_GATEWAY_TOKEN',
      restored: 'the previous .env is back',
      prompts: null,
      args: { dryRun } as CliArgs,
      io,
    });
  const isSettle = (argv: readonly string[]) => argv.join(' ') === settleStaleGroups().argv.join(' ');

  it('settledChange: the settle step first, the change untouched, the NO_ARMED_GROUP gate last', () => {
    const s = settledChange(rp.plan);
    expect(s.steps[0]).toMatchObject({ id: 'preflight', actions: [settleStaleGroups()] });
    expect(s.steps.slice(1, -1)).toEqual(rp.plan.steps);
    expect(s.steps.at(-1)!.actions).toEqual([expect.objectContaining({ kind: 'gate', check: { type: 'remote', argv: NO_ARMED_GROUP } })]);
  });

  it('runChange prints it settled (rotate, upgrade, add/remove-channel and restore all run through it)', async () => {
    let text = '';
    await change(new RecordingExecutor(), true, { stdout: (s: string) => (text += s) } as unknown as Io);
    const at = (s: string) => text.indexOf(s);
    expect(at('restore what an interrupted earlier run left armed')).toBeGreaterThan(-1);
    expect(at('restore what an interrupted earlier run left armed')).toBeLessThan(at('a new token, made on the server'));
    expect(at('a new token, made on the server')).toBeLessThan(at('no dead-man switch is left armed'));
  });

  it('run: a group left armed is restored before the first change; a timer still armed at the end fails the run', async () => {
    const ok = new RecordingExecutor();
    expect(await change(ok, false)).toBe(0);
    const runs = ok.calls.flatMap((c) => (c.op === 'run' ? [c] : []));
    const settle = runs.findIndex((c) => c.purpose === 'action' && isSettle(c.argv));
    const firstChange = runs.findIndex((c) => c.purpose === 'action' && !isSettle(c.argv));
    const gateAt = runs.findIndex((c) => c.purpose === 'gate' && c.argv === NO_ARMED_GROUP);
    expect(settle).toBeGreaterThan(-1);
    expect(settle).toBeLessThan(firstChange);
    expect(gateAt).toBeGreaterThan(runs.findIndex((c) => c.argv.join(' ').includes('deadman.sh disarm')));
    const stillArmed = new RecordingExecutor((c) => (c.op === 'run' && c.argv === NO_ARMED_GROUP ? { code: 1 } : undefined));
    await expect(change(stillArmed, false)).rejects.toThrow(StepFailedError);
  });
});
