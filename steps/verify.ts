import type { PlanContext } from '../src/plan/context.js';
import { gate, write, type Action, type Step } from '../src/plan/action.js';
import type { StepId } from '../src/answers/schema.js';
import { VERSION } from '../src/core/version.js';
import { withoutInlineSecrets } from '../src/answers/secrets.js';
import { NO_ARMED_GROUP } from '../src/plan/guard.js';
import { auditScriptFile } from '../templates/audit-script.js';

/**
 * Runs the audit script (`$1`, with the operator's address `$2`): exit 1 with each failing check
 * (and its fix) on stderr, which the run prints; else one line with the counts.
 */
export const AUDIT_GATE = [
  'out=$("$1" "$2")',
  'fails=$(printf \'%s\\n\' "$out" | grep \'"status":"fail"\')',
  'if [ -n "$fails" ]; then printf \'%s\\n\' "$fails" | cut -c1-400 >&2; exit 1; fi',
  'printf \'%s\\n\' "$out" | grep -q \'"meta":"end"\' || { echo "the audit did not finish" >&2; exit 1; }',
  'echo "audit: $(printf \'%s\\n\' "$out" | grep -c \'"status":"pass"\') pass, $(printf \'%s\\n\' "$out" | grep -c \'"status":"warn"\') warn, no failure"',
].join('; ');

/** The journal: answers used (secrets stay references) and the steps planned. Deterministic, so reruns leave it alone. */
export function renderJournal(ctx: PlanContext, steps: StepId[], checks: string[] = []): string {
  return `${JSON.stringify({ tool: 'claw-setup', version: VERSION, answers: withoutInlineSecrets(ctx.answers), steps, verified: checks }, null, 2)}\n`;
}

/** Final checks from the server's side, then the journal. */
export function planVerify(ctx: PlanContext, planned: StepId[]): Step {
  const a = ctx.answers;
  const has = (id: StepId) => planned.includes(id);
  const actions: Action[] = [];
  if (has('openclaw')) {
    const audit = auditScriptFile(a);
    actions.push(
      gate('the gateway is healthy', {
        type: 'remote',
        argv: ['curl', '-fsS', '--max-time', '5', '-o', '/dev/null', `http://127.0.0.1:${a.openclaw.gatewayPort}/healthz`],
        retries: 5,
        delaySec: 2,
      }),
      // The checks of `claw-setup audit`, written once (templates/audit-script.ts): host, containers,
      // app (OpenClaw's own security audit and doctor), backups. Any failure stops the run here. The
      // monitoring step installs the same script for the weekly audit; written here only without it.
      ...(has('monitoring') ? [] : [write(audit.path, audit.content, { mode: audit.mode, title: audit.title })]),
      gate(
        'every check of claw-setup audit passes (firewall, sshd, fail2ban, loopback-only gateway, container hardening, OpenClaw security audit and doctor)',
        {
          type: 'remote',
          argv: ['sh', '-c', AUDIT_GATE, 'sh', ctx.paths.auditScript, /^[0-9a-fA-F.:/]+$/.test(ctx.operatorIp) ? ctx.operatorIp : ''],
          timeoutSec: 240,
          onlyAfterChange: true,
        },
      ),
    );
  }
  actions.push(gate('no dead-man switch is left armed (nothing will be undone later)', { type: 'remote', argv: NO_ARMED_GROUP }));
  // Written only after every check above passed: the journal records what was verified.
  const checks = actions.flatMap((x) => (x.kind === 'gate' ? [x.title] : []));
  actions.push(
    write(ctx.paths.journal, renderJournal(ctx, planned, checks), { mode: 0o600, title: 'journal: answers, steps and what was verified (no secrets)' }),
  );
  return {
    id: 'verify',
    title: 'Final verification',
    summary: [
      "runs every check of `claw-setup audit` on the server (firewall, sshd, fail2ban, loopback-only gateway, container hardening, OpenClaw's own security audit and doctor, file modes); any failure stops the run; then the journal",
    ],
    actions,
  };
}
