import type { CliArgs } from './args.js';
import { UserError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { checkSshOptions, rawAnswers, validateAnswers } from '../answers/load.js';
import type { Answers } from '../answers/schema.js';
import { buildReport, formatScorecard, parseAuditOutput, type AuditReport, type AuditTiming } from '../plan/audit.js';
import type { OpenLink } from '../rollout/session.js';
import { formatStatus, parseStatus } from '../plan/status.js';
import { renderAuditScript } from '../../templates/audit-script.js';
import { renderStatusScript } from '../../templates/status-script.js';
import { sendTestAlert } from '../rollout/alert-test.js';
import { withServer } from './connect.js';
import { terminalSafe } from '../core/terminal-text.js';

/**
 * `audit`, `status`, `alert-test`: read-only commands on a running deployment. Each connects like
 * a rerun (admin login, falling back to the deploy user with sudo), runs one script as root in
 * one round trip, and prints what it found. Nothing on the server changes (alert-test only sends
 * a message through the alert targets).
 */
export async function auditCommand(args: CliArgs, io: Io): Promise<number> {
  checkSshOptions(args.sshOptions);
  const answers = validateAnswers(rawAnswers(args, io.env), args.answers ? `answers file ${args.answers}` : 'the answers');
  if (args.command === 'alert-test') return alertTest(args, io, answers);
  return args.command === 'status' ? status(args, io, answers) : audit(args, io, answers);
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

/** In --json mode the connection chatter goes to stderr, so stdout is exactly one JSON document. */
const quietIo = (args: CliArgs, io: Io): Io => (args.json ? { ...io, stdout: io.stderr } : io);

async function audit(args: CliArgs, io: Io, answers: Answers): Promise<number> {
  const started = Date.now();
  let connectedAt = 0;
  return withServer(args, quietIo(args, io), answers, async (link, _signal, out) => {
    connectedAt = Date.now();
    const { report, timing } = await auditOver(link, answers);
    const wall = Date.now() - started;
    if (args.json) {
      // JSON escapes C0 but not C1 controls; terminalSafe's \u00XX keeps it valid JSON.
      io.stdout(`${terminalSafe(JSON.stringify(report, null, 2))}\n`);
    } else {
      for (const l of formatScorecard(report)) out(l);
    }
    // OpenClaw's audit runs in parallel with the other checks; without it the run would take this long:
    const withoutOpenclaw = wall - Math.max(0, timing.scriptMs - timing.checksMs);
    const note = `claw-setup: audit took ${seconds(wall)} wall (connect ${seconds(connectedAt - started)}; on the server: checks ${seconds(timing.checksMs)}, OpenClaw's own security audit ${seconds(timing.openclawAuditMs)} in parallel; without it ${seconds(withoutOpenclaw)})`;
    out(note);
    return report.exitCode;
  });
}

/** The audit over an open link (one round trip, read-only): also what `lockdown` prints at its end. */
export async function auditOver(link: OpenLink, answers: Answers): Promise<{ report: AuditReport; timing: AuditTiming }> {
  const r = await link.exec.run(['bash', '-c', renderAuditScript(answers), 'claw-audit', link.facts.operatorIp ?? ''], { purpose: 'probe', timeoutSec: 240 });
  const { checks, timing } = parseAuditOutput(r.stdout, r.stderr, r.code);
  return { report: buildReport(answers.target.host ?? '', checks, timing, new Date()), timing };
}

async function status(args: CliArgs, io: Io, answers: Answers): Promise<number> {
  const started = Date.now();
  return withServer(args, quietIo(args, io), answers, async (link, _signal, out) => {
    const r = await link.exec.run(['bash', '-c', renderStatusScript(answers)], { purpose: 'probe', timeoutSec: 60 });
    let view;
    try {
      view = parseStatus(r.stdout);
    } catch {
      throw new UserError(
        `the status script failed on the server (exit ${r.code}): ${r.stderr.trim().split('\n').slice(-1)[0] ?? ''}`,
        'check that the login can run sudo, then run again',
      );
    }
    if (args.json) io.stdout(`${terminalSafe(JSON.stringify(view, null, 2))}\n`);
    else for (const l of formatStatus(view)) out(l);
    const note = `claw-setup: status took ${seconds(Date.now() - started)}`;
    out(note);
    return 0;
  });
}

/** Sends one test alert through every target in the server's monitoring.env, the way the health check sends real ones. */
async function alertTest(args: CliArgs, io: Io, answers: Answers): Promise<number> {
  return withServer(args, io, answers, async (link, _signal, out) => {
    const { lines, code } = await sendTestAlert(link.exec, answers);
    out('claw-setup: test alert from the server:');
    for (const l of lines) out(`  ${l}`);
    if (code === null)
      throw new UserError('no alert target is configured on the server', 'set monitoring.ntfyTopic or monitoring.discordWebhook and rerun claw-setup');
    return code;
  });
}
