// Many checks in one round trip: the batch script run for real by sh, and the runner using its
// answers until something changes.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RecordingExecutor } from '../../src/exec/recording.js';
import { gate, run, write, type Plan } from '../../src/plan/action.js';
import { sha256 } from '../../src/plan/probes.js';
import { batchScript, collectProbes, type Probe } from '../../src/rollout/probe-batch.js';
import { runPlan } from '../../src/rollout/runner.js';
import { fixture, planFor, VARIANTS } from '../helpers.js';

describe('probe batch script', () => {
  it('answers every probe in order with sh: commands by exit code, files by mode, owner and sha256 from stdin', () => {
    const dir = mkdtempSync(join(tmpdir(), 'claw-batch-'));
    try {
      const same = join(dir, 'same');
      const other = join(dir, 'other');
      writeFileSync(same, 'hello\n');
      writeFileSync(other, 'changed\n');
      chmodSync(same, 0o640);
      chmodSync(other, 0o640);
      const me = userInfo().username;
      const grp = spawnSync('id', ['-gn'], { encoding: 'utf8' }).stdout.trim();
      const probes: Probe[] = [
        { kind: 'cmd', argv: ['true'] },
        { kind: 'file', write: write(same, 'hello\n', { mode: 0o640, owner: me, group: grp }), hash: sha256('hello\n') },
        { kind: 'cmd', argv: ['sh', '-c', 'exit 3'] },
        { kind: 'file', write: write(other, 'hello\n', { mode: 0o640, owner: me, group: grp }), hash: sha256('hello\n') },
        { kind: 'file', write: write(same, 'hello\n', { mode: 0o600, owner: me, group: grp }), hash: sha256('hello\n') },
        // a probe that reads stdin must not eat the hashes
        { kind: 'cmd', argv: ['sh', '-c', 'cat >/dev/null; true'] },
        { kind: 'file', write: write(join(dir, 'missing'), 'x', { mode: 0o600 }), hash: sha256('x') },
      ];
      const r = spawnSync('sh', ['-c', batchScript(probes)], {
        input: probes.flatMap((p) => (p.kind === 'file' ? [`${p.hash}\n`] : [])).join(''),
        encoding: 'utf8',
      });
      expect(r.stdout).toBe(['0 0', '1 0', '2 1', '3 1', '4 1', '5 0', '6 1'].map((l) => `claw-probe ${l}\n`).join(''));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('collects skipIf probes, file checks and retry-less remote gates, but nothing inside a guarded group', () => {
    const w = write('/etc/x', 'x\n', { mode: 0o644 });
    const r = run('r', ['true'], { skipIf: ['test', '-e', '/x'] });
    const g = gate('g', { type: 'remote', argv: ['true'] });
    const retried = gate('h', { type: 'remote', argv: ['true'], retries: 3 });
    const inner = run('inner', ['true'], { skipIf: ['false'] });
    const probes = collectProbes([
      w,
      r,
      g,
      retried,
      { kind: 'guarded', id: 'x', title: 'x', backup: [], afterRestore: [], timeoutSec: 180, skipIf: ['test', '-e', '/y'], actions: [inner], gates: [] },
    ]);
    expect([...probes.values()].map((p) => (p.kind === 'cmd' ? p.argv.join(' ') : `file ${p.write.path}`))).toEqual([
      'file /etc/x',
      'test -e /x',
      'true',
      'test -e /y',
    ]);
  });
});

describe('runner with batched probes', () => {
  const plan = (): Plan => ({
    header: [],
    steps: [
      {
        id: 'base',
        title: 'base',
        summary: [],
        actions: [
          run('install', ['apt-get', 'install', 'x'], { skipIf: ['dpkg', '-s', 'x'] }),
          write('/etc/a', 'a\n', { mode: 0o644 }),
          gate('check', { type: 'remote', argv: ['sshd', '-t'] }),
          run('always', ['touch', '/x']),
          run('later', ['apt-get', 'install', 'y'], { skipIf: ['dpkg', '-s', 'y'] }),
        ],
      },
    ],
  });

  it('one round trip answers every check until something changes; then it asks again', async () => {
    let batches = 0;
    const ex = new RecordingExecutor((c) => {
      if (c.op === 'run' && c.argv[0] === 'sh' && c.purpose === 'probe' && String(c.argv[2]).includes('claw-probe')) {
        batches++;
        // first batch: all pass; second (after the change): "later" is not done
        const n = String(c.argv[2]).split('claw-probe').length;
        return { code: 0, stdout: Array.from({ length: n }, (_, i) => `claw-probe ${i} ${batches === 1 ? 0 : 1}\n`).join('') };
      }
      return undefined;
    });
    const result = await runPlan(plan(), ex, () => {}, { secrets: [], batchProbes: true });
    expect(result.status).toBe('done');
    const ops = ex.calls.map((c) => (c.op === 'run' ? `${c.purpose}:${c.argv[0]}` : c.op));
    // batch, (install skipped, write unchanged, gate passed: no calls), touch runs, batch again, install y
    expect(ops).toEqual(['probe:sh', 'action:touch', 'probe:sh', 'action:apt-get']);
    expect(batches).toBe(2);
  });

  it('without batching every check is its own round trip', async () => {
    const ex = new RecordingExecutor();
    await runPlan(plan(), ex, () => {}, { secrets: [] });
    expect(ex.calls.filter((c) => c.op === 'run' && c.purpose === 'probe').length).toBe(2);
  });
});

describe('what a rollout batch asks is quick', () => {
  // A waiting loop among the batched checks holds the whole round trip for its full wait: the
  // first rollout's /healthz gate once did (two minutes, before the gateway even existed).
  it.each(VARIANTS)('%s: no batched check sleeps or loops', (variant) => {
    const { plan } = planFor(fixture(variant));
    const probes = collectProbes(plan.steps.flatMap((s) => s.actions));
    expect(probes.size).toBeGreaterThan(10);
    for (const p of probes.values()) if (p.kind === 'cmd') expect(p.argv.join(' ')).not.toMatch(/\bsleep\b|\bwhile\b|\buntil\b/);
  });
});
