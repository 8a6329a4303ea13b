import { UserError } from '../cli/errors.js';
import type { Secret } from '../plan/secret.js';
import type { Answers } from './schema.js';
import type { Secrets } from './secrets.js';
import { isTailscaleAuthKey } from './validators.js';

/**
 * Checks the secret values right before an apply (never for a dry-run): each
 * can be loaded, and its shape is safe for where it goes (stdin lines, the
 * single-quoted .env). Messages name the secret and its source, never the value.
 */
export function secretProblems(a: Answers, s: Secrets): string[] {
  const problems: string[] = [];
  const check = (secret: Secret, rule: (v: string) => string | null) => {
    let v: string;
    try {
      v = secret.reveal();
    } catch (e) {
      problems.push(`${secret.name} (${secret.origin}): ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (e as Error).message}`);
      return;
    }
    const base = v.length === 0 ? 'is empty' : v.length > 4096 ? 'is longer than 4096 characters' : /[^\x20-\x7e]/.test(v) ? 'holds a newline, tab or other control/non-ASCII character' : null;
    const msg = base ?? rule(v);
    if (msg) problems.push(`${secret.name} (${secret.origin}) ${msg}`);
  };
  const envSafe = (v: string) => (/['"\\$`]/.test(v) ? "holds a quote, backslash, $ or backtick, which the .env file cannot carry safely" : null);

  check(s.sudoPassword, (v) => (v.length < 12 ? 'is shorter than 12 characters' : null));
  if (a.tailscale.enabled) check(s.tailscaleAuthKey, (v) => (isTailscaleAuthKey(v) ? null : 'does not look like a Tailscale auth key (tskey-auth-…)'));
  if (a.openclaw.gatewayToken !== 'generate') check(s.gatewayToken, (v) => (v.length < 24 ? 'is shorter than 24 characters' : envSafe(v)));
  for (const p of Object.values(s.providers)) if (p) check(p, envSafe);
  for (const c of Object.values(s.channels)) check(c, envSafe);
  if (s.discordWebhook)
    check(s.discordWebhook, (v) =>
      /^https:\/\/(discord\.com|discordapp\.com)\/api\/webhooks\/\d{5,25}\/[A-Za-z0-9_-]{20,100}$/.test(v) ? null : 'is not a Discord webhook URL (https://discord.com/api/webhooks/ID/TOKEN)',
    );
  return problems;
}

/** Throws a UserError listing every problem. */
export function checkSecrets(a: Answers, s: Secrets): void {
  const p = secretProblems(a, s);
  if (p.length)
    throw new UserError(
      `${p.length} secret${p.length > 1 ? 's are' : ' is'} missing or unusable; nothing was run:\n${p.map((l) => `  ${l}`).join('\n')}`,
      'set the environment variables or files named above (or type them in the wizard) and run again',
    );
}
