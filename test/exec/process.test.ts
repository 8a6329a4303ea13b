// The one process launcher (src/exec/process.ts), with real processes: what reaches stdin, how
// a run ends (exit, timeout, cancel, not started), a daemonising program, a held session.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { holdProcess, spawnDetaching, spawnProcess } from '../../src/exec/process.js';

const dir = mkdtempSync(join(tmpdir(), 'claw-process-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('spawnProcess: run to the end', () => {
  it('feeds input on stdin and hands back output as it is, final newline kept', async () => {
    const r = await spawnProcess(['sh', '-c', 'cat; echo err >&2'], { input: 'secret-free line\n' });
    expect(r).toEqual({ code: 0, stdout: 'secret-free line\n', stderr: 'err\n', timedOut: false, canceled: false, notStarted: false });
  });

  it('passes the exit code through; timeout is 124, cancel 130, a missing program 127', async () => {
    expect((await spawnProcess(['sh', '-c', 'exit 3'])).code).toBe(3);
    const slow = await spawnProcess(['sleep', '5'], { timeoutSec: 1 });
    expect(slow).toMatchObject({ code: 124, timedOut: true, canceled: false });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const cut = await spawnProcess(['sleep', '5'], { signal: ac.signal });
    expect(cut).toMatchObject({ code: 130, canceled: true, timedOut: false });
    const none = await spawnProcess(['claw-no-such-program-8c1e']);
    expect(none).toMatchObject({ code: 127, notStarted: true, stderr: 'cannot start claw-no-such-program-8c1e: is OpenSSH installed?' });
  });
});

describe('spawnDetaching: a program that leaves a daemon behind (ssh -f)', () => {
  it('returns when the foreground part ends, though the daemon keeps our descriptors; stderr lands in the log', async () => {
    const log = join(dir, 'detach.log');
    const started = Date.now();
    // The background sleep inherits stdout and stderr, as the ControlMaster does after -f.
    const r = await spawnDetaching(['sh', '-c', 'sleep 30 & echo "daemon $!" >&2; exit 4'], { logFile: log, timeoutSec: 20 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(r).toEqual({ code: 4, timedOut: false });
    const pid = Number(/daemon (\d+)/.exec(readFileSync(log, 'utf8'))?.[1]);
    expect(alive(pid)).toBe(true);
    process.kill(pid);
  });
});

describe('holdProcess: a session held open beside the CLI', () => {
  it('writes the input first, resolves once stdout says ready, and ends when its stdin is closed', async () => {
    const gone = join(dir, 'gone');
    const held = holdProcess(['sh', '-c', `read -r pw; echo "ready:$pw"; cat >/dev/null; touch ${gone}`], {
      input: 'pw-line\n',
      ready: (out) => out.includes('ready:'),
      timeoutMs: 10_000,
    });
    expect(await held.answer).toEqual({ stdout: 'ready:pw-line\n', stderr: '', outcome: 'ready' });
    expect(existsSync(gone)).toBe(false);
    await held.end();
    // cat saw end of input: the process finished on its own, not by a kill.
    expect(existsSync(gone)).toBe(true);
  });

  it("says 'exit' with its stderr when it ends without the answer, and 'timeout' when it stays silent", async () => {
    const quits = holdProcess(['sh', '-c', 'echo "no lock for you" >&2; exit 75'], { input: '', ready: () => false, timeoutMs: 10_000 });
    expect(await quits.answer).toEqual({ stdout: '', stderr: 'no lock for you\n', outcome: 'exit' });
    const silent = holdProcess(['sleep', '30'], { input: '', ready: () => false, timeoutMs: 200 });
    expect((await silent.answer).outcome).toBe('timeout');
    silent.kill();
    await silent.end(100);
  });
});

describe('one launcher', () => {
  it('nothing else in src/exec imports child_process or execa', () => {
    const root = fileURLToPath(new URL('../../src/exec/', import.meta.url));
    const spawners = readdirSync(root)
      .filter((f) => f.endsWith('.ts'))
      .filter((f) => /from '(node:)?(child_process|execa)'/.test(readFileSync(join(root, f), 'utf8')));
    expect(spawners).toEqual(['process.ts']);
  });
});
