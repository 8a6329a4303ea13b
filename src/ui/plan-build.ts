import type { Answers } from '../answers/schema.js';
import { secretsFor } from '../answers/secrets.js';
import { loadKeys } from '../answers/load.js';
import { assumedFacts, type Facts, type OsKey } from '../plan/facts.js';
import type { Plan } from '../plan/action.js';
import { planContext, type PlanContext } from '../plan/context.js';
import { printPlan } from '../plan/print.js';
import type { Secret } from '../core/secret.js';
import { buildPlan } from '../../steps/index.js';

/** A plan ready for review: the data, its printed text (what `claw-setup plan` prints) and its context. */
export interface BuiltPlan {
  plan: Plan;
  text: string;
  ctx: PlanContext;
  host: string;
}

/** Same steps as the CLI's offline plan, with the values typed at prompts as overrides. Throws UserError. */
export function buildWizardPlan(answers: Answers, overrides: Record<string, Secret>, facts: Facts | null, os: OsKey, env: NodeJS.ProcessEnv): BuiltPlan {
  const keys = loadKeys(answers);
  const f = facts ?? assumedFacts(os, answers.target.user);
  const ctx = planContext(answers, f, secretsFor(answers, env, overrides), keys);
  const host = answers.target.host ?? '<host>';
  const plan = buildPlan(ctx, host);
  return { plan, ctx, host, text: printPlan(plan, { host, identityFile: answers.target.identityFile }) };
}

