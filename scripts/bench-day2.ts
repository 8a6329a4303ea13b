/**
 * `npm run bench:day2` (root, like the e2e tests): the day-2 commands' figures on a deployed
 * server (issue 21 item 8). One fresh Debian 13 test server gets the real OpenClaw gateway
 * (test/e2e/gateway-kit.ts), the Telegram stand-in runs on this machine, then each command runs
 * as a user runs it: status, audit, add-channel telegram, a token Telegram refuses (rolled back),
 * remove-channel, rotate gateway-token. status and audit also run with `--user deploy` (the login
 * that works after setup: no refused root attempt first).
 *
 * "gateway away": a loop on the server asks /healthz every 0.2 s for the whole run and logs each
 * answer with the server's clock (the test server shares this machine's clock); a command's
 * figure is the time between the last answer before a gap and the first one after it, summed over
 * the gaps inside the command's window. Per-step times come from the arrival time of the CLI's
 * own lines (scripts/bench-e2e-report.ts). Figures, not assertions.
 *
 * Usage: npm run bench:day2 [-- --repeat N] [--keep-logs]
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testhostUnavailableReason } from '../test/e2e/testhost/testhost.js';
import { look, runCli, teardown, type Rig } from '../test/e2e/rollout-kit.js';
import { deployGateway } from '../test/e2e/gateway-kit.js';
import { startFakeTelegram, type FakeTelegram } from '../test/e2e/fake-telegram.js';
import { conditionsNow, cpuBusy, endReport, machineLine, runBench, type Conditions } from './bench-e2e-machine.js';
import { timeline, type Timed } from './bench-e2e-report.js';

const argv = process.argv.slice(2);
const repeatAt = argv.indexOf('--repeat');
const REPEAT = repeatAt < 0 ? 1 : Math.max(1, Number(argv[repeatAt + 1]) || 1);
const KEEP_LOGS = argv.includes('--keep-logs');
const TG_TOKEN = '7700112233:AABenchTelegramToken_0123456789abcdef';
const TG_WRONG = '7700112233:AABenchWrongTelegramToken_fedcba98765';
const HEALTH_LOG = '/root/bench-healthz.log';

interface Row {
  name: string;
  ms: number;
  code: number | null;
  away: ReturnType<typeof awayIn> | null;
  before: Conditions;
  after: Conditions;
  note: string;
}

const secs = (ms: number) => (ms / 1000).toFixed(1);

/** Starts the /healthz loop on the server (detached from the exec that starts it, logs "epoch-ms 200|000"). */
function startHealthLoop(r: Rig, port: number): void {
  const loop = [
    `while :; do c=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 http://127.0.0.1:${port}/healthz)`,
    `echo "$(date +%s%3N) $c" >> ${HEALTH_LOG}; sleep 0.2; done`,
  ].join('; ');
  look(r, `rm -f ${HEALTH_LOG}; systemd-run --unit=claw-bench-healthz --collect sh -c '${loop.replace(/'/g, `'\\''`)}' >/dev/null 2>&1`);
}

/**
 * Milliseconds the gateway did not answer 200 inside [t0, t1] (gaps between answered polls), the
 * number of polls and the longest silence between two polls (the figure is only as fine as that).
 */
function awayIn(log: string, t0: number, t1: number): { ms: number; polls: number; maxGapMs: number } {
  const polls = log
    .split('\n')
    .map((l) => l.split(' '))
    .filter(([at, c]) => at && c)
    .map(([at, c]) => ({ at: Number(at), ok: c === '200' }))
    .filter((p) => p.at >= t0 - 1000 && p.at <= t1 + 1000);
  let away = 0;
  let lastOk: number | null = null;
  let inGap = false;
  for (const p of polls) {
    if (!p.ok) inGap = true;
    else {
      if (inGap && lastOk !== null) away += p.at - lastOk;
      inGap = false;
      lastOk = p.at;
    }
  }
  // A gap still open at the end of the window counts up to the window's end.
  if (inGap && lastOk !== null) away += t1 - lastOk;
  const maxGapMs = polls.reduce((m, p, i) => (i ? Math.max(m, p.at - polls[i - 1].at) : m), 0);
  return { ms: away, polls: polls.length, maxGapMs };
}

async function timed(r: Rig, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Timed> {
  const lines: { at: number; text: string }[] = [];
  const start = Date.now();
  const run = await runCli({ ...r, env: { ...r.env, ...env } }, args, (text) => lines.push({ at: Date.now(), text }));
  return { start, end: start + run.ms, lines, run };
}

/** The CLI's own account of where time went, when it prints one (audit/status). */
const tookLine = (t: Timed) => t.lines.find((l) => / took /.test(l.text))?.text.replace(/^claw-setup: /, '') ?? '';

/** The slowest lines of a run (the time since the line before each), as "1.2 s title" entries. */
function slowest(t: Timed, n = 4): string {
  const rows = t.lines.map((l, i) => ({ ms: l.at - (i ? t.lines[i - 1].at : t.start), text: l.text.trim().slice(0, 70) }));
  return rows
    .sort((a, b) => b.ms - a.ms)
    .slice(0, n)
    .filter((x) => x.ms >= 300)
    .map((x) => `${secs(x.ms)} s ${x.text}`)
    .join(' | ');
}

async function main(): Promise<void> {
  const why = testhostUnavailableReason();
  if (why) {
    console.error(`bench:day2 needs real test servers: ${why}`);
    process.exit(1);
  }
  const logDir = mkdtempSync(join(tmpdir(), 'claw-bench-day2-'));
  const out: string[] = [];
  const print = (s = '') => {
    out.push(s);
    console.log(s);
  };
  const start = conditionsNow();
  print(`claw-setup day-2 benchmark, ${new Date().toISOString()}, ${machineLine(start)}`);
  let r: Rig | undefined;
  let tg: FakeTelegram | undefined;
  try {
    const t0 = Date.now();
    // The Bot API stand-in listens on this machine's side of the veth, a private range the egress rules drop by default.
    ({ r } = await deployGateway(`bday2-${process.pid % 10000}`, {
      env: { TELEGRAM_BOT_TOKEN: TG_TOKEN },
      answers: { openclaw: { egress: { allow: ['10.77.0.0/16'] } } },
    }));
    const host = r;
    print(
      `deploy (fresh Debian ${look(host, 'cat /etc/debian_version').trim()} test server to a healthy gateway): ${secs(Date.now() - t0)} s (not a day-2 figure)`,
    );
    tg = await startFakeTelegram(host.host.hostIp, TG_TOKEN);
    startHealthLoop(host, 18789);
    const tgSets = ['--set', 'allowFrom=123456789', '--set', `apiRoot=${tg.url}`];
    const cases: { name: string; args: string[]; env?: NodeJS.ProcessEnv; gateway?: boolean; code?: number }[] = [
      { name: 'status', args: ['status'] },
      { name: 'status --user deploy', args: ['status', '--user', 'deploy'] },
      { name: 'audit', args: ['audit'] },
      { name: 'audit --user deploy', args: ['audit', '--user', 'deploy'] },
      { name: 'add-channel telegram', args: ['add-channel', '--type', 'telegram', ...tgSets], gateway: true, code: 0 },
      {
        name: 'add-channel, token refused (rolled back)',
        args: ['add-channel', '--type', 'telegram', '--set', 'allowFrom=123456789,987654321', '--set', `apiRoot=${tg.url}`],
        env: { TELEGRAM_BOT_TOKEN: TG_WRONG },
        gateway: true,
        code: 2,
      },
      { name: 'remove-channel telegram', args: ['remove-channel', '--type', 'telegram'], gateway: true, code: 0 },
      { name: 'rotate gateway-token', args: ['rotate', 'gateway-token'], gateway: true, code: 0 },
    ];
    const rows: Row[] = [];
    const details: string[] = [];
    for (let n = 1; n <= REPEAT; n++) {
      for (const c of cases) {
        const before = conditionsNow();
        const t = await timed(host, c.args, c.env);
        const after = conditionsNow();
        const name = REPEAT > 1 ? `${c.name} (#${n})` : c.name;
        const away = c.gateway ? awayIn(look(host, `cat ${HEALTH_LOG}`), t.start, t.end) : null;
        rows.push({ name, ms: t.run.ms, code: t.run.code, away, before, after, note: tookLine(t) });
        writeFileSync(join(logDir, `${name.replace(/\W+/g, '-')}.log`), timeline(t));
        details.push(`  ${name}: ${slowest(t)}`);
        if (c.name.startsWith('remove-channel')) {
          // Proof the reload stopped the channel: the stand-in holds each getUpdates 1 s, so a running channel polls about 8 times in 8 s.
          const polls = () => tg!.calls().filter((x) => x.method === 'getUpdates').length;
          const before = polls();
          await new Promise((res) => setTimeout(res, 8000));
          details.push(`  ${name}: getUpdates calls to the Bot API stand-in in the 8 s after it: ${polls() - before} (0: the channel stopped)`);
        }
        if (c.code !== undefined && t.run.code !== c.code) {
          print(`!! ${name} exited ${t.run.code}, expected ${c.code}:\n${t.run.stdout.slice(-2500)}\n${t.run.stderr.slice(-1500)}`);
        }
      }
    }
    // Where OpenClaw's own audit spends its time, on the server: warm compile cache (as the audit runs
    // it), then without one; and what the cache holds. The container has no route out either way.
    const auditRun = (env: string) =>
      look(host, `bash -c 'TIMEFORMAT=%R; time (docker exec -e ${env} openclaw-gateway node dist/index.js security audit --json >/dev/null 2>&1)' 2>&1`).trim();
    const cacheRun = auditRun('NODE_COMPILE_CACHE=/tmp/openclaw-compile-cache');
    const coldRun = auditRun('NODE_DISABLE_COMPILE_CACHE=1');
    const cacheSize = look(host, 'docker exec openclaw-gateway du -sh /tmp/openclaw-compile-cache 2>&1 || true').trim();
    details.push(`  OpenClaw security audit alone in the container: ${cacheRun} s with the compile cache, ${coldRun} s without; cache: ${cacheSize}`);
    print('');
    print(`  ${'command'.padEnd(42)} ${'wall'.padStart(7)}  ${'gateway away'.padStart(12)}  exit  machine during the command`);
    for (const x of rows) {
      const away = x.away === null ? '' : `${secs(x.away.ms)} s`;
      const load = `load1 ${x.before.load1.toFixed(2)} → ${x.after.load1.toFixed(2)}, cpu busy ${cpuBusy(x.before, x.after)}`;
      print(`  ${x.name.padEnd(42)} ${`${secs(x.ms)} s`.padStart(7)}  ${away.padStart(12)}  ${String(x.code).padStart(4)}  ${load}`);
    }
    print('');
    print('  the CLI’s own account:');
    for (const x of rows.filter((x) => x.note)) print(`  ${x.name}: ${x.note}`);
    print('  /healthz polls on the server (every 0.2 s) in each changing command, and the longest silence between two:');
    for (const x of rows.filter((x) => x.away)) print(`  ${x.name}: ${x.away!.polls} polls, longest silence ${secs(x.away!.maxGapMs)} s`);
    print('  slowest lines of each run (time since the line before):');
    for (const d of details) print(d);
  } finally {
    await tg?.stop();
    await teardown(r);
  }
  endReport(print, out, logDir, KEEP_LOGS);
}

runBench(main);
