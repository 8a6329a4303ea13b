// The machine's side of a benchmark figure: how busy it was, what it is. A run on a loaded
// 2-core machine can take twice as long as on an idle one, so every figure carries these.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus } from 'node:os';
import { spawnSync } from 'node:child_process';
import { ROOT } from '../test/e2e/rollout-kit.js';

export interface Conditions {
  at: number;
  load1: number;
  loadavg: string;
  /** Jiffies from the first line of /proc/stat: busy (all but idle and iowait) and total. */
  busy: number;
  total: number;
}

export function conditionsNow(): Conditions {
  const loadavg = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = cpu.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = cpu[3] + cpu[4];
  return { at: Date.now(), load1: Number(loadavg.split(' ')[0]), loadavg, busy: total - idle, total };
}

/** Share of all CPUs' time spent busy between two samples (everyone's work, ours included). */
export function cpuBusy(a: Conditions, b: Conditions): string {
  const t = b.total - a.total;
  return t > 0 ? `${Math.round((100 * (b.busy - a.busy)) / t)}%` : '-';
}

const sh = (cmd: string) => spawnSync('sh', ['-c', cmd], { encoding: 'utf8', cwd: ROOT }).stdout.trim();

/** One line: CPUs, model, memory, kernel, the commit measured, the load when it started. */
export function machineLine(c: Conditions): string {
  const memGb = Math.round(Number(/MemTotal:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0) / 1024 / 1024);
  const commit = process.env.BENCH_COMMIT ?? sh('git rev-parse --short HEAD 2>/dev/null');
  const dirty = !process.env.BENCH_COMMIT && sh('git status --porcelain --untracked-files=no 2>/dev/null | head -1') ? ' + uncommitted changes' : '';
  return (
    `code measured: ${commit ? `commit ${commit}${dirty}` : 'not a git checkout (set BENCH_COMMIT to name it)'}\n` +
    `machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), ${memGb} GB, kernel ${sh('uname -r')}, ` +
    `load1/5/15 at start ${c.loadavg}`
  );
}

/** A benchmark's last lines: the load at the end, where its logs are; report.txt written; the logs removed unless kept. */
export function endReport(print: (s?: string) => void, out: string[], logDir: string, keepLogs: boolean): void {
  print('');
  print(`load1/5/15 at the end: ${conditionsNow().loadavg}; timestamped CLI output per run: ${keepLogs ? logDir : '(removed; --keep-logs keeps it)'}`);
  writeFileSync(join(logDir, 'report.txt'), out.join('\n') + '\n');
  if (!keepLogs) rmSync(logDir, { recursive: true, force: true });
}

/** Runs a benchmark's main: its error's message on stderr and exit 2. */
export function runBench(main: () => Promise<void>): void {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(2);
  });
}
