import { STEP_IDS, type Answers } from '../answers/schema.js';
import { secretsFor } from '../answers/secrets.js';
import { UserError } from '../cli/errors.js';
import { loadKeys } from '../cli/load.js';
import { assumedFacts, type Facts, type OsKey } from '../facts/facts.js';
import type { Plan } from '../plan/action.js';
import { planContext, type PlanContext } from '../plan/context.js';
import { printPlan } from '../plan/print.js';
import { secretsIn, type Secret } from '../plan/secret.js';
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

/** Whether the plan writes OpenClaw's .env (then a rerun keeps the token already on the server). */
export const plansOpenclaw = (a: Answers): boolean => a.stopBefore === null || STEP_IDS.indexOf(a.stopBefore) > STEP_IDS.indexOf('openclaw');

/** The secrets the plan will reveal (stdin and file contents). */
export function planSecrets(plan: Plan): Secret[] {
  const out = new Set<Secret>();
  for (const s of plan.steps)
    for (const a of s.actions)
      for (const x of a.kind === 'guarded' ? a.actions : [a]) {
        if (x.kind === 'run') secretsIn(x.stdin).forEach((v) => out.add(v));
        if (x.kind === 'write') secretsIn(x.content).forEach((v) => out.add(v));
      }
  return [...out];
}

/** Stops before any change when a secret cannot be read (env var unset, file missing). */
export function requireSecrets(list: Secret[]): void {
  const missing = list.filter((s) => !s.available());
  if (missing.length)
    throw new UserError(
      `missing secret${missing.length > 1 ? 's' : ''}: ${missing.map((s) => `${s.name} (${s.origin})`).join(', ')}; nothing was changed`,
      'set the environment variable or create the file, then try again',
    );
}
