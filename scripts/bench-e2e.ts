/**
 * `npm run bench:e2e` (root, like the e2e tests): the rollout's real-server figures, with the
 * conditions they were measured under. Per pass: a fresh Debian 13 test server (Docker-capable),
 * the first rollout to a healthy gateway (the real OpenClaw in the stand-in image), the rerun that
 * changes nothing, and two day-2 commands (rotate gateway-token, audit). The CLI runs as a child
 * process exactly as a user runs it; per-step times come from the arrival time of its own
 * "==> step" / "<== step" lines, and ssh connections and round trips from a logging stand-in for
 * the OpenSSH client on its PATH (scripts/bench-e2e-ssh.sh), so nothing in the CLI changes.
 *
 * Pass 1 is "cold": the first server since the script started (and, with --drop-caches, after
 * this machine's page cache was dropped). Pass 2 is "warm": another fresh server right after,
 * with the image files, the CLI and Docker's packages hot in this machine's page cache. Each
 * server is fresh, so on both the server side is cold (nothing installed, no apt archives, no
 * OpenClaw image); the rerun is the all-warm case. Figures, not assertions.
 *
 * Usage: npm run bench:e2e [-- --passes N] [--drop-caches] [--keep-logs] [--set FIELD=VALUE]...
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureImage, testhostUnavailableReason } from '../test/e2e/testhost/testhost.js';
import { buildCli, look, rig, ROOT, runCli, teardown, type CliRun, type Rig } from '../test/e2e/rollout-kit.js';
import { OPENCLAW_VERSION, importStandIn } from '../test/e2e/gateway-kit.js';
import { conditionsNow, cpuBusy, endReport, machineLine, runBench, type Conditions } from './bench-e2e-machine.js';
import { sshKinds, stepTable, timeline, type Timed } from './bench-e2e-report.js';

const argv = process.argv.slice(2);
const passesAt = argv.indexOf('--passes');
const PASSES = passesAt < 0 ? 2 : Math.max(1, Number(argv[passesAt + 1]) || 1);
const DROP_CACHES = argv.includes('--drop-caches');
const KEEP_LOGS = argv.includes('--keep-logs');
/** `--set FIELD=VALUE` (repeatable): passed to every CLI run, to measure a variant (e.g. openclaw.cpus=2). */
const SETS = argv.flatMap((a, i) => (a === '--set' && argv[i + 1] ? ['--set', argv[i + 1]] : []));
const CACHE = process.env.TH_CACHE ?? '/var/cache/claw-setup-testhost';

interface Phase {
  name: string;
  run: Timed | null;
  ms: number;
  code: number | null;
  before: Conditions;
  after: Conditions;
  ssh: ReturnType<typeof sshKinds>;
}

const secs = (ms: number) => (ms / 1000).toFixed(1).padStart(6);

/** A directory whose `ssh` and `ssh-keyscan` log each start, then exec the real ones. */
function sshShim(dir: string): { env: NodeJS.ProcessEnv; log: string } {
  const which = (c: string) => spawnSync('sh', ['-c', `command -v ${c}`], { encoding: 'utf8' }).stdout.trim();
  const bin = join(dir, 'shim');
  cpSync(join(ROOT, 'scripts/bench-e2e-ssh.sh'), join(dir, 'bench-e2e-ssh.sh'));
  mkdirSync(bin, { recursive: true });
  for (const n of ['ssh', 'ssh-keyscan']) symlinkSync(join(dir, 'bench-e2e-ssh.sh'), join(bin, n));
  const log = join(dir, 'ssh.log');
  writeFileSync(log, '');
  return {
    log,
    env: { PATH: `${bin}:${process.env.PATH}`, BENCH_SSH_LOG: log, BENCH_REAL_SSH: which('ssh'), BENCH_REAL_KEYSCAN: which('ssh-keyscan') },
  };
}

/** Runs the CLI, stamping each stdout line with the time it arrived. */
async function timedCli(r: Rig, args: string[] = []): Promise<Timed> {
  const lines: { at: number; text: string }[] = [];
  const start = Date.now();
  const run: CliRun = await runCli(r, [...args, ...SETS], (text) => lines.push({ at: Date.now(), text }));
  return { start, end: start + run.ms, lines, run };
}

async function onePass(
  n: number,
  logDir: string,
  print: (s: string) => void,
): Promise<{ phases: Phase[]; debian: string; stepsFirst: string; stepsRerun: string }> {
  const dir = mkdtempSync(join(tmpdir(), `claw-bench-${n}-`));
  const shim = sshShim(dir);
  const phases: Phase[] = [];
  const sshLog = () => readFileSync(shim.log, 'utf8');
  /** Times `f`, with the machine's conditions and the ssh client starts in its window. */
  const phase = async (name: string, f: () => Promise<Timed | null> | Timed | null | void): Promise<Timed | null> => {
    const before = conditionsNow();
    const t0 = Date.now();
    const run = (await f()) ?? null;
    const t1 = Date.now();
    const after = conditionsNow();
    phases.push({ name, run, ms: t1 - t0, code: run?.run.code ?? null, before, after, ssh: sshKinds(sshLog(), t0, t1) });
    print(phaseRow(phases[phases.length - 1]));
    if (run) writeFileSync(join(logDir, `pass${n}-${name.replace(/\W+/g, '-')}.log`), timeline(run));
    // The rollout must succeed for the later figures to mean anything; a day-2 command's exit code
    // is shown in its row instead (audit exits 1 on warnings alone: a fresh server has no backup yet).
    if (run && run.run.code !== 0 && !name.startsWith('day-2')) {
      throw new Error(`${name} exited ${run.run.code}:\n${run.run.stdout.slice(-3000)}\n${run.run.stderr.slice(-2000)}`);
    }
    return run;
  };
  let r: Rig | undefined;
  try {
    await phase('test server boot (testhost up, Debian 13, Docker-capable)', async () => {
      r = await rig(`bench-${n}-${process.pid % 10000}`, {
        image: 'debian-13',
        docker: true,
        env: shim.env,
        answers: { stopBefore: null, packages: { source: 'distro' } },
      });
      return null;
    });
    const host = r!;
    const debian = look(host, 'cat /etc/debian_version').trim();
    const p1 = await phase('first rollout, run 1: up to docker', () => timedCli(host, ['--set', 'stopBefore=openclaw']));
    await phase('OpenClaw image into Docker (stands in for the pull)', () => void importStandIn(host));
    const p2 = await phase('first rollout, run 2: openclaw to verify (healthy)', () => timedCli(host));
    const again = await phase('rerun, nothing to do', () => timedCli(host));
    await phase('day-2: rotate gateway-token', () => timedCli(host, ['rotate', 'gateway-token']));
    const audit = await phase('day-2: audit', () => timedCli(host, ['audit']));
    // The audit's own account of where its time went (connect, checks, OpenClaw's audit and doctor).
    const took = audit?.lines.find((l) => l.text.startsWith('claw-setup: audit took'));
    if (took) print(`    (${took.text.replace(/^claw-setup: /, '')})`);
    await phase('test server teardown', async () => {
      await teardown(r);
      r = undefined;
      return null;
    });
    const firstRuns = [p1, p2].filter((x): x is Timed => x !== null);
    return { phases, debian, stepsFirst: stepTable(firstRuns, sshLog()), stepsRerun: again ? stepTable([again], sshLog()) : '' };
  } finally {
    await teardown(r);
    rmSync(dir, { recursive: true, force: true });
  }
}

const PHASE_HEAD = `  ${'phase'.padEnd(56)} ${'wall'.padStart(8)}  ${'ssh (new TCP, commands)'.padEnd(17)}  machine during the phase`;

function phaseRow(p: Phase): string {
  const s = p.ssh;
  const ssh = s.total ? `${String(s.connections).padStart(3)} conn ${String(s.roundTrips).padStart(4)} cmds` : ''.padEnd(17);
  const load = `${p.before.load1.toFixed(2)} → ${p.after.load1.toFixed(2)}`;
  const exit = p.code === null ? '' : ` exit ${p.code}`;
  return `  ${p.name.padEnd(56)} ${secs(p.ms)} s  ${ssh}  load1 ${load.padEnd(12)} cpu busy ${cpuBusy(p.before, p.after).padStart(4)}${exit}`;
}

async function main(): Promise<void> {
  const why = testhostUnavailableReason();
  if (why) {
    console.error(`bench:e2e needs real test servers: ${why}`);
    process.exit(1);
  }
  const logDir = mkdtempSync(join(tmpdir(), 'claw-bench-logs-'));
  const had = {
    image: existsSync(join(CACHE, 'image-debian-13.tar.zst')),
    standIn: existsSync(join(CACHE, `openclaw-image-${OPENCLAW_VERSION}`, 'rootfs.tar')),
  };
  const start = conditionsNow();
  const prep: string[] = [];
  const prepTime = async (what: string, f: () => unknown) => {
    const t0 = Date.now();
    await f();
    prep.push(`  ${what.padEnd(56)} ${secs(Date.now() - t0)} s`);
  };
  await prepTime(`test-server image debian-13 (${had.image ? 'cached' : 'built now'})`, () => ensureImage('debian-13'));
  await prepTime('claw-setup CLI (npm run build + private copy)', () => buildCli());
  await prepTime(`stand-in OpenClaw ${OPENCLAW_VERSION} image (${had.standIn ? 'cached' : 'built now'})`, () => {
    const b = spawnSync('bash', [join(ROOT, 'scripts/build-openclaw-image.sh'), OPENCLAW_VERSION], { encoding: 'utf8', timeout: 20 * 60_000 });
    if (b.status !== 0) throw new Error(`stand-in image build failed:\n${b.stdout}\n${b.stderr}`);
  });
  const out: string[] = [];
  const print = (s = '') => {
    out.push(s);
    console.log(s);
  };
  print(`claw-setup e2e benchmark, ${new Date().toISOString()}, ${machineLine(start)}`);
  if (SETS.length) print(`answers changed for every run: ${SETS.filter((x) => x !== '--set').join(' ')}`);
  print('before the passes (not part of any figure below):');
  for (const l of prep) print(l);
  for (let n = 1; n <= PASSES; n++) {
    if (n === 1 && DROP_CACHES) spawnSync('sh', ['-c', 'sync; echo 3 > /proc/sys/vm/drop_caches']);
    const label =
      n === 1
        ? `cold: first server of this run${DROP_CACHES ? ', page cache dropped' : ', page cache as found'}`
        : "warm: this machine's caches hot from the pass before";
    print('');
    print(`pass ${n} (${label}; a fresh server, nothing installed on it):`);
    print(PHASE_HEAD);
    const pass = await onePass(n, logDir, print);
    const p = pass.phases;
    const ms = (prefix: string) => p.filter((x) => x.name.startsWith(prefix)).reduce((a, x) => a + x.ms, 0);
    print(
      `  => Debian ${pass.debian}: first rollout to a healthy gateway ${secs(ms('first rollout')).trim()} s in two runs (image load excluded, ` +
        `${secs(ms('OpenClaw image')).trim()} s more); rerun ${secs(ms('rerun')).trim()} s`,
    );
    print('  per step, first rollout (both runs):');
    print(pass.stepsFirst);
    print('  per step, rerun:');
    print(pass.stepsRerun);
  }
  endReport(print, out, logDir, KEEP_LOGS);
}

runBench(main);
