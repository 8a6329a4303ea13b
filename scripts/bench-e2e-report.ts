// Turns the CLI's own progress lines (stamped on arrival) and the ssh stand-in's log into the
// benchmark's tables. The CLI prints "==> step: title" when a step starts, "<== step: status"
// when it ends, and one line per finished action or check, so the time between two lines is
// (to a few ms of pipe latency) the time the later one took.
import type { CliRun } from '../test/e2e/rollout-kit.js';

export interface Timed {
  start: number;
  end: number;
  lines: { at: number; text: string }[];
  run: CliRun;
}

/** ssh client starts in [t0, t1): new TCP connections (master, fresh gate logins, keyscans) and commands over the master. */
export function sshKinds(log: string, t0: number, t1: number): { connections: number; roundTrips: number; total: number } {
  let connections = 0;
  let roundTrips = 0;
  let total = 0;
  for (const l of log.split('\n')) {
    const [us, kind] = l.split(' ');
    const ms = Number(us) / 1000;
    if (!kind || ms < t0 || ms >= t1) continue;
    total++;
    if (kind === 'mux') roundTrips++;
    else if (kind === 'master' || kind === 'fresh' || kind === 'keyscan') connections++;
  }
  return { connections, roundTrips, total };
}

/** The run's stdout with each line's offset from the start and the time since the line before. */
export function timeline(t: Timed): string {
  let prev = t.start;
  const rows = t.lines.map((l) => {
    const row = `${((l.at - t.start) / 1000).toFixed(2).padStart(8)} +${((l.at - prev) / 1000).toFixed(2).padStart(6)}  ${l.text}`;
    prev = l.at;
    return row;
  });
  return [...rows, `exit ${t.run.code} after ${(t.run.ms / 1000).toFixed(2)} s`, '--- stderr', t.run.stderr].join('\n') + '\n';
}

interface Span {
  id: string;
  status: string;
  from: number;
  to: number;
  slowest: { title: string; ms: number } | null;
}

/** A run cut at its step lines: connect and probe before the first step, the report after the last. */
function spans(t: Timed): Span[] {
  const out: Span[] = [];
  let cur: Span | null = null;
  let prev = t.start;
  let lastEnd = t.start;
  for (const l of t.lines) {
    const start = /^==> ([a-z0-9-]+): /.exec(l.text);
    const end = /^<== ([a-z0-9-]+): (\w+)$/.exec(l.text);
    if (start) {
      if (!cur && out.length === 0) out.push({ id: '(connect, probe, plan)', status: '', from: t.start, to: l.at, slowest: null });
      cur = { id: start[1], status: '', from: l.at, to: l.at, slowest: null };
    } else if (end && cur) {
      cur.status = end[2];
      cur.to = l.at;
      out.push(cur);
      lastEnd = l.at;
      cur = null;
    } else if (cur && /^ {4}\S/.test(l.text)) {
      const ms = l.at - prev;
      if (!cur.slowest || ms > cur.slowest.ms) cur.slowest = { title: l.text.trim().replace(/\s+/g, ' '), ms };
    }
    prev = l.at;
  }
  out.push({ id: '(report, reboot check, close)', status: '', from: lastEnd, to: t.end, slowest: null });
  return out;
}

/** One row per step: wall time, status and ssh commands in each run, and the slowest line of the longest. */
export function stepTable(runs: Timed[], sshLog: string): string {
  const all = runs.map(spans);
  const ids: string[] = [];
  for (const s of all.flat()) if (!ids.includes(s.id)) ids.push(s.id);
  const head = `    ${'step'.padEnd(30)} ${runs.map((_, i) => `run ${i + 1}: wall  status   cmds`.padEnd(32)).join('')} slowest line (time since the line before)`;
  const rows = ids.map((id) => {
    const cells = all.map((spansOfRun) => {
      const s = spansOfRun.filter((x) => x.id === id);
      if (s.length === 0) return ''.padEnd(32);
      const ms = s.reduce((a, x) => a + (x.to - x.from), 0);
      const cmds = s.reduce((a, x) => a + sshKinds(sshLog, x.from, x.to).roundTrips, 0);
      return `${(ms / 1000).toFixed(1).padStart(11)} s ${s[0].status.padEnd(8)} ${String(cmds).padStart(4)}`.padEnd(32);
    });
    const slow = all
      .flat()
      .filter((x) => x.id === id && x.slowest)
      .sort((a, b) => b.slowest!.ms - a.slowest!.ms)[0]?.slowest;
    return `    ${id.padEnd(30)} ${cells.join('')} ${slow ? `${(slow.ms / 1000).toFixed(1)} s ${slow.title.slice(0, 70)}` : ''}`;
  });
  return [head, ...rows].join('\n');
}
