import type { Answers } from '../answers/schema.js';
import { existsSync } from 'node:fs';
import { loadKeys } from '../answers/load.js';
import { expandHome } from '../answers/secrets.js';
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
  /** A dry run with "create a new key" chosen: no key exists yet, so the plan names the one a real run makes. */
  dryRunNewKey?: string,
): Promise<BuiltPlan> {
  const keys =
    dryRunNewKey && !existsSync(`${expandHome(dryRunNewKey)}.pub`)
      ? [`# ${dryRunNewKey}.pub, made by ssh-keygen when you run for real (a dry run creates no key)`]
      : loadKeys(answers);
  return planRun({ answers, keys, env, overrides, os, link });
}
