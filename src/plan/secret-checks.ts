import { UserError } from '../core/errors.js';
import { planSecrets, type Plan } from './action.js';
import type { Secret } from '../core/secret.js';
import { isTailscaleAuthKey } from '../answers/validators.js';

/**
 * Checks the secrets a plan will reveal, right before an apply (never for a
 * dry-run): each can be loaded, and its shape is safe for where it goes
 * (stdin lines, the single-quoted .env). Messages name the secret and its
 * source, never the value.
 */
const ENV_FILE_SAFE = (v: string) => (/['"\\$`]/.test(v) ? "holds a quote, backslash, $ or backtick, which the .env file cannot carry safely" : null);

const RULES: Record<string, (v: string, s: Secret) => string | null> = {
  SUDO_PASSWORD: (v) => (v.length < 12 ? 'is shorter than 12 characters' : null),
  TS_AUTHKEY: (v) => (isTailscaleAuthKey(v) ? null : 'does not look like a Tailscale auth key (tskey-auth-…)'),
  OPENCLAW_GATEWAY_TOKEN: (v, s) => (s.origin.startsWith('generated') ? null : v.length < 24 ? 'is shorter than 24 characters' : ENV_FILE_SAFE(v)),
  DISCORD_WEBHOOK_URL: (v) =>
    /^https:\/\/(discord\.com|discordapp\.com)\/api\/webhooks\/\d{5,25}\/[A-Za-z0-9_-]{20,100}$/.test(v)
      ? null
      : 'is not a Discord webhook URL (https://discord.com/api/webhooks/ID/TOKEN)',
};

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
    const msg =
      v.length === 0 ? 'is empty'
      : v.length > 4096 ? 'is longer than 4096 characters'
      : /[^\x20-\x7e]/.test(v) ? 'holds a newline, tab or other control/non-ASCII character'
      : (RULES[secret.name] ?? ENV_FILE_SAFE)(v, secret);
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
