#!/usr/bin/env node
// Benchmarks (not tests). Run after `npm run build`; prints median / min / max of N runs (BENCH_RUNS, default 15).
// - `--help` (start-up floor) and `plan` on the example answers: wall time of the whole process, Node start-up included.
// - The first wizard frame: `claw-setup --dry-run` in a real pseudo-terminal (util-linux `script`, 80×24, an empty
//   HOME), timed from spawn until the welcome screen's last line ("Nothing changes until you confirm") has been
//   written to the terminal. `node -e` printing one word through the same terminal is timed beside it: the floor.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const N = Number(process.env.BENCH_RUNS ?? 15);

function stats(ms) {
  ms.sort((a, b) => a - b);
  return `median ${ms[Math.floor(ms.length / 2)].toFixed(0)} ms  (min ${ms[0].toFixed(0)}, max ${ms[ms.length - 1].toFixed(0)}, ${ms.length} runs)`;
}

function time(args) {
  const ms = [];
  for (let i = 0; i < N; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, ['bin/claw-setup', ...args], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (r.status !== 0) throw new Error(`claw-setup ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  return stats(ms);
}

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]/g;

/** Milliseconds from spawn until `marker` has been painted on a pseudo-terminal running `command`. */
function untilPainted(command, marker, home) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn('script', ['-qfec', `stty cols 80 rows 24; exec ${command}`, '/dev/null'], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: home, TERM: 'xterm-256color', LANG: 'C.UTF-8' },
      stdio: ['pipe', 'pipe', 'ignore'],
      detached: true,
    });
    let out = '';
    let done = false;
    const timer = setTimeout(() => finish(new Error(`no "${marker}" after 20 s: ${out.slice(-300)}`)), 20000);
    function finish(err, ms) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      if (err) reject(err);
      else resolve(ms);
    }
    child.stdout.on('data', (d) => {
      out += d;
      if (out.replace(ANSI, '').includes(marker)) finish(null, Number(process.hrtime.bigint() - t0) / 1e6);
    });
    child.on('exit', () => setTimeout(() => finish(new Error(`exited before "${marker}": ${out.slice(-300)}`)), 50));
  });
}

async function firstFrame() {
  if (spawnSync('script', ['-V']).status !== 0) return null;
  const home = mkdtempSync(join(tmpdir(), 'claw-bench-'));
  mkdirSync(join(home, '.ssh'), { mode: 0o700 });
  const wizard = [];
  const floor = [];
  try {
    for (let i = 0; i < N; i++) {
      wizard.push(await untilPainted(`${process.execPath} bin/claw-setup --dry-run`, 'Nothing changes until you confirm', home));
      floor.push(await untilPainted(`${process.execPath} -e "process.stdout.write('READY')"`, 'READY', home));
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
  return { wizard: stats(wizard), floor: stats(floor) };
}

for (const [name, args] of [
  ['--help (start-up)', ['--help']],
  ['plan examples/answers.json5', ['plan', '--answers', 'examples/answers.json5']],
  ['plan test/fixtures/answers/full.json5', ['plan', '--answers', 'test/fixtures/answers/full.json5']],
]) {
  console.log(`${name.padEnd(40)} ${time(args)}`);
}
const ff = await firstFrame();
if (!ff) console.log('first wizard frame: skipped (util-linux `script` is not installed)');
else {
  console.log(`${'first wizard frame (pty, spawn → painted)'.padEnd(40)} ${ff.wizard}`);
  console.log(`${'  floor: node -e, same terminal'.padEnd(40)} ${ff.floor}`);
}
