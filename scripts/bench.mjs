#!/usr/bin/env node
// Benchmarks (not tests): wall time of `claw-setup plan` on the full example, Node start-up included,
// and of `--help` (start-up floor). Run after `npm run build`. Prints median / min / max of N runs.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const N = Number(process.env.BENCH_RUNS ?? 15);

function time(args) {
  const ms = [];
  for (let i = 0; i < N; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, ['bin/claw-setup', ...args], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (r.status !== 0) throw new Error(`claw-setup ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  ms.sort((a, b) => a - b);
  return { median: ms[Math.floor(N / 2)].toFixed(0), min: ms[0].toFixed(0), max: ms[N - 1].toFixed(0) };
}

for (const [name, args] of [
  ['--help (start-up)', ['--help']],
  ['plan examples/answers.json5', ['plan', '--answers', 'examples/answers.json5']],
  ['plan test/fixtures/answers/full.json5', ['plan', '--answers', 'test/fixtures/answers/full.json5']],
]) {
  const t = time(args);
  console.log(`${name.padEnd(40)} median ${t.median} ms  (min ${t.min}, max ${t.max}, ${N} runs)`);
}
