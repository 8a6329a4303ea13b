import type { Answers } from '../answers/schema.js';
import { loadKeys } from '../answers/load.js';
import type { Secret } from '../core/secret.js';
import type { OsKey } from '../plan/facts.js';
import { planRun, type PlannedRun, type ServerLink } from '../rollout/session.js';

/** A plan ready for review: the rollout session's PlannedRun. */
export type BuiltPlan = PlannedRun;

/**
 * The same plan the CLI makes (src/rollout/session.ts), with the values typed at prompts as
 * overrides: from the probed facts when connected (keeping the gateway token a first run left),
 * for a fresh server of `os` otherwise. Throws UserError.
 */
export function planWizardRun(
  answers: Answers,
  overrides: Record<string, Secret>,
  link: Pick<ServerLink, 'facts' | 'readGatewayToken' | 'readDeployed' | 'readEnvSecrets'> | null,
  os: OsKey,
  env: NodeJS.ProcessEnv,
): Promise<BuiltPlan> {
  return planRun({ answers, keys: loadKeys(answers), env, overrides, os, link });
}
