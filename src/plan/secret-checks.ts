import { UserError } from '../core/errors.js';
import { planSecrets, type Plan } from './action.js';
import type { Secret } from '../core/secret.js';
import { SECRETS, secretKindOf, secretShapeProblem } from '../answers/rules.js';
import { restoreInputProblem } from '../answers/field-checks.js';

/**
 * Checks the secrets a plan will reveal, right before an apply (never for a
 * dry-run): each can be loaded, and its shape is safe for where it goes
 * (stdin lines, the single-quoted .env). The rules are SECRET_SHAPES in
 * src/answers/rules.ts, the same the wizard checks a typed value with.
 * Messages name the secret and its source, never the value.
 */

/** The origin of a .env line a rerun writes back exactly as it was (src/rollout/session.ts): its shape is not judged. */
export const KEPT_ORIGIN = 'kept as it was in .env on the server';

/** Why this secret's value cannot be used, or null. A generated value (the gateway token) is ours and not checked. */
export function secretValueProblem(secret: Secret, value: string): string | null {
  if (secret.name === SECRETS.gatewayToken.name && secret.origin.startsWith('generated')) return null;
  // A line of the server's .env that a rerun writes back exactly as it was.
  if (secret.origin === KEPT_ORIGIN) return null;
  // restore's archive and age identity (multi-line, up to 512 MB): their own rules.
  const restoreInput = restoreInputProblem(secret.name, value);
  if (restoreInput !== undefined) return restoreInput;
  return secretShapeProblem(secretKindOf(secret.name), value);
}

/** One line per unusable secret; empty when all are fine. */
export function secretProblems(secrets: Iterable<Secret>): string[] {
  const problems: string[] = [];
  for (const secret of secrets) {
    let v: string;
    try {
      v = secret.reveal();
    } catch (e) {
      problems.push(`${secret.name} (${secret.origin}): ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (e as Error).message}`);
      continue;
    }
    const msg = secretValueProblem(secret, v);
    if (msg) problems.push(`${secret.name} (${secret.origin}) ${msg}`);
  }
  return problems;
}

/** Stops before any change when a secret the plan needs is missing or unusable. */
export function checkPlanSecrets(plan: Plan): void {
  const p = secretProblems(planSecrets(plan));
  if (p.length)
    throw new UserError(
      `${p.length} secret${p.length > 1 ? 's are' : ' is'} missing or unusable; nothing was changed:\n${p.map((l) => `  ${l}`).join('\n')}`,
      'set the environment variables or files named above (secrets never go in the answers file), then run again',
    );
}
