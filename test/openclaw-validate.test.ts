import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openclawConfigMirror } from './openclaw-schema-mirror.js';
import { VARIANTS, loadAnswers, renderVariant, type Variant } from './template-variants.js';
import { findTool, run, tempDir } from './tool-runner.js';
import { cachedRun, runAsync, toolFingerprint } from './validator-cache.js';

// The authority on openclaw.json is OpenClaw itself. When the real CLI is cached
// (scripts/install-openclaw-validator.sh: Node 24 + openclaw@<version>, ~650 MB,
// outside the repo), every generated openclaw.json goes through:
//   openclaw config validate --json               exit 0, valid, no warnings
//   openclaw security audit --json                summary.critical == 0 (its exit code is always 0)
//   openclaw doctor --lint --json --severity-min error   ok (one variant)
// with dummy values for the env SecretRefs and a throwaway state dir. Without the
// cache the suite is skipped with the reason printed, so CI needs no 650 MB download.

const version = loadAnswers('minimal').openclaw.version;
const cache = process.env.CLAW_OPENCLAW_CACHE ?? '/var/cache/claw-setup-openclaw';
const nodeBin = join(cache, 'node24/node_modules/node/bin');
const cli = join(cache, `openclaw-${version}/node_modules/openclaw/openclaw.mjs`);
const available = existsSync(join(nodeBin, 'node')) && existsSync(cli);
const openclawTool = toolFingerprint(join(nodeBin, 'node'), join(cli, '../package.json'));
if (!available) {
  console.warn(`skipped openclaw-validate: no cached OpenClaw ${version} at ${cli}; install it with scripts/install-openclaw-validator.sh ${version}`);
}

/**
 * Runs the CLI offline when the host allows a private network namespace: the
 * audit otherwise spends ~45 s trying to reach the plugin index, and offline is
 * how the reference measured it. Falls back to a normal run.
 */
function offlinePrefix(): string[] {
  const unshare = findTool('unshare');
  if (!unshare) return [];
  const prefix = process.getuid?.() === 0 ? [unshare, '--net', '--'] : [unshare, '--map-root-user', '--net', '--'];
  return run(prefix[0], [...prefix.slice(1), 'true']).status === 0 ? prefix : [];
}

const tmp = tempDir('openclaw');
afterAll(() => tmp.cleanup());
const offline = available ? offlinePrefix() : [];

async function openclaw(config: object, args: string[], name: string) {
  const state = join(tmp.dir, `${name}-${args[0]}-${args[1] ?? ''}`);
  mkdirSync(state, { recursive: true, mode: 0o700 });
  chmodSync(state, 0o700);
  const path = join(state, 'openclaw.json');
  const text = JSON.stringify(config, null, 2);
  writeFileSync(path, text, { mode: 0o600 });
  // Dummy values for every env SecretRef (long enough to pass the audit's length checks).
  const ids = [...JSON.stringify(config).matchAll(/"source":"env","provider":"default","id":"([A-Z0-9_]+)"/g)].map((m) => m[1]);
  const env = {
    PATH: `${nodeBin}:${process.env.PATH}`,
    HOME: state,
    TMPDIR: state,
    OPENCLAW_STATE_DIR: state,
    OPENCLAW_CONFIG_PATH: path,
    NO_COLOR: '1',
    // The audit tries to npm-install missing channel plugins (whatsapp, discord, slack);
    // offline npm fails at once instead of retrying DNS for minutes.
    npm_config_offline: 'true',
    ...Object.fromEntries(ids.map((id) => [id, `dummy-${id.toLowerCase()}-0123456789abcdef0123456789abcdef`])),
  };
  const argv = [...offline, join(nodeBin, 'node'), cli, ...args];
  // Cached by the config's text, the CLI's version and the command (test/validator-cache.ts says why
  // that is safe): a second `npm test` does not re-run OpenClaw on a config it has already judged.
  const { HOME: _h, TMPDIR: _t, OPENCLAW_STATE_DIR: _s, OPENCLAW_CONFIG_PATH: _c, PATH: _p, ...keyEnv } = env;
  return cachedRun({ tools: [openclawTool], argv: [offline.length ? 'offline' : 'online', ...args], inputs: { 'openclaw.json': text }, env: keyEnv }, () =>
    runAsync(argv[0], argv.slice(1), { env, timeout: 180_000 }),
  );
}

const configOf = (v: Variant) => JSON.parse(renderVariant(v).find((f) => f.name === 'openclaw.json')!.text);

describe.skipIf(!available)(`real OpenClaw ${version} CLI`, () => {
  it.concurrent.each(VARIANTS)(
    '%s: config validate',
    async (v) => {
      const r = await openclaw(configOf(v), ['config', 'validate', '--json'], v);
      const out = JSON.parse(r.stdout);
      expect(out.issues ?? [], r.stderr).toEqual([]);
      expect(out.valid).toBe(true);
      // The only warning allowed: a channel plugin this offline validator has not installed
      // (the gateway installs it from npm on first start; plugins.entries trusts it by name).
      const cfg = configOf(v);
      const plugins = Object.keys(cfg.plugins?.entries ?? {});
      expect(out.warnings).toEqual(
        plugins.map((p) => ({ path: `plugins.entries.${p}`, message: expect.stringMatching(new RegExp(`^plugin not installed: ${p} `)) })),
      );
      expect(r.code).toBe(0);
    },
    180_000,
  );

  it.concurrent.each(VARIANTS)(
    '%s: security audit has no critical finding',
    async (v) => {
      const r = await openclaw(configOf(v), ['security', 'audit', '--json'], v);
      const report = JSON.parse(r.stdout);
      const critical = report.findings.filter((f: { severity: string }) => f.severity === 'critical');
      expect(critical).toEqual([]);
      expect(report.summary.critical).toBe(0);
      const warns = report.findings.filter((f: { severity: string }) => f.severity === 'warn').map((f: { checkId: string }) => f.checkId);
      if (warns.length) console.info(`${v}: audit warnings: ${warns.join(', ')}`);
    },
    180_000,
  );

  // doctor --lint mostly inspects state (there is none here), so one variant is enough.
  it.concurrent(
    'full: doctor --lint finds no error',
    async () => {
      const r = await openclaw(configOf('full'), ['doctor', '--lint', '--json', '--severity-min', 'error'], 'full');
      const report = JSON.parse(r.stdout);
      expect(report.findings).toEqual([]);
      expect(report.ok).toBe(true);
    },
    180_000,
  );

  // The real CLI and the zod mirror must agree on what they reject.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each case pokes a different part of a parsed config
  const broken: [string, (c: any) => void][] = [
    ['controlUi.allowInsecureAuth', (c) => (c.gateway.controlUi.allowInsecureAuth = true)],
    ['bind "0.0.0.0"', (c) => (c.gateway.bind = '0.0.0.0')],
    ['an unknown telegram key', (c) => (c.channels.telegram.bogusKey = true)],
    ['sandbox.mode "sometimes"', (c) => (c.agents.defaults.sandbox.mode = 'sometimes')],
  ];
  it.concurrent.each(broken)(
    'rejects %s, as the mirror does',
    async (what, mutate) => {
      const c = configOf('full');
      mutate(c);
      expect(openclawConfigMirror.safeParse(c).success).toBe(false);
      const r = await openclaw(c, ['config', 'validate', '--json'], `broken-${what.replace(/\W+/g, '-')}`);
      expect(r.code).toBe(1);
      expect(JSON.parse(r.stdout).valid).toBe(false);
    },
    180_000,
  );
});
