import type { PlanContext } from '../src/plan/context.js';
import { gate, write, type Action, type Step } from '../src/plan/action.js';
import type { StepId } from '../src/answers/schema.js';
import { VERSION } from '../src/core/version.js';
import { NO_ARMED_GROUP } from '../src/plan/guard.js';
import { composeArgv } from './openclaw.js';

/**
 * OpenClaw's `security audit --json` inside the gateway container, judged by Node there: exit 1
 * with each critical finding and its fix on stderr (the run prints them), else a one-line summary.
 */
const AUDIT = [
  "node dist/index.js security audit --json | node -e '",
  'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {',
  // OpenClaw may print a warning line before the JSON: parse from the first brace.
  '  let j; try { j = JSON.parse(s.slice(s.indexOf("{"))); } catch { console.error("security audit printed no JSON"); process.exit(1); }',
  '  const crit = (j.findings || []).filter((f) => f.severity === "critical");',
  '  for (const f of crit) console.error(`critical ${f.checkId}: ${f.title}${f.remediation ? ` (fix: ${f.remediation})` : ""}`);',
  '  const n = (j.summary && j.summary.critical) || crit.length;',
  '  console.log(`security audit: ${n} critical, ${(j.summary && j.summary.warn) || 0} warn, ${(j.summary && j.summary.info) || 0} info`);',
  '  process.exit(n ? 1 : 0);',
  "});'",
].join(' ');

/** The journal: answers used (secrets stay references) and the steps planned. Deterministic, so reruns leave it alone. */
export function renderJournal(ctx: PlanContext, steps: StepId[], checks: string[] = []): string {
  return `${JSON.stringify({ tool: 'claw-setup', version: VERSION, answers: ctx.answers, steps, verified: checks }, null, 2)}\n`;
}

/** Final checks from the server's side, then the journal. */
export function planVerify(ctx: PlanContext, planned: StepId[]): Step {
  const a = ctx.answers;
  const has = (id: StepId) => planned.includes(id);
  const actions: Action[] = [];
  if (has('firewall'))
    actions.push(
      gate('ufw is active with default deny incoming', {
        type: 'remote',
        argv: ['sh', '-c', "ufw status verbose | grep -q '^Status: active' && ufw status verbose | grep -q 'deny (incoming)'"],
      }),
    );
  if (has('ssh'))
    actions.push(
      gate('sshd: no root, no passwords', {
        type: 'remote',
        argv: ['sh', '-c', "sshd -T | grep -qx 'permitrootlogin no' && sshd -T | grep -qx 'passwordauthentication no'"],
      }),
    );
  if (has('fail2ban')) actions.push(gate('fail2ban guards sshd', { type: 'remote', argv: ['fail2ban-client', 'status', 'sshd'] }));
  if (has('openclaw')) {
    const ports = [a.openclaw.gatewayPort, a.openclaw.bridgePort].join('|');
    actions.push(
      gate('the gateway listens on loopback only', {
        type: 'remote',
        argv: ['sh', '-c', `! ss -Hltn | awk '{print $4}' | grep -E ':(${ports})$' | grep -vE '^(127\\.0\\.0\\.1|\\[::1\\]):'`],
      }),
      gate('the gateway is healthy', {
        type: 'remote',
        argv: ['curl', '-fsS', '--max-time', '5', '-o', '/dev/null', `http://127.0.0.1:${a.openclaw.gatewayPort}/healthz`],
        retries: 5,
        delaySec: 2,
      }),
      gate("OpenClaw's own security audit finds nothing critical", {
        type: 'remote',
        argv: composeArgv(ctx, 'exec', '-T', 'openclaw-gateway', 'sh', '-c', AUDIT),
      }),
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
      "re-checks firewall, sshd, fail2ban, that the gateway is on loopback only, OpenClaw's own security audit (0 critical) and that no dead-man switch is armed; writes the journal",
    ],
    actions,
  };
}
