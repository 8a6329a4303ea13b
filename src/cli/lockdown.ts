import { checkSshOptions, rawAnswers, validateAnswers } from '../answers/load.js';
import type { CliArgs } from './args.js';
import { StepFailedError, UserError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { formatScorecard } from '../plan/audit.js';
import { serverPaths } from '../plan/paths.js';
import { lockRecord, lockSnapshot, parseSnapshotProbe, planLockdown, planUnlock, snapshotProbeArgv, type BrakePlan } from '../../steps/lockdown.js';
import { inquirerPrompts, type Prompts } from '../ui/plain/prompts.js';
import { auditOver } from './audit.js';
import { runChange, withDeployment, type OnPlan } from './deployment.js';
import { withDeploymentOrOffline } from './dry-run-deployment.js';

/** `lockdown` / `unlock`. Input is checked before any connection. */
export async function lockdownCommand(args: CliArgs, io: Io, prompts: Prompts = inquirerPrompts()): Promise<number> {
  // Flags of other commands are refused by the parser (src/cli/help.ts: lockdown and unlock take only --dry-run).
  checkSshOptions(args.sshOptions);
  validateAnswers(rawAnswers(args, io.env), args.answers ? `answers file ${args.answers}` : 'the answers');
  if (args.command === 'unlock') return unlock(args, io, prompts);
  // A dry run with no server (or none answering) plans the lockdown of a deployment made from these answers.
  return withDeploymentOrOffline(args, io, async (d) => {
    const lp = planLockdown(d.answers, d.deployed, d.host, new Date());
    d.out(
      lp.again
        ? `claw-setup: ${d.host} is already locked down (since ${lockRecord(d.deployed.journal)?.since}); its first snapshot stays; closing again and rotating the token again`
        : `claw-setup: LOCKDOWN of ${d.host}: snapshot, exposure closed, every channel and risky tool closed, new gateway token`,
    );
    const code = await brake(d, lp, args, io, prompts, 'lockdown');
    if (args.dryRun || code !== 0) return code;
    for (const l of lp.after) d.out(l);
    d.out('claw-setup: the audit of the locked-down server:');
    try {
      if (!d.link) throw new Error('no server');
      const { report } = await auditOver(d.link, d.answers);
      for (const l of formatScorecard(report)) d.out(`  ${l}`);
    } catch (e) {
      // The brake holds whatever the audit does: say so, and how to get the scorecard.
      d.out(`  the audit could not run (${(e as Error).message.slice(0, 200)}); the lockdown stands. Run: claw-setup audit`);
    }
    return 0;
  });
}

async function unlock(args: CliArgs, io: Io, prompts: Prompts): Promise<number> {
  return withDeployment(args, io, async (d) => {
    const rec = lockRecord(d.deployed.journal);
    if (rec?.state !== 'locked')
      throw new UserError(
        `${d.host} is not locked down${rec?.unlockedAt ? ` (unlocked at ${rec.unlockedAt})` : ''}`,
        'nothing to unlock; `claw-setup lockdown` is the brake',
      );
    const p = serverPaths(d.answers);
    const r = await d.link.exec.run(snapshotProbeArgv(p), { purpose: 'probe', timeoutSec: 30 });
    const snapshot = r.code === 0 ? parseSnapshotProbe(r.stdout) : null;
    if (!snapshot)
      throw new UserError(
        `the lockdown snapshot is missing on ${d.host} (${lockSnapshot(p)}/openclaw.json)`,
        `the dated copies are in /var/lib/claw-setup/backups/*-lockdown/: put openclaw.json back by hand, or rerun claw-setup with your answers`,
      );
    const up = planUnlock(d.answers, d.deployed, snapshot, d.host, new Date());
    d.out(`claw-setup: unlock ${d.host} (locked since ${rec.since}) from ${snapshot.dir}; the gateway token stays the new one`);
    const code = await brake(d, up, args, io, prompts, 'unlock');
    if (args.dryRun || code !== 0) return code;
    for (const l of up.after) d.out(l);
    return 0;
  });
}

/** Runs one brake plan through the change runner; a failure is reported as what it leaves: closed. */
async function brake(d: OnPlan, bp: BrakePlan, args: CliArgs, io: Io, prompts: Prompts, what: 'lockdown' | 'unlock'): Promise<number> {
  if (args.dryRun && bp.configDiff) d.out(bp.configDiff);
  try {
    return await runChange(d, bp.plan, {
      what,
      restored: '',
      prompts: d.interactive ? prompts : null,
      args,
      io,
      confirm:
        what === 'lockdown'
          ? { message: `Lock down ${d.host} now (every channel closed, new gateway token)?`, default: true }
          : { message: `Unlock ${d.host} (channels and exposure back; the token stays the new one)?`, default: false },
    });
  } catch (e) {
    if (!(e instanceof StepFailedError)) throw e;
    // The runner's closing line speaks of a gateway back on the previous files: not what a brake leaves.
    const report = e.report.filter((l) => !/^The gateway (is running and healthy|did NOT answer)/.test(l));
    const p = serverPaths(d.answers);
    if (what === 'lockdown')
      throw new StepFailedError('lockdown failed: FAIL-CLOSED, the gateway is STOPPED (no channel, no API); the exposure stays closed', [
        ...report,
        'The previous openclaw.json and .env are back (not running). Fix what failed above, then run `claw-setup lockdown` again;',
        `or start the gateway as it was: ssh -p ${d.answers.ssh.port} ${d.answers.deployUser.name}@${d.host} 'cd ${p.composeDir} && sudo docker compose up -d' (the exposure comes back with a rerun of claw-setup).`,
      ]);
    throw new StepFailedError('unlock failed: the deployment stays LOCKED (the locked config is back, the exposure closed again)', [
      ...report,
      'Fix what failed above, then run `claw-setup unlock` again.',
    ]);
  }
}
