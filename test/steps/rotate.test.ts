// rotate as a plan: what it names, what it changes and gates on, and its server-side scripts run
// here for real (sh, a local HTTP server standing in for the gateway's authenticated API).
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answersSchema } from '../../src/answers/schema.js';
import { UserError } from '../../src/core/errors.js';
import { revealText, Secret } from '../../src/core/secret.js';
import { planSecrets, type RunAction } from '../../src/plan/action.js';
import { printPlan } from '../../src/plan/print.js';
import { generateIntoEnvArgv, planRotate, rotationTargets, tokenSwitchedArgv } from '../../steps/rotate.js';
import { base, deployed, groupOf } from '../day2-fixtures.js';
import { run, tempDir } from '../tool-runner.js';

const tmp = tempDir('rotate');
afterAll(() => tmp.cleanup());

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
