import type { StepId } from '../src/answers/schema.js';
import type { Plan, Step } from '../src/plan/action.js';
import type { PlanContext } from '../src/plan/context.js';
import { VERSION } from '../src/core/version.js';
import { operatorIpWarning } from '../src/answers/ip-ranges.js';
import { planAccess } from './access.js';
import { planBackups } from './backups.js';
import { planBase } from './base.js';
import { planDocker } from './docker.js';
import { planEgress } from './egress.js';
import { planFail2ban } from './fail2ban.js';
import { planFirewall } from './firewall.js';
import { planLoginGate } from './login-gate.js';
import { planMonitoring } from './monitoring.js';
import { planOpenclaw } from './openclaw.js';
import { planPreflight } from './preflight.js';
import { planSsh } from './ssh.js';
import { planTailscale } from './tailscale.js';
import { planUser } from './user.js';
import { planVerify } from './verify.js';

/** The steps in rollout order: create user → test key login → break-glass + firewall → Tailscale → tighten. */
const PLANNERS: [StepId, (ctx: PlanContext, host: string) => Step | null][] = [
  ['preflight', planPreflight],
  ['base', planBase],
  ['user', planUser],
  ['login-gate', planLoginGate],
  ['firewall', planFirewall],
  ['tailscale', planTailscale],
  ['ssh', planSsh],
  ['fail2ban', planFail2ban],
  ['docker', planDocker],
  ['egress', planEgress],
  ['openclaw', planOpenclaw],
  ['access', planAccess],
  ['backups', planBackups],
  ['monitoring', planMonitoring],
];

/** The whole plan for these answers and facts. Pure: same inputs, same plan. */
export const NO_PROVIDER_WARNING =
  'no model provider key (openclaw.providers is empty): the gateway starts, but cannot answer a message until one is added (e.g. providers: { anthropic: { env: "ANTHROPIC_API_KEY" } })';

export function buildPlan(ctx: PlanContext, host = ctx.answers.target.host ?? '<host>'): Plan {
  const stop = ctx.answers.stopBefore;
  const steps: Step[] = [];
  const ids: StepId[] = [];
  for (const [id, planner] of PLANNERS) {
    if (id === stop) break;
    const step = planner(ctx, host);
    if (step) steps.push(step);
    if (step) ids.push(id);
  }
  if (stop === null) steps.push(planVerify(ctx, ids));
  const f = ctx.facts;
  const t = ctx.answers.target;
  const warning = operatorIpWarning(ctx.operatorIp);
  return {
    header: [
      `claw-setup ${VERSION}: plan for ${t.user}@${host}:${t.port}`,
      f.source === 'assumed'
        ? `Planned without a connection, for a fresh ${f.os.pretty} server (--os to change). Operator IP: ${ctx.operatorIp}.`
        : `Planned from a read-only probe of ${host}: ${f.os.pretty}; operator IP ${ctx.operatorIp}.`,
      stop ? `Stops before step "${stop}" (stopBefore).` : `Steps: ${steps.map((s) => s.id).join(', ')}.`,
      ...(warning ? [`WARNING: ${warning}`] : []),
      // OpenClaw deployed without any model provider key.
      ...(ids.includes('openclaw') && Object.keys(ctx.answers.openclaw.providers).length === 0 ? [`WARNING: ${NO_PROVIDER_WARNING}`] : []),
    ],
    steps,
  };
}
