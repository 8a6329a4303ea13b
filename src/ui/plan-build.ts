import type { Answers } from '../answers/schema.js';
import { loadKeys } from '../answers/load.js';
import type { Secret } from '../core/secret.js';
import type { Facts, OsKey } from '../plan/facts.js';
import { planOffline, planRun, type PlannedRun, type ServerLink } from '../rollout/session.js';

/** A plan ready for review: the rollout session's PlannedRun. */
export type BuiltPlan = PlannedRun;

/** The same plan the CLI makes (src/rollout/session.ts), with the values typed at prompts as overrides. Throws UserError. */
export function buildWizardPlan(answers: Answers, overrides: Record<string, Secret>, facts: Facts | null, os: OsKey, env: NodeJS.ProcessEnv): BuiltPlan {
  if (facts) throw new Error('buildWizardPlan plans offline; use planWizardRun with a connection');
  return planOffline({ answers, keys: loadKeys(answers), env, overrides, os });
}

/** With a connection: the plan from the probed facts, keeping the gateway token a first run left. */
export function planWizardRun(
  answers: Answers,
  overrides: Record<string, Secret>,
  link: Pick<ServerLink, 'facts' | 'readGatewayToken'> | null,
  os: OsKey,
  env: NodeJS.ProcessEnv,
): Promise<BuiltPlan> {
  return planRun({ answers, keys: loadKeys(answers), env, overrides, os, link });
}
