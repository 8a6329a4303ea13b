// A rerun right after add-channel must write the .env byte for byte as add-channel left it: the
// file is compared byte for byte, and a rewrite recreates the gateway (issue 21).
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planFiles } from '../../src/plan/action.js';
import { revealText, Secret } from '../../src/core/secret.js';
import { assumedFacts } from '../../src/plan/facts.js';
import { planOffline, planRun } from '../../src/rollout/session.js';
import { envEditArgv, mergeChannelConfig } from '../../steps/channel.js';
import { channelFromFlags } from '../../src/answers/channel-input.js';
import { envOrder } from '../../templates/env-order.js';
import { readAnswers } from '../helpers.js';
import { run, tempDir } from '../tool-runner.js';

const EXAMPLE = new URL('../../examples/answers.json5', import.meta.url).pathname;
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGz3bWxuYXhqZ2l6eW5wYnNvZ2lmdGJ4cW5sa3V6cXk1 me@laptop';
const TG = '7700112233:AAUnitTelegramSentinel_0123456789';
const tmp = tempDir('rerun-env');
afterAll(() => tmp.cleanup());

describe('envOrder: the server order wins, new names go to their first-run place', () => {
  it('a first run: the canonical order', () => {
    expect(envOrder(['A', 'B', 'TZ'])).toEqual(['A', 'B', 'TZ']);
  });
  it('names the server has keep its order; one it lacks follows its canonical predecessor', () => {
    expect(envOrder(['TOKEN', 'KEY', 'TG', 'TZ'], ['TOKEN', 'KEY', 'TZ', 'TG'])).toEqual(['TOKEN', 'KEY', 'TZ', 'TG']);
    expect(envOrder(['TOKEN', 'KEY', 'DC', 'TG', 'TZ'], ['TOKEN', 'KEY', 'TZ', 'TG'])).toEqual(['TOKEN', 'KEY', 'DC', 'TZ', 'TG']);
    expect(envOrder(['TOKEN', 'TZ'], ['TZ', 'OLD', 'TOKEN'])).toEqual(['TZ', 'TOKEN']);
    expect(envOrder(['A', 'B'], ['B'])).toEqual(['A', 'B']);
  });
});

describe('add-channel, then a whole rerun with the channel in the answers', () => {
  const answers = readAnswers(EXAMPLE);
  const bare = { ...answers, openclaw: { ...answers.openclaw, gatewayToken: 'generate' as const, channels: [] } };
  const env = { ANTHROPIC_API_KEY: 'sk-ant-unit-key', TELEGRAM_BOT_TOKEN: TG };
  const envPath = join(tmp.dir, '.env');

  it('the rerun writes the .env (TELEGRAM_BOT_TOKEN after TZ=UTC) and openclaw.json exactly as add-channel left them', async () => {
    // The first run's files, with a generated token as the server holds it.
    const first = planOffline({
      answers: bare,
      keys: [KEY],
      env,
      overrides: { OPENCLAW_GATEWAY_TOKEN: Secret.of('OPENCLAW_GATEWAY_TOKEN', 'c'.repeat(64), 't') },
    });
    const written = Object.fromEntries(planFiles(first.plan).map((w) => [w.path, revealText(w.content)]));
    writeFileSync(envPath, written[first.ctx.paths.env]);
    chmodSync(envPath, 0o600);
    // add-channel's own .env edit, the real script, run here with sh.
    const [cmd, ...args] = envEditArgv(envPath, 'set', ['TELEGRAM_BOT_TOKEN']);
    const edit = run(cmd, args, { input: `${TG}\n` });
    expect(edit.status, edit.stderr).toBe(0);
    const onServer = readFileSync(envPath, 'utf8');
    expect(onServer).toMatch(/TZ=UTC\nTELEGRAM_BOT_TOKEN='/);
    const lines = onServer.split('\n').filter((l) => /^[A-Z_]+=/.test(l));
    const values = new Map(lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const));
    // add-channel's merge of openclaw.json, from the same flags the operator would type.
    const channel = channelFromFlags('telegram', ['allowFrom=123456789', 'apiRoot=http://10.77.0.1:8081'], bare);
    const configOnServer = mergeChannelConfig(written[first.ctx.paths.config], first.ctx.paths.config, { op: 'add', channel, secrets: [] });
    const withTg = { ...bare, openclaw: { ...bare.openclaw, channels: [channel] } };
    const rerun = await planRun({
      answers: withTg,
      keys: [KEY],
      env,
      link: {
        facts: assumedFacts('debian-12', 'deploy', '198.51.100.7'),
        readGatewayToken: async () => null,
        readDeployed: async () => ({ configText: configOnServer, envKeys: [...values.keys()], journal: null, journalAnswers: withTg }),
        readEnvSecrets: async (_f: string, names: string[]) => new Map(names.map((n) => [n, Secret.of(n, values.get(n)!, 'the server')] as const)),
      },
    });
    const again = Object.fromEntries(planFiles(rerun.plan).map((w) => [w.path, revealText(w.content)]));
    expect(again[rerun.ctx.paths.env]).toBe(onServer);
    expect(again[rerun.ctx.paths.config]).toBe(configOnServer);
  });
});
