import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GuardedGroup, Plan } from '../src/plan/action.js';
import { BUDGET, deadmanProtocol, groupWorstCaseSec } from '../src/plan/guard.js';
import { printPlan } from '../src/plan/print.js';
import { revealText } from '../src/core/secret.js';
import { everyAction, fixture, planFor, readAnswers, sentinels, VARIANTS } from './helpers.js';
import { needTool } from './tool-runner.js';

const EXAMPLE = new URL('../examples/answers.json5', import.meta.url).pathname;
const print = (plan: Plan) => printPlan(plan, { host: '203.0.113.10', identityFile: '~/.ssh/id_ed25519' });

describe('the plan for each answers variant', () => {
  it.for(['example', ...VARIANTS])('%s: printed plan matches its golden file; bash -n and shellcheck accept it', async (name, ctx) => {
    const answers = name === 'example' ? readAnswers(EXAMPLE) : fixture(name);
    const { plan } = planFor(answers);
    const text = print(plan);
    await expect(text).toMatchFileSnapshot(`../snapshots/${name}/plan.sh`);
    const dir = mkdtempSync(join(tmpdir(), 'claw-plan-'));
    writeFileSync(join(dir, 'plan.sh'), text);
    const r = spawnSync('bash', ['-n', join(dir, 'plan.sh')], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const sc = spawnSync(needTool(ctx, 'shellcheck', 'shellcheck'), ['-S', 'style', join(dir, 'plan.sh')], { encoding: 'utf8' });
    expect(sc.stdout).toBe('');
    expect(sc.status).toBe(0);
  });
});

describe('dead-man windows', () => {
  it.for(['example', ...VARIANTS])('%s: every window is longer than its group can take (actions, gates, disarm, margin)', (name) => {
    const { plan } = planFor(name === 'example' ? readAnswers(EXAMPLE) : fixture(name));
    const groups = plan.steps.flatMap((s) => s.actions.filter((a): a is GuardedGroup => a.kind === 'guarded'));
    expect(groups.length).toBeGreaterThan(0);
    for (const g of groups) {
      expect(g.timeoutSec, g.id).toBeGreaterThanOrEqual(groupWorstCaseSec(g) + BUDGET.margin);
      // the printed plan arms exactly that window
      expect(deadmanProtocol(g).arm.argv.at(-1)).toBe(String(g.timeoutSec));
    }
  });
});

describe('examples/answers.json5', () => {
  /** Every key path of an object (arrays contribute the paths of their first element). */
  const paths = (o: unknown, pre = ''): string[] =>
    o && typeof o === 'object'
      ? Array.isArray(o)
        ? o.length
          ? paths(o[0], `${pre}[]`)
          : [pre]
        : Object.entries(o).flatMap(([k, v]) => [`${pre}${pre ? '.' : ''}${k}`, ...paths(v, `${pre}${pre ? '.' : ''}${k}`)])
      : [];

  it('uses every field the schema has (so it documents them all)', async () => {
    const JSON5 = (await import('json5')).default;
    const { readFileSync } = await import('node:fs');
    const raw = JSON5.parse(readFileSync(EXAMPLE, 'utf8'));
    const written = new Set(paths(raw));
    const defaults = paths(readAnswers(EXAMPLE)).filter((p) => !p.includes('[]'));
    expect(defaults.filter((p) => !written.has(p))).toEqual([]);
  });
});

describe('printed laptop gates', () => {
  const gateLines = (text: string) => text.split('\n').filter((l) => l.startsWith('#   ssh '));

  it('pin the host key under the starting port for the whole run, as the executor does, even after the port moves', () => {
    const text = print(planFor(fixture('full')).plan);
    const gates = gateLines(text);
    expect(gates.some((l) => l.includes(' -p 2222 '))).toBe(true);
    for (const l of gates) expect(l).toContain(' -o HostKeyAlias=203.0.113.10 ');
    expect(text).not.toContain('UserKnownHostsFile');
  });

  it('carry the print options: port, host key name, --known-hosts, --ssh-option, key', () => {
    const { plan } = planFor(fixture('minimal'));
    const gates = gateLines(
      printPlan(plan, { host: 'vps.example', identityFile: '/home/me/.ssh/k', port: 2200, knownHosts: '/home/me/kh', sshOptions: ['ServerAliveInterval=5'] }),
    );
    expect(gates.length).toBe(5);
    for (const l of gates) {
      expect(l).toContain(" -o 'HostKeyAlias=[vps.example]:2200' -o UserKnownHostsFile=/home/me/kh -o IdentitiesOnly=yes -i /home/me/.ssh/k ");
      expect(l).toContain(' -o ServerAliveInterval=5 -o ConnectTimeout=15 -p 22 ');
      expect(l).toMatch(/ -- vps\.example /);
    }
    const alias = gateLines(printPlan(plan, { host: 'vps.example', identityFile: '~/.ssh/k', hostKeyAlias: 'vps' }));
    for (const l of alias) expect(l).toContain(' -o HostKeyAlias=vps ');
  });

  it('say the password-refusal probe offers no credential and shows the offered methods', () => {
    const text = print(planFor(fixture('minimal')).plan);
    const probe = gateLines(text).find((l) => l.includes('PreferredAuthentications=password'))!;
    expect(probe).toMatch(
      /^# {3}ssh -T -o ControlMaster=no -o ControlPath=none -v -o PreferredAuthentications=password,keyboard-interactive -o NumberOfPasswordPrompts=0 -o PubkeyAuthentication=no -o BatchMode=yes /,
    );
    expect(probe).toMatch(/ -l deploy -- 203\.0\.113\.10 true {2}# must be refused$/);
  });
});

describe('secrets (sentinel test)', () => {
  it.each(['example', ...VARIANTS])('%s: no sentinel in the printed plan or any argv; the sudo password and gateway token do reach stdin/files', (name) => {
    const answers = name === 'example' ? readAnswers(EXAMPLE) : fixture(name);
    const { plan } = planFor(answers);
    const values = Object.values(sentinels()).map((s) => s.reveal());
    const printed = print(plan);
    for (const v of values) expect(printed).not.toContain(v);
    const actions = everyAction(plan);
    const argvText = JSON.stringify(actions.map((a) => (a.kind === 'run' ? [a.argv, a.skipIf] : a.kind === 'gate' ? a.check : a.path)));
    for (const v of values) expect(argvText).not.toContain(v);
    expect(JSON.stringify(plan)).not.toMatch(/SENTINEL_/);
    // The secrets are really used: revealed only into stdin and file content.
    const revealed = actions.map((a) => (a.kind === 'run' && a.stdin ? revealText(a.stdin) : a.kind === 'write' ? revealText(a.content) : '')).join('\n');
    expect(revealed).toContain('SENTINEL_SUDO_PASSWORD');
    expect(revealed).toContain('SENTINEL_OPENCLAW_GATEWAY_TOKEN');
  });
});

describe('the CLI', () => {
  const bin = new URL('../bin/claw-setup', import.meta.url).pathname;
  const cli = (args: string[], env: Record<string, string> = {}) =>
    spawnSync('node', [bin, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH!, HOME: process.env.HOME!, ...env } });

  it('plan prints the script, exit 0', () => {
    const r = cli(['plan', '--answers', EXAMPLE]);
    expect(r.status).toBe(0);
    expect(r.stdout.startsWith('#!/usr/bin/env bash')).toBe(true);
    expect(r.stdout).toContain('# ═══ Step 14/14: verify');
  });

  it('bad answers: exit 1, field named, no plan printed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'claw-bad-'));
    const f = join(dir, 'a.json5');
    writeFileSync(f, '{ deployUser: { name: "x;id", sudoPassword: "hunter2hunter2" } }');
    const r = cli(['plan', '--answers', f]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('deployUser.name');
    expect(r.stderr).toContain('deployUser.sudoPassword');
    expect(r.stderr).not.toContain('hunter2hunter2');
  });

  it('without a terminal and without --answers --yes it names the flags', () => {
    const r = cli([]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('--answers FILE --yes');
  });

  it('--out writes every planned file at its server path with its mode, secrets as placeholders', () => {
    const dir = mkdtempSync(join(tmpdir(), 'claw-out-'));
    const r = cli(['plan', '--answers', EXAMPLE, '--out', dir]);
    expect(r.status).toBe(0);
    const env = join(dir, 'home/deploy/openclaw/.env');
    const mode = execFileSync('stat', ['-c', '%a', env], { encoding: 'utf8' }).trim();
    expect(mode).toBe('600');
    expect(execFileSync('cat', [env], { encoding: 'utf8' })).toContain('<secret:OPENCLAW_GATEWAY_TOKEN>');
    expect(execFileSync('stat', ['-c', '%a', join(dir, 'etc/ssh/sshd_config.d/00-claw-setup.conf')], { encoding: 'utf8' }).trim()).toBe('644');
  });

  it('--help and --version', () => {
    expect(cli(['--help']).stdout).toContain('Usage:');
    expect(cli(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
