import { loadAll } from '../answers/load.js';
import { osKeyFromFlag } from '../plan/facts.js';
import { planOffline, type PlannedRun } from '../rollout/session.js';
import type { CliArgs } from './args.js';

/**
 * An offline plan: no connection, facts assumed for a fresh server of --os. What `plan` prints
 * and what `export` renders; its own file so that main.ts (which dispatches to export.ts) and
 * export.ts do not import each other.
 */
export function offlinePlan(args: CliArgs, env: NodeJS.ProcessEnv): PlannedRun {
  const { answers, keys } = loadAll(args, env);
  return planOffline({ answers, keys, env, os: osKeyFromFlag(args.os) });
}
