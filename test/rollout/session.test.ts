// The one rollout session: the plan, the secrets it carries, and the next steps as data, the same
// for every front end.
import { describe, expect, it } from 'vitest';
import { nextStepLine } from '../../src/plan/action.js';
import { Secret } from '../../src/core/secret.js';
import { assumedFacts } from '../../src/plan/facts.js';
import { applyRun, nextSteps, planOffline, planRun, runAndReport } from '../../src/rollout/session.js';
import { planFiles, run, type Plan } from '../../src/plan/action.js';
import { CancelledError, StepFailedError } from '../../src/core/errors.js';
import { RecordingExecutor, type Recorded } from '../../src/exec/recording.js';
import { revealText } from '../../src/core/secret.js';
import { renderOpenclawJson } from '../../templates/openclaw-json.js';
import { readAnswers } from '../helpers.js';

const EXAMPLE = new URL('../../examples/answers.json5', import.meta.url).pathname;
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGz3bWxuYXhqZ2l6eW5wYnNvZ2lmdGJ4cW5sa3V6cXk1 me@laptop';

describe('rollout session', () => {
  const answers = readAnswers(EXAMPLE);

  it('says what to do next as data: one login command, how to connect, how to read the token', () => {
    const run = planOffline({ answers, keys: [KEY], env: {} });
    const next = nextSteps(run);
    const login = next.filter((n) => n.kind === 'login');
    expect(login).toEqual([
      {
        kind: 'login',
        text: 'log in from now on with',
        command: `ssh -p ${answers.ssh.port} ${answers.deployUser.name}@${answers.target.host}`,
        aside: '(root and password logins are off)',
      },
    ]);
    expect(next.find((n) => n.kind === 'token')?.command).toBe(
      `ssh -p ${answers.ssh.port} ${answers.deployUser.name}@${answers.target.host} sudo grep OPENCLAW_GATEWAY_TOKEN /home/${answers.deployUser.name}/openclaw/.env`,
    );
    // the printed plan shows the same words
    for (const n of next) expect(run.text).toContain(`# NOTE: ${nextStepLine(n)}`);
  });

  it('a plan stopped before sshd is tightened tells no new login', () => {
    const run = planOffline({ answers: { ...answers, stopBefore: 'ssh' }, keys: [KEY], env: {} });
    expect(nextSteps(run).some((n) => n.kind === 'login')).toBe(false);
  });

  it('on a probed server it keeps the gateway token a first run generated, and scrubs it', async () => {
    const token = Secret.of('OPENCLAW_GATEWAY_TOKEN', 'a'.repeat(64), 'the server');
    const seen: string[] = [];
    const link = { facts: assumedFacts('debian-12', 'root', '198.51.100.7'), readGatewayToken: async (p: string) => (seen.push(p), token) };
    const run = await planRun({ answers: { ...answers, openclaw: { ...answers.openclaw, gatewayToken: 'generate' } }, keys: [KEY], env: {}, link });
    expect(seen).toEqual([run.ctx.paths.env]);
    expect(run.ctx.secrets.gatewayToken).toBe(token);
    expect(run.secrets).toContain(token);
    expect(run.text).not.toContain('a'.repeat(64));
  });

  it('a rerun on a running deployment keeps what the answers do not say: channels added later, hand edits, other .env lines, server-held secrets', async () => {
    const first = planOffline({ answers, keys: [KEY], env: { ANTHROPIC_API_KEY: 'k' } });
    const live = JSON.parse(first.ctx.answers ? renderOpenclawJson(answers) : '{}');
    live.gateway.auth.rateLimit.maxAttempts = 7; // a hand edit of a key the answers also set: theirs is replaced
    live.meta = { lastTouchedVersion: '2026.9.6' }; // a key the answers do not set: kept
    live.channels = { ...live.channels, discord: { enabled: true, dmPolicy: 'allowlist', allowFrom: ['123456789012345678'] } };
    const journalChannels = [...answers.openclaw.channels, { type: 'discord', allowFrom: ['123456789012345678'] }];
    const asked: string[][] = [];
    const link = {
      facts: assumedFacts('debian-12', 'root', '198.51.100.7'),
      readGatewayToken: async () => null,
      readDeployed: async () => ({
        configText: JSON.stringify(live),
        envKeys: ['OPENCLAW_GATEWAY_TOKEN', 'ANTHROPIC_API_KEY', 'TELEGRAM_BOT_TOKEN', 'DISCORD_BOT_TOKEN', 'HTTPS_PROXY', 'TZ'],
        journal: null,
        journalAnswers: { ...answers, openclaw: { ...answers.openclaw, channels: journalChannels } },
      }),
      readEnvSecrets: async (_f: string, names: string[]) => {
        asked.push(names);
        const v: Record<string, string> = {
          OPENCLAW_GATEWAY_TOKEN: `'${'b'.repeat(64)}'`,
          TELEGRAM_BOT_TOKEN: "'123456789:AAServerHeldTelegramToken0123'",
          DISCORD_BOT_TOKEN: "'server-held-discord-token'",
          HTTPS_PROXY: 'http://proxy.example:3128',
        };
        return new Map(names.filter((n) => v[n]).map((n) => [n, Secret.of(n, v[n], 'the server')]));
      },
    };
    const run = await planRun({
      answers: { ...answers, openclaw: { ...answers.openclaw, gatewayToken: 'generate' } },
      keys: [KEY],
      env: { ANTHROPIC_API_KEY: 'local-key' },
      link,
    });
    // the local provider key wins; the generated token and the channel tokens not given here come from the server; TZ is ours
    expect(asked).toEqual([['OPENCLAW_GATEWAY_TOKEN', 'TELEGRAM_BOT_TOKEN', 'DISCORD_BOT_TOKEN', 'HTTPS_PROXY']]);
    const files = Object.fromEntries(planFiles(run.plan).map((w) => [w.path, revealText(w.content)]));
    const env = files[run.ctx.paths.env];
    expect(env).toContain(`OPENCLAW_GATEWAY_TOKEN='${'b'.repeat(64)}'\n`);
    expect(env).toContain("ANTHROPIC_API_KEY='local-key'\n");
    expect(env).toContain("TELEGRAM_BOT_TOKEN='123456789:AAServerHeldTelegramToken0123'\n");
    expect(env).toContain("DISCORD_BOT_TOKEN='server-held-discord-token'\n");
    expect(env).toContain('HTTPS_PROXY=http://proxy.example:3128\nTZ=UTC\n');
    const cfg = JSON.parse(files[run.ctx.paths.config]);
    expect(cfg.meta).toEqual({ lastTouchedVersion: '2026.9.6' });
    expect(cfg.gateway.auth.rateLimit.maxAttempts).toBe(10);
    expect(Object.keys(cfg.channels).sort()).toEqual(['discord', 'telegram']);
    expect(cfg.plugins.entries.discord).toEqual({ enabled: true });
    expect(run.text).not.toContain('server-held');
    expect(run.text).not.toContain('proxy.example');
    expect(run.ctx.answers.openclaw.channels.map((c) => c.type)).toEqual(['telegram', 'discord']);
    expect(run.text).not.toContain('the server runs OpenClaw');
    // After `claw-setup upgrade`, a rerun with answers naming the old version says it would switch back.
    const upgraded = {
      ...link,
      readDeployed: async () => ({ ...(await link.readDeployed()), journalAnswers: { ...answers, openclaw: { ...answers.openclaw, version: '2026.10.1' } } }),
    };
    const back = await planRun({ answers, keys: [KEY], env: { ANTHROPIC_API_KEY: 'local-key' }, link: upgraded });
    expect(back.text).toContain(
      `# WARNING: the server runs OpenClaw 2026.10.1 (its journal); these answers say ${answers.openclaw.version}, so this run switches to ${answers.openclaw.version}.`,
    );
  });
});

describe('applyRun and runAndReport: the one run of every front end', () => {
  const plan: Plan = {
    header: [],
    steps: [
      { id: 'preflight', title: 'Preflight checks', summary: [], actions: [run('check a', ['true'], { skipIf: ['test', '-e', '/a'] })] },
      { id: 'base', title: 'Base packages', summary: [], actions: [run('install b', ['apt-get', 'install', 'b'], { skipIf: ['test', '-e', '/b'] })] },
    ],
  };
  const token = Secret.of('OPENCLAW_GATEWAY_TOKEN', 'tok-0123456789abcdef', 'test');
  const failing = () =>
    new RecordingExecutor((c) => (c.op === 'run' && c.argv[0] === 'apt-get' ? { code: 1, stderr: `E: no b (${token.reveal()})` } : undefined));
  const link = (exec: RecordingExecutor) => ({ exec, counters: () => ({ connections: 3, roundTrips: exec.calls.length, raceRetries: 1 }) });
  const isBatch = (c: Recorded) => c.op === 'run' && c.argv[0] === 'sh' && c.purpose === 'probe';

  it('holds before every step and action; asks the checks in one batch unless told not to', async () => {
    let holds = 0;
    const batched = new RecordingExecutor();
    expect((await applyRun({ plan, secrets: [] }, batched, () => {}, { hold: async () => void holds++ })).status).toBe('done');
    expect(holds).toBe(4);
    expect(batched.calls.filter(isBatch)).toHaveLength(2); // once ahead, once more after the first change
    const single = new RecordingExecutor();
    await applyRun({ plan, secrets: [] }, single, () => {}, { batchProbes: false });
    expect(single.calls.some(isBatch)).toBe(false);
    expect(single.calls.flatMap((c) => (c.op === 'run' && c.purpose === 'probe' ? [c.argv[2]] : []))).toEqual(['/a', '/b']);
  });

  it('done: one line per event, the summary line, then the report', async () => {
    const lines: string[] = [];
    const exec = new RecordingExecutor();
    await runAndReport({ plan, secrets: [] }, link(exec), { out: (l) => lines.push(l), started: Date.now() - 1500, connections: true, batchProbes: false });
    const at = lines.findIndex((l) => l.startsWith('claw-setup: '));
    expect(lines.slice(0, at)).toEqual([
      '==> preflight: Preflight checks',
      '    done    check a',
      '<== preflight: done',
      '==> base: Base packages',
      '    done    install b',
      '<== base: done',
    ]);
    expect(lines[at]).toMatch(
      new RegExp(
        `^claw-setup: done in 1\\.[5-9]s; ssh connections opened: 3 \\(1 reload-race retries\\), commands over the admin connection: ${exec.calls.length}$`,
      ),
    );
    const day2: string[] = [];
    await runAndReport({ plan, secrets: [] }, link(new RecordingExecutor()), { out: (l) => day2.push(l) });
    expect(day2.find((l) => l.startsWith('claw-setup: '))).toMatch(/^claw-setup: done in 0\.\ds; commands over the admin connection: \d+$/);
  });

  it('failed: StepFailedError with the runner’s own report (secrets scrubbed), after the cleanup; or what the caller makes of it', async () => {
    const own = await applyRun({ plan, secrets: [token] }, failing(), () => {});
    expect(own.status).toBe('failed');
    const lines: string[] = [];
    let cleaned = 0;
    const e = await runAndReport({ plan, secrets: [token] }, link(failing()), { out: (l) => lines.push(l), cleanup: async () => void cleaned++ }).catch(
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(StepFailedError);
    expect([(e as StepFailedError).message, ...(e as StepFailedError).report]).toEqual(own.report);
    expect(cleaned).toBe(1);
    expect(lines.find((l) => l.startsWith('claw-setup: '))).toMatch(/^claw-setup: failed in /);
    expect(JSON.stringify([lines, own.report])).not.toContain(token.reveal());
    const mine = new StepFailedError('rotate failed; the previous .env is back');
    await expect(runAndReport({ plan, secrets: [] }, link(failing()), { out: () => {}, failure: async () => mine })).rejects.toBe(mine);
  });

  it('cancelled: CancelledError with the report, after the cleanup; nothing ran', async () => {
    const ac = new AbortController();
    ac.abort();
    const exec = new RecordingExecutor();
    let cleaned = 0;
    const e = await runAndReport({ plan, secrets: [] }, link(exec), { out: () => {}, signal: ac.signal, cleanup: async () => void cleaned++ }).catch(
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(CancelledError);
    expect((e as Error).message).toMatch(/^Cancelled before the next/);
    expect(cleaned).toBe(1);
    expect(exec.calls).toEqual([]);
  });
});
