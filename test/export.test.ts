// The exports (`claw-setup export ansible | cloud-init`): golden files per answers variant, with the
// real validators beside them (ansible-playbook --syntax-check, ansible-lint, cloud-init schema,
// shellcheck), the same actions as the printed plan, secrets only as references, and the template
// translation rendered by real Ansible and compared byte for byte with what the executor writes.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { main } from '../src/cli/main.js';
import { UserError } from '../src/core/errors.js';
import { revealText, type Secret } from '../src/core/secret.js';
import { exportAnsible } from '../src/export/ansible.js';
import { exportCloudInit, USER_DATA_LIMIT } from '../src/export/cloud-init.js';
import { vaultVar, type ExportFile, type ExportInput } from '../src/export/text.js';
import { planFiles, type Plan } from '../src/plan/action.js';
import { runCommand } from '../src/plan/commands.js';
import { everyAction, fixture, planFor, sentinels, VARIANTS } from './helpers.js';
import { needTool, run, tempDir } from './tool-runner.js';
import { ansibleEnv, cloudInitSchema, shellcheckIn } from './export-validators.js';
import { cachedRun, dirInputs, runAsync, toolFingerprint } from './validator-cache.js';

const tmp = tempDir('export');
afterAll(() => tmp.cleanup());

function inputFor(variant: string): ExportInput & { plan: Plan } {
  const { plan, ctx } = planFor(fixture(variant));
  return { plan, answers: ctx.answers, sudoPassword: ctx.secrets.sudoPassword };
}

function writeAll(files: ExportFile[], dir: string): void {
  for (const f of files) {
    mkdirSync(join(dir, f.path, '..'), { recursive: true });
    writeFileSync(join(dir, f.path), f.content, { mode: f.mode });
  }
}

/** Every argv list in a set of Ansible task files (blocks and rescues included). */
function ansibleArgvs(files: ExportFile[]): string[] {
  const out: string[] = [];
  const visit = (t: unknown): void => {
    if (Array.isArray(t)) return t.forEach(visit);
    if (!t || typeof t !== 'object') return;
    const cmd = (t as Record<string, unknown>)['ansible.builtin.command'] as { argv?: string[] } | undefined;
    if (cmd?.argv) out.push(cmd.argv.map((w) => w.replace(/^\{% raw %\}|\{% endraw %\}$/g, '')).join('\u0001'));
    for (const k of ['block', 'rescue']) visit((t as Record<string, unknown>)[k]);
  };
  // Read as Ansible reads it (YAML 1.1): an unquoted "on" would come back as true.
  for (const f of files.filter((x) => x.path.startsWith('tasks/'))) visit(parse(f.content, { version: '1.1' }));
  return out;
}

/**
 * Side by side, the variants share the machine: with a cold validator cache on a loaded 2-core host
 * one ansible-lint run alone took 20 s, so each concurrent test gets the time all of them may need.
 */
const VALIDATOR_TIMEOUT = { timeout: 240_000 };

describe('export ansible', () => {
  // Concurrent: the six projects' validators are separate processes that mostly wait on Python's start-up.
  it.concurrent.for(VARIANTS)(
    '%s: golden files; ansible-playbook --syntax-check and ansible-lint accept the project',
    VALIDATOR_TIMEOUT,
    async (variant, ctx) => {
      const files = exportAnsible(inputFor(variant));
      // files/ holds the plan's own files (golden in snapshots/<variant>/ already); the rest is the export's own text.
      for (const f of files.filter((x) => !x.path.startsWith('files/')))
        await ctx.expect(f.content).toMatchFileSnapshot(`../snapshots/export/${variant}/ansible/${f.path}`);
      const dir = join(tmp.dir, `ansible-${variant}`);
      writeAll(files, dir);
      const playbook = needTool(ctx, 'ansible-playbook', 'ansible');
      const lint = needTool(ctx, 'ansible-lint', 'ansible-lint');
      // Both judge the whole project: every file's text and mode is in the cache key.
      const inputs = dirInputs(dir);
      const env = ansibleEnv();
      const synArgs = ['-i', 'inventory.example.yml', '--syntax-check', 'site.yml'];
      const lintArgs = ['-p', '--nocolor', '--offline'];
      const [syn, l] = await Promise.all([
        cachedRun({ tools: [toolFingerprint(playbook)], argv: ['ansible-playbook', ...synArgs], inputs, env }, () =>
          runAsync(playbook, synArgs, { cwd: dir, env: { ...process.env, ANSIBLE_NOCOLOR: '1' } }),
        ),
        // ansible-lint runs ansible-core's own checks too, so both tools' versions are in its key.
        cachedRun({ tools: [toolFingerprint(lint), toolFingerprint(playbook)], argv: ['ansible-lint', ...lintArgs], inputs, env }, () =>
          runAsync(lint, lintArgs, { cwd: dir, timeout: 180_000 }),
        ),
      ]);
      ctx.expect(syn.stderr + syn.stdout, 'syntax-check').not.toMatch(/ERROR/);
      ctx.expect(syn.code).toBe(0);
      ctx.expect(`${l.stdout}\n${l.stderr}`).toMatch(/Passed with production profile: 0 failure\(s\), 0 warning\(s\)/);
      ctx.expect(l.code).toBe(0);
    },
  );

  it.for(VARIANTS)('%s: every command of the printed plan is in the playbook, exactly (one plan, no third copy)', (variant) => {
    const input = inputFor(variant);
    const argvs = new Set(ansibleArgvs(exportAnsible(input)));
    const wanted = everyAction(input.plan).flatMap((a) =>
      a.kind === 'run'
        ? [a.argv, ...(a.skipIf ? [a.skipIf] : [])]
        : a.kind === 'write'
          ? a.skipIf
            ? [a.skipIf]
            : []
          : a.check.type === 'remote'
            ? [a.check.argv]
            : [],
    );
    expect(wanted.length).toBeGreaterThan(30);
    const missing = wanted.filter((argv) => !argvs.has(argv.join('\u0001'))).map((argv) => runCommand(argv));
    expect(missing).toEqual([]);
    // and every planned file, with its mode and owner
    const tasks = exportAnsible(input)
      .filter((f) => f.path.startsWith('tasks/'))
      .map((f) => f.content)
      .join('\n');
    for (const w of planFiles(input.plan)) expect(tasks, w.path).toContain(`dest: ${w.path}`);
  });

  it('holds no secret value: secrets are vault variable references, tasks that carry one are no_log', () => {
    const input = inputFor('full');
    const text = exportAnsible(input)
      .map((f) => f.content)
      .join('\n');
    for (const s of Object.values(sentinels())) expect(text).not.toContain(s.reveal());
    expect(text).toContain(`{{ ${vaultVar('SUDO_PASSWORD')} }}`);
    expect(text).toMatch(
      /argv: \[chpasswd\]\n\s+stdin: \|\n\s+deploy:\{\{ vault_sudo_password \}\}\n\s+stdin_add_newline: false\n(?:\s+\S.*\n)*?\s+no_log: true/,
    );
  });

  it('templates with secrets render, through real Ansible, to exactly the bytes the executor writes', VALIDATOR_TIMEOUT, async (ctx) => {
    const ansible = needTool(ctx, 'ansible', 'ansible');
    const input = inputFor('channels');
    const files = exportAnsible(input);
    const dir = join(tmp.dir, 'render');
    writeAll(files, dir);
    const secrets = new Map<string, Secret>(Object.values(sentinels()).map((s) => [vaultVar(s), s]));
    writeFileSync(join(dir, 'vars.json'), JSON.stringify(Object.fromEntries([...secrets].map(([k, s]) => [k, s.reveal()]))));
    const templated = planFiles(input.plan).filter((w) => w.content.some((p) => typeof p !== 'string'));
    expect(templated.length).toBeGreaterThanOrEqual(1);
    mkdirSync(join(dir, 'out'), { recursive: true });
    const vars = readFileSync(join(dir, 'vars.json'), 'utf8');
    // One Ansible process per file, side by side; each rendering is cached by the template's text, the
    // (test-only sentinel) values and Ansible's version, and what is kept is the rendered file itself.
    const rendered = await Promise.all(
      templated.map((w) => {
        const src = join(dir, 'templates', `openclaw${w.path}.j2`);
        expect(existsSync(src), src).toBe(true);
        const dest = join(dir, 'out', w.path.replace(/\//g, '_'));
        const args = ['localhost', '-i', 'localhost,', '-c', 'local', '-m', 'ansible.builtin.template'];
        return cachedRun(
          {
            tools: [toolFingerprint(ansible)],
            argv: ['ansible', ...args, 'trim_blocks=false'],
            inputs: { template: readFileSync(src, 'utf8'), vars },
            env: ansibleEnv(),
          },
          async () => {
            const r = await runAsync(ansible, [...args, '-a', `src=${src} dest=${dest} trim_blocks=false`, '-e', `@${join(dir, 'vars.json')}`], {
              cwd: dir,
              env: { ...process.env, ANSIBLE_NOCOLOR: '1' },
            });
            return { code: r.code, stdout: r.code === 0 ? readFileSync(dest, 'utf8') : '', stderr: r.stdout + r.stderr };
          },
        );
      }),
    );
    templated.forEach((w, i) => {
      expect(rendered[i].code, rendered[i].stderr).toBe(0);
      expect(rendered[i].stdout, w.path).toBe(revealText(w.content));
    });
  });
});

describe('export cloud-init', () => {
  it.concurrent.for(VARIANTS)(
    '%s: golden user-data and check script; cloud-init schema, bash -n and shellcheck accept them',
    VALIDATOR_TIMEOUT,
    async (variant, ctx) => {
      const expect = ctx.expect; // a concurrent test's snapshots go through its own expect
      const { userData, checkScript, sizeNote } = exportCloudInit(inputFor(variant));
      await expect(userData.content).toMatchFileSnapshot(`../snapshots/export/${variant}/user-data.yaml`);
      await expect(checkScript.content).toMatchFileSnapshot(`../snapshots/export/${variant}/first-login-check.sh`);
      expect(userData.content.startsWith('#cloud-config\n')).toBe(true);
      expect(sizeNote).toContain(`${Buffer.byteLength(userData.content)} bytes`);
      const dir = join(tmp.dir, `ci-${variant}`);
      writeAll([userData, checkScript], dir);
      const schema = cloudInitSchema(ctx)(dir, userData.path);
      // The script cloud-init runs, decoded from its gz+b64 entry.
      const doc = parse(userData.content) as { write_files: { path: string; encoding?: string; content: string }[]; runcmd: string[][] };
      const apply = doc.write_files.find((f) => f.path.endsWith('/apply.sh'))!;
      const script = apply.encoding === 'gz+b64' ? gunzipSync(Buffer.from(apply.content, 'base64')).toString('utf8') : apply.content;
      writeFileSync(join(dir, 'apply.sh'), script);
      expect(doc.runcmd).toEqual([['/bin/bash', apply.path]]);
      const shellcheck = needTool(ctx, 'shellcheck', 'shellcheck');
      const checked = [
        ['apply.sh', 'bash'],
        [checkScript.path, 'sh'],
      ];
      const [s, ...sc] = await Promise.all([schema, ...checked.map(([f]) => shellcheckIn(shellcheck, dir, f))]);
      expect(s.stdout + s.stderr).toContain('Valid cloud-config');
      expect(s.code).toBe(0);
      checked.forEach(([f, shell], i) => {
        expect(run(shell, ['-n', join(dir, f)]).status, f).toBe(0);
        expect(sc[i].stdout, f).toBe('');
      });
    },
  );

  it('the apply script runs every action of the plan in order; the laptop gates are in the first-login check', () => {
    const input = inputFor('minimal');
    const { userData, checkScript } = exportCloudInit(input);
    const doc = parse(userData.content) as { write_files: { path: string; content: string }[] };
    const script = gunzipSync(Buffer.from(doc.write_files.find((f) => f.path.endsWith('/apply.sh'))!.content, 'base64')).toString('utf8');
    let at = 0;
    for (const s of input.plan.steps) {
      const i = script.indexOf(`current=${s.id}\n`, at);
      expect(i, s.id).toBeGreaterThan(at);
      at = i;
    }
    expect(script).not.toContain('deadman.sh arm');
    expect(checkScript.content).toContain('-o ControlMaster=no -o ControlPath=none -o PreferredAuthentications=publickey');
    expect(checkScript.content).toContain('root login is refused from outside');
    for (const s of Object.values(sentinels())) expect(userData.content + script + checkScript.content).not.toContain(s.reveal());
    // a literal block: the value is taken as typed, with one newline the apply script drops
    expect(doc.write_files.find((f) => f.path.endsWith('/secrets/SUDO_PASSWORD'))!.content).toBe('@@CLAW_SECRET_SUDO_PASSWORD@@\n');
  });

  it('reports its size against the 16 KB limit', () => {
    const { userData, sizeNote } = exportCloudInit(inputFor('channels'));
    const size = Buffer.byteLength(userData.content);
    expect(sizeNote).toMatch(size <= USER_DATA_LIMIT ? /within 16 KB/ : /over the 16 KB limit/);
  });
});

describe('claw-setup export (CLI)', () => {
  const EXAMPLE = new URL('../examples/answers.json5', import.meta.url).pathname;
  async function cli(argv: string[]) {
    let stdout = '';
    let stderr = '';
    const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env: {}, isTTY: false });
    return { code, stdout, stderr };
  }
  const refused = (argv: string[]) =>
    cli(argv).then(
      () => null,
      (e: unknown) => e as UserError,
    );

  it('refuses a missing or unknown engine with the usage', async () => {
    for (const [argv, msg] of [
      [['export', '--answers', EXAMPLE], /export needs an engine: ansible or cloud-init/],
      [['export', 'chef', '--answers', EXAMPLE], /unknown export engine "chef"/],
    ] as const) {
      const e = await refused([...argv]);
      expect(e).toBeInstanceOf(UserError);
      expect(e!.message).toMatch(msg);
      expect(e!.howToFix).toMatch(/claw-setup export ansible --answers FILE/);
    }
  });

  it('ansible without --out prints every file; with --out writes the project and refuses to overwrite it', async () => {
    const printed = await cli(['export', 'ansible', '--answers', EXAMPLE, '--operator-ip', '198.51.100.7']);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toContain('# ==> site.yml <==');
    const out = join(tmp.dir, 'cli-ansible');
    expect((await cli(['export', 'ansible', '--answers', EXAMPLE, '--out', out])).code).toBe(0);
    expect(existsSync(join(out, 'site.yml'))).toBe(true);
    expect(readFileSync(join(out, 'tasks/00-connect.yml'), 'utf8')).toContain('SSH_CONNECTION');
    expect((await refused(['export', 'ansible', '--answers', EXAMPLE, '--out', out]))!.message).toMatch(/already holds/);
  });

  it('cloud-init needs the break-glass address up front; with it, --out FILE writes the user-data and the check script', async () => {
    const e = await refused(['export', 'cloud-init', '--answers', EXAMPLE, '--operator-ip', 'auto']);
    expect(e).toBeInstanceOf(UserError);
    expect(e!.howToFix).toMatch(/--operator-ip IP/);
    const out = join(tmp.dir, 'ci', 'web1.yaml');
    const r = await cli(['export', 'cloud-init', '--answers', EXAMPLE, '--operator-ip', '198.51.100.7', '--out', out]);
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^#cloud-config\n/);
    expect(existsSync(join(tmp.dir, 'ci', 'web1-first-login-check.sh'))).toBe(true);
    expect(r.stderr).toMatch(/user-data: \d+ bytes/);
  });
});
