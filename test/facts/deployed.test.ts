// src/facts/deployed.ts: reading a running deployment (the journal, the config and only the NAMES in
// .env) and comparing or reading .env values, with the server-side scripts run here with sh.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { revealText, Secret } from '../../src/core/secret.js';
import { deployedProbeArgv, envLinesSame, parseDeployed, readEnvValues } from '../../src/facts/deployed.js';
import type { Executor } from '../../src/exec/types.js';
import { run, tempDir } from '../tool-runner.js';

const tmp = tempDir('facts-deployed');
afterAll(() => tmp.cleanup());
const TG = Secret.of('TELEGRAM_BOT_TOKEN', '7700112233:AAUnitTelegramSentinel_0123456789', 'test');

describe('reading the deployment (deployedProbeArgv, run here with sh)', () => {
  it('returns the journal, the config and only the NAMES in .env', () => {
    const d = join(tmp.dir, 'srv');
    run('mkdir', ['-p', d]);
    writeFileSync(join(d, 'journal.json'), JSON.stringify({ answers: { a: 1 } }));
    writeFileSync(join(d, 'openclaw.json'), '{ "gateway": {} }\n');
    writeFileSync(join(d, '.env'), "# c\nOPENCLAW_GATEWAY_TOKEN='sekrit-value'\nTZ=UTC\n");
    const [cmd, ...args] = deployedProbeArgv({ journal: join(d, 'journal.json'), config: join(d, 'openclaw.json'), env: join(d, '.env') });
    const r = run(cmd, args);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).not.toContain(Buffer.from('sekrit-value').toString('base64').slice(0, 8));
    const p = parseDeployed(r.stdout);
    expect(p.envKeys).toEqual(['OPENCLAW_GATEWAY_TOKEN', 'TZ']);
    expect(p.configText).toBe('{ "gateway": {} }\n');
    expect(p.journalAnswers).toEqual({ a: 1 });
    const [c2, ...a2] = deployedProbeArgv({ journal: join(d, 'none'), config: join(d, 'none2'), env: join(d, 'none3') });
    expect(parseDeployed(run(c2, a2).stdout)).toEqual({ configText: null, envKeys: [], journal: null, journalAnswers: null });
  });
});

/** Runs argv here with sh: the server-side scripts, for real, on a scratch .env. */
const localExec = {
  run: async (argv: readonly string[], o: { stdin?: readonly (string | Secret)[] } = {}) => {
    const r = run(argv[0], argv.slice(1) as string[], { input: o.stdin ? revealText(o.stdin) : '' });
    return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
  },
} as unknown as Executor;

describe('reading and comparing .env values on the server side (run here with sh)', () => {
  const file = join(tmp.dir, 'cmp.env');
  it('envLinesSame says which values are already there, exactly', async () => {
    writeFileSync(file, `# c\nTELEGRAM_BOT_TOKEN='${TG.reveal()}'\nDISCORD_BOT_TOKEN='other'\n`);
    const dc = Secret.of('DISCORD_BOT_TOKEN', 'not-the-same', 'test');
    const sl = Secret.of('SLACK_BOT_TOKEN', 'xoxb-absent', 'test');
    expect([...(await envLinesSame(localExec, file, [TG, dc, sl]))]).toEqual(['TELEGRAM_BOT_TOKEN']);
  });
  it('readEnvValues returns raw values of the names asked, and never asks odd names', async () => {
    writeFileSync(file, "A='x y'\nB=plain\nC=\n");
    const v = await readEnvValues(localExec, file, ['A', 'B', 'C', 'D', 'A;rm']);
    expect(Object.fromEntries(v)).toEqual({ A: "'x y'", B: 'plain' });
  });
});
