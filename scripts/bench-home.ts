/**
 * `npx tsx scripts/bench-home.ts` (root, like the e2e tests; run it through the e2e slot): how long
 * the wizard's home takes on a deployed server (issue 21). One fresh Debian 13 test server gets the
 * real OpenClaw gateway (test/e2e/gateway-kit.ts); then, N times (BENCH_RUNS, default 5), bare
 * `claw-setup --host … --identity …` starts in a real terminal (tmux, 110×45) and two figures are
 * taken: spawn → the Welcome frame, and Enter → the summary and menu painted (the connection with
 * its read-only probe, then the journal, openclaw.json, the .env names and `status` in one more
 * round trip). Figures, not assertions.
 */
import { testhostUnavailableReason } from '../test/e2e/testhost/testhost.js';
import { BIN, SUDO_PW, teardown, type Rig } from '../test/e2e/rollout-kit.js';
import { deployGateway } from '../test/e2e/gateway-kit.js';
import { TmuxSession } from '../test/tty/tmux.js';

const N = Number(process.env.BENCH_RUNS ?? 5);

function stats(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  return `median ${(s[Math.floor(s.length / 2)] / 1000).toFixed(2)}s (min ${(s[0] / 1000).toFixed(2)}, max ${(s[s.length - 1] / 1000).toFixed(2)}, ${s.length} runs)`;
}

async function once(r: Rig, i: number): Promise<{ welcome: number; home: number }> {
  const t = r.answers.target as { host: string; identityFile: string };
  const tty = new TmuxSession(`bench-home-${process.pid}-${i}`);
  try {
    const t0 = Date.now();
    tty.start(`node ${BIN} --host ${t.host} --port 22 --user root --identity ${t.identityFile} --known-hosts ${r.knownHosts}`, {
      width: 110,
      height: 45,
      env: { CLAW_SUDO_PASSWORD: SUDO_PW, TMPDIR: r.dir },
      cwd: r.dir,
    });
    await tty.waitFor(/Enter start/, 30_000);
    const welcome = Date.now() - t0;
    const t1 = Date.now();
    tty.key('Enter');
    await tty.waitFor(/What do you want to do\?/, 60_000);
    return { welcome, home: Date.now() - t1 };
  } finally {
    tty.kill();
  }
}

async function main(): Promise<void> {
  const why = testhostUnavailableReason();
  if (why) throw new Error(`no test servers here: ${why}`);
  const { r } = await deployGateway(`bench-home-${process.pid % 10000}`);
  try {
    const runs = [];
    for (let i = 0; i < N; i++) runs.push(await once(r, i));
    console.log(`[bench] wizard home on a deployed Debian 13 server (OpenClaw gateway running), ${N} runs:`);
    console.log(`[bench]   spawn → Welcome frame:           ${stats(runs.map((x) => x.welcome))}`);
    console.log(`[bench]   Enter → summary and menu shown:  ${stats(runs.map((x) => x.home))}`);
  } finally {
    await teardown(r);
  }
}

await main();
