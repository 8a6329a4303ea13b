// The lockdown's server-side pieces, run here for real: the snapshot probe against a planted
// symlink, shellcheck of its scripts, the status line read from the journal the lockdown writes, and
// the real OpenClaw validator on the locked config when its CLI is cached (see
// openclaw-validate.test.ts). The exposure gate: test/steps/lockdown-exposure.test.ts.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { Answers } from '../src/answers/schema.js';
import { revealText } from '../src/core/secret.js';
import type { RunAction, WriteAction } from '../src/plan/action.js';
import { serverPaths } from '../src/plan/paths.js';
import { formatStatus, parseStatus } from '../src/plan/status.js';
import { lockedConfig } from '../steps/lockdown-config.js';
import { exposureClosedArgv } from '../steps/lockdown-exposure.js';
import { parseSnapshotProbe, planLockdown, snapshotProbeArgv } from '../steps/lockdown.js';
import { renderOpenclawJson } from '../templates/openclaw-json.js';
import { renderStatusScript } from '../templates/status-script.js';
import { base, caddy, deployed, locked, NOW, serve } from './lockdown-fixtures.js';
import { findTool, needTool, run, tempDir } from './tool-runner.js';

const tmp = tempDir('lockdown-server');
afterAll(() => tmp.cleanup());

describe('server-side checks, run here', () => {
  it('the snapshot probe reads a regular file and refuses a symlink or nothing', () => {
    const dir = join(tmp.dir, 'snap');
    mkdirSync(dir);
    const argv = [...snapshotProbeArgv(serverPaths(base)).slice(0, -1), dir];
    expect(run(argv[0], argv.slice(1)).status).toBe(3);
    symlinkSync('/etc/hostname', join(dir, 'openclaw.json'));
    expect(run(argv[0], argv.slice(1)).status).toBe(3);
    run('rm', [join(dir, 'openclaw.json')]);
    writeFileSync(join(dir, 'openclaw.json'), '{ "a": "ü" }\n');
    const r = run(argv[0], argv.slice(1));
    expect(r.status).toBe(0);
    expect(parseSnapshotProbe(r.stdout)).toEqual({ dir, configText: '{ "a": "ü" }\n' });
  });

  it('its own inline scripts pass shellcheck', (ctx) => {
    const sc = needTool(ctx, 'shellcheck', 'shellcheck');
    const mine = (a: Answers) =>
      planLockdown(a, deployed(a), 'vps', NOW)
        .plan.steps[0].actions.filter((x): x is RunAction => x.kind === 'run' && x.argv[0] === 'sh' && !x.title.startsWith('keep a dated copy'))
        .map((x) => x.argv[2]);
    const scripts = [...mine(caddy), ...mine(serve), exposureClosedArgv(caddy)[2], exposureClosedArgv(serve)[2], snapshotProbeArgv(serverPaths(base))[2]];
    expect(scripts).toHaveLength(8);
    for (const s of scripts) {
      const r = run(sc, ['-s', 'sh', '-'], { input: s });
      expect(r.stdout, s).toBe('');
    }
  });
});

describe('status shows the lock', () => {
  it("reads the journal the lockdown writes (the status script's own lines, run here) and puts LOCKED first", () => {
    const journal = join(tmp.dir, 'journal.json');
    const lp = planLockdown(caddy, deployed(caddy, { journal: locked(caddy) }), 'vps', NOW);
    writeFileSync(journal, revealText((lp.plan.steps[0].actions.at(-1) as WriteAction).content));
    const script = renderStatusScript(caddy).split('\n');
    const line = script[script.indexOf('s lockdown') + 1].replace('/var/lib/claw-setup/journal.json', journal);
    const r = run('bash', ['-c', line]);
    expect(r.stdout).toBe('state locked\nsince 2026-12-07T13:00:00Z\n');
    const out = (lock: string) =>
      `@@claw:gateway@@\nrunning|healthy|2026-12-07T13:00:00Z|0|img\n@@claw:lockdown@@\n${lock}@@claw:host@@\n1765116000\n2026-12-01 10:00:00\n12\n@@claw:end@@\n`;
    expect(formatStatus(parseStatus(out(r.stdout)))[0]).toBe(
      'LOCKED    since 2026-12-07T13:00:00Z: every channel closed, nothing published (undo: claw-setup unlock)',
    );
    expect(formatStatus(parseStatus(out('state unlocked\nsince 2026-12-07T13:00:00Z\n')))[0]).toMatch(/^gateway /);
  });
});

// The authority on the locked config is OpenClaw itself, when its CLI is cached (see openclaw-validate.test.ts).
const cache = process.env.CLAW_OPENCLAW_CACHE ?? '/var/cache/claw-setup-openclaw';
const nodeBin = join(cache, 'node24/node_modules/node/bin');
const cli = join(cache, `openclaw-${base.openclaw.version}/node_modules/openclaw/openclaw.mjs`);
describe.skipIf(!existsSync(cli) || !existsSync(join(nodeBin, 'node')))('the real OpenClaw validator', () => {
  it('accepts the locked config behind Caddy and behind Tailscale Serve (Telegram and Discord on)', async () => {
    for (const [name, a] of [
      ['caddy', caddy],
      ['serve', serve],
    ] as const) {
      const state = join(tmp.dir, `oc-${name}`);
      mkdirSync(state, { mode: 0o700 });
      writeFileSync(join(state, 'openclaw.json'), lockedConfig(renderOpenclawJson(a), 'x').text, { mode: 0o600 });
      const unshare = findTool('unshare');
      const argv = [...(unshare && process.getuid?.() === 0 ? [unshare, '--net', '--'] : []), join(nodeBin, 'node'), cli, 'config', 'validate', '--json'];
      const env = {
        PATH: `${nodeBin}:${process.env.PATH}`,
        HOME: state,
        OPENCLAW_STATE_DIR: state,
        OPENCLAW_CONFIG_PATH: join(state, 'openclaw.json'),
        npm_config_offline: 'true',
        OPENCLAW_GATEWAY_TOKEN: 'dummy-0123456789abcdef0123456789abcdef',
        TELEGRAM_BOT_TOKEN: 'dummy',
        DISCORD_BOT_TOKEN: 'dummy',
        ANTHROPIC_API_KEY: 'dummy',
      };
      const r = await promisify(execFile)(argv[0], argv.slice(1), { env, timeout: 120_000 }).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }));
      const out = JSON.parse(r.stdout) as { valid: boolean; issues?: unknown[] };
      expect(out.issues ?? [], name).toEqual([]);
      expect(out.valid, name).toBe(true);
    }
  }, 240_000);
});
