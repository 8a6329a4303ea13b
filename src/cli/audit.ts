import type { CliArgs } from './args.js';
import { CancelledError, NotAuditedError, StepFailedError, UserError } from '../core/errors.js';
import { ExecError } from '../exec/ssh-errors.js';
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
  const load = () => {
    checkSshOptions(args.sshOptions);
    return validateAnswers(rawAnswers(args, io.env), args.answers ? `answers file ${args.answers}` : 'the answers');
  };
  if (args.command === 'alert-test') return alertTest(args, io, load());
  // How far it got names what failed: the input, the connection, or the script on the server.
  let stage: Stage = 'input';
  const connected = () => void (stage = 'script');
  try {
    const answers = load();
    stage = 'connection';
    return await (args.command === 'status' ? status(args, io, answers, connected) : audit(args, io, answers, connected));
  } catch (e) {
    if (e instanceof CancelledError) throw e;
    // Whoever reads --json reads stdout only: it gets one document, the error's.
    if (args.json) io.stdout(`${terminalSafe(JSON.stringify(errorDocument(e, stage), null, 2))}\n`);
    // audit's 1 and 2 are its verdicts: "could not audit" is 3. A bug stays a bug (70).
    if (args.command === 'audit' && (e instanceof UserError || e instanceof StepFailedError || e instanceof ExecError)) throw new NotAuditedError(e);
    throw e;
  }
}

/** The audit script stopped before its end: what it found is partial, so no verdict. */
class AuditIncompleteError extends UserError {
  readonly partial: AuditReport;
  constructor(report: AuditReport, evidence: string) {
    super(`the audit did not complete: ${evidence}`, 'run the audit again; if it keeps stopping, check that the login can run sudo and bash on the server');
    this.name = 'AuditIncompleteError';
    this.partial = report;
  }
}

type Stage = 'input' | 'connection' | 'script';

/**
 * `{"error": {kind, message, fix}}`. kind: the error's own class when it has one (ssh-unreachable,
 * ssh-host-key, ssh-auth-refused, exec, …), else the stage it stopped at (input, connection, script);
 * "internal" for a bug.
 */
export function errorDocument(e: unknown, stage: Stage): { error: { kind: string; message: string; fix: string }; partial?: AuditReport } {
  const err = e instanceof Error ? e : new Error(String(e));
  const expected = err instanceof UserError || err instanceof ExecError || err instanceof StepFailedError;
  const generic = ['UserError', 'StepFailedError', 'AuditIncompleteError'].includes(err.name);
  const kind = !expected
    ? 'internal'
    : generic
      ? stage
      : err.name
          .replace(/Error$/, '')
          .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
          .toLowerCase();
  const fix =
    err instanceof UserError
      ? (err.howToFix ?? '')
      : err instanceof ExecError
        ? 'check the connection to the server, then run again'
        : kind === 'internal'
          ? 'a bug in claw-setup: please report it'
          : '';
  return { error: { kind, message: err.message, fix }, ...(err instanceof AuditIncompleteError ? { partial: err.partial } : {}) };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

/** In --json mode the connection chatter goes to stderr, so stdout is exactly one JSON document. */
const quietIo = (args: CliArgs, io: Io): Io => (args.json ? { ...io, stdout: io.stderr } : io);

async function audit(args: CliArgs, io: Io, answers: Answers, connected: () => void): Promise<number> {
  const started = Date.now();
  let connectedAt = 0;
  return withServer(args, quietIo(args, io), answers, async (link, _signal, out) => {
    connected();
    connectedAt = Date.now();
    const { report, timing } = await auditOver(link, answers);
    const wall = Date.now() - started;
    const stopped = report.checks.find((c) => c.id === 'audit.complete' && c.status === 'fail');
    if (stopped) {
      if (!args.json) for (const l of formatScorecard(report)) out(l);
      throw new AuditIncompleteError(report, stopped.evidence);
    }
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

async function status(args: CliArgs, io: Io, answers: Answers, connected: () => void): Promise<number> {
  const started = Date.now();
  return withServer(args, quietIo(args, io), answers, async (link, _signal, out) => {
    connected();
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
