import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordingExecutor } from '../../src/exec/recording.js';
import { SshExecutor } from '../../src/exec/ssh.js';
import { muxArgs, writeScript } from '../../src/exec/ssh-args.js';
import { freshLoginArgs, loginRefusedArgs, remoteCommand, type SshTarget } from '../../src/plan/commands.js';
import type { ExecResult, Executor, FreshLoginCheck, LoginRefusedCheck, RunOptions } from '../../src/exec/types.js';
import { write, type Argv, type WriteAction } from '../../src/plan/action.js';
import { revealText, Secret, secretText } from '../../src/core/secret.js';
import type { RolloutEvent } from '../../src/rollout/events.js';
import { runPlan } from '../../src/rollout/runner.js';
import { everyAction, fixture, planFor, sentinels } from '../helpers.js';

/**
 * The sentinel test for the rollout: plans holding unique secret values are
 * run through the runner and the ssh command builder. No value may appear in
 * any argv, event, report or error text; they may appear only in what goes to
 * a process's stdin or into a file's content.
 */
const VALUES = Object.values(sentinels()).map((s) => s.reveal());
const leaks = (text: string) => VALUES.filter((v) => text.includes(v));
const allSecretObjects = Object.values(sentinels());

/** Keeps argv apart from what a real executor would send on stdin or into files, revealed. */
class SplitExecutor implements Executor {
  argvs: Argv[] = [];
  payload: string[] = [];
  async run(argv: Argv, o: RunOptions = {}): Promise<ExecResult> {
    this.argvs.push(argv);
    if (o.stdin) this.payload.push(revealText(o.stdin));
    // A server that echoes what it was given, as a failing command might.
    const echo = o.stdin ? revealText(o.stdin) : '';
    return { code: o.purpose === 'probe' ? 1 : argv[0] === 'chpasswd' ? 1 : 0, stdout: echo, stderr: echo };
  }
  async write(w: WriteAction) {
    this.argvs.push([w.path, w.owner, w.group, String(w.mode)]);
    this.payload.push(revealText(w.content));
    return { changed: true };
  }
  async freshLogin(_c: FreshLoginCheck): Promise<ExecResult> {
    return { code: 0, stdout: '', stderr: '' };
  }
  async loginRefused(_c: LoginRefusedCheck): Promise<ExecResult> {
    return { code: 0, stdout: '', stderr: '' };
  }
  async close() {}
}

describe.each(['full', 'channels', 'tailscale-only-ssh'])('sentinel secrets, plan "%s"', (variant) => {
  const { plan } = planFor(fixture(variant));

  it('never reach argv, events or the report through the runner; only stdin and file contents', async () => {
    const rec = new RecordingExecutor((c) => (c.op === 'run' && c.argv[0] === 'tailscale' && c.argv[1] === 'ip' ? { stdout: '100.64.1.2\n' } : undefined));
    const events: RolloutEvent[] = [];
    const r1 = await runPlan(plan, rec, (e) => events.push(e), { secrets: allSecretObjects });
    expect(r1.status).toBe('done');
    expect(leaks(JSON.stringify(rec.calls))).toEqual([]);
    expect(leaks(JSON.stringify(events))).toEqual([]);
    expect(leaks(r1.report.join('\n'))).toEqual([]);

    // The same plan where the server echoes stdin into its error output and the chpasswd fails.
    const split = new SplitExecutor();
    const ev2: RolloutEvent[] = [];
    const r2 = await runPlan(plan, split, (e) => ev2.push(e), { secrets: allSecretObjects });
    expect(r2.status).toBe('failed');
    expect(leaks(JSON.stringify(split.argvs))).toEqual([]);
    expect(leaks(JSON.stringify(ev2))).toEqual([]);
    expect(leaks(r2.report.join('\n'))).toEqual([]);
    expect(JSON.stringify(ev2)).toContain('<secret:SUDO_PASSWORD>');
    expect(leaks(split.payload.join('\n'))).toContain('SENTINEL_SUDO_PASSWORD_7f3a9c');
  });

  it('never reach any ssh command line the executor would build', () => {
    const t: SshTarget = {
      host: '203.0.113.10',
      port: 22,
      user: 'deploy',
      identityFile: '/k/id',
      sshOptions: ['ConnectTimeout=5'],
      hostKeyAlias: '203.0.113.10',
      knownHosts: '/k/kh',
    };
    const lines: Argv[] = [];
    let stdinWithSecret = 0;
    for (const a of everyAction(plan)) {
      for (const mode of ['root', 'password', 'nopasswd'] as const) {
        if (a.kind === 'run') {
          lines.push(muxArgs(t, '/tmp/x/cm', remoteCommand(a.argv, mode)));
          if (a.skipIf) lines.push(muxArgs(t, '/tmp/x/cm', remoteCommand(a.skipIf, mode)));
          if (a.stdin && leaks(revealText(a.stdin)).length) stdinWithSecret++;
        } else if (a.kind === 'write') {
          lines.push(muxArgs(t, '/tmp/x/cm', remoteCommand(writeScript(a), mode)));
          if (a.skipIf) lines.push(muxArgs(t, '/tmp/x/cm', remoteCommand(a.skipIf, mode)));
        } else {
          const c = a.check;
          if (c.type === 'fresh-login') lines.push(freshLoginArgs(t, c.user, c.port, t.host, c.sudo));
          else if (c.type === 'login-refused') lines.push(loginRefusedArgs(t, c.user, c.port, c.method));
          else lines.push(muxArgs(t, '/tmp/x/cm', remoteCommand(c.argv, mode)));
        }
      }
    }
    expect(lines.length).toBeGreaterThan(50);
    expect(leaks(JSON.stringify(lines))).toEqual([]);
    expect(stdinWithSecret).toBeGreaterThan(0);
  });
});

/**
 * The real SshExecutor against a fake `ssh` on PATH that logs each argv and
 * stdin and echoes stdin back (and fails on request): what reaches a real
 * process's argv, and what comes back out, is checked.
 */
describe('SshExecutor with a fake ssh', () => {
  let dir: string;
  let savedPath: string | undefined;
  const sudo = Secret.of('SUDO_PASSWORD', 'SENTINEL_sudo_pw_41b7');
  const token = Secret.of('TOKEN', 'SENTINEL_token_9e2c');
  const serverOnly = Secret.of('SERVER', 'SENTINEL_server_only_55aa');

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'claw-fake-ssh-'));
    spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'hk')]);
    const pub = readFileSync(join(dir, 'hk.pub'), 'utf8').trim().split(' ').slice(0, 2).join(' ');
    writeFileSync(join(dir, 'known_hosts'), `203.0.113.10 ${pub}\n`);
    writeFileSync(join(dir, 'id'), 'not a real key');
    writeFileSync(
      join(dir, 'ssh'),
      `#!/bin/bash
log=${dir}/log
{ for a in "$@"; do printf '%s\\n' "$a"; done; echo '--end--'; } >> "$log.argv"
if [ "$1" = -G ]; then printf 'hostname 203.0.113.10\\nport 22\\nuserknownhostsfile ${dir}/known_hosts\\nglobalknownhostsfile /dev/null\\nhashknownhosts no\\n'; exit 0; fi
if [ "$1" = -f ]; then exit 0; fi
for a in "$@"; do [ "$a" = -O ] && exit 0; done
case "\${!#}" in *claw-setup-lock*) echo claw-setup:locked; cat >/dev/null; exit 0 ;; esac
input=$(cat); printf '%s\\n--end--\\n' "$input" >> "$log.stdin"
last=\${!#}
case "$last" in
  *'sudo -k -n true'*) exit 1 ;;
  *fail-please*) echo "it failed on: $input" >&2; exit 1 ;;
  *claw-setup:changed*) [ -n "$FAIL_WRITE" ] && { echo "install: cannot write: $input" >&2; exit 1; }; echo claw-setup:changed; exit 0 ;;
  *print-server-secret*) echo "server says SENTINEL_server_only_55aa"; exit 0 ;;
esac
echo "got: $input"
`,
    );
    chmodSync(join(dir, 'ssh'), 0o755);
    savedPath = process.env.PATH;
    process.env.PATH = `${dir}:${savedPath}`;
  });
  afterAll(() => {
    process.env.PATH = savedPath;
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps secrets out of every argv, feeds them on stdin, and redacts what comes back', async () => {
    const ex = await SshExecutor.connect({
      host: '203.0.113.10',
      port: 22,
      user: 'deploy',
      identityFile: join(dir, 'id'),
      sshOptions: [],
      knownHosts: join(dir, 'known_hosts'),
      yes: true,
      confirmHostKey: async () => false,
      sudoPassword: sudo,
      secrets: [serverOnly],
    });
    const r1 = await ex.run(['chpasswd'], { stdin: secretText`deploy:${sudo}\n` });
    const r2 = await ex.run(['sh', '-c', 'fail-please'], { stdin: secretText`T=${token}\n` });
    const r3 = await ex.run(['print-server-secret']);
    const w = write('/home/deploy/openclaw/.env', secretText`OPENCLAW_GATEWAY_TOKEN='${token}'\n`, { mode: 0o600, owner: 'deploy' });
    expect(await ex.write(w)).toEqual({ changed: true });
    process.env.FAIL_WRITE = '1';
    const err = await ex.write(w).then(
      () => null,
      (e: Error) => e,
    );
    delete process.env.FAIL_WRITE;
    const fresh = await ex.freshLogin({ type: 'fresh-login', user: 'deploy', port: 22, via: 'public', sudo: true });
    await ex.close();

    const argv = readFileSync(join(dir, 'log.argv'), 'utf8');
    const stdin = readFileSync(join(dir, 'log.stdin'), 'utf8');
    expect(argv).not.toMatch(/SENTINEL_/);
    expect(stdin).toContain('SENTINEL_sudo_pw_41b7\ndeploy:SENTINEL_sudo_pw_41b7');
    expect(stdin).toContain('SENTINEL_token_9e2c');
    // sudo with a password, -k so a cached credential never leaves the password line to the command
    expect(argv).toContain("umask 077; sudo -S -k -p '' -- chpasswd");
    const outputs = JSON.stringify([r1, r2, r3, fresh, err?.message]);
    expect(outputs).not.toMatch(/SENTINEL_/);
    expect(r1.stdout).toContain('<secret:SUDO_PASSWORD>');
    expect(r2.stderr).toContain('<secret:TOKEN>');
    expect(r3.stdout).toBe('server says <secret:SERVER>\n');
    expect(err?.message).toMatch(/^writing \/home\/deploy\/openclaw\/.env failed \(exit 1: install: cannot write: .*<secret:TOKEN>/);
    expect(ex.counters().connections).toBe(2);
  });
});
