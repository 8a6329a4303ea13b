/**
 * `claw-setup alert-test`: reads the `TARGET ok|failed|none` lines of templates/alert-test-script.ts
 * and says what happened. Pure.
 */

export type AlertResult = 'ok' | 'failed' | 'none';

export function parseAlertTest(out: string): Record<'ntfy' | 'discord', AlertResult> {
  const r: Record<'ntfy' | 'discord', AlertResult> = { ntfy: 'none', discord: 'none' };
  for (const m of out.matchAll(/^(ntfy|discord) (ok|failed|none)$/gm)) r[m[1] as 'ntfy' | 'discord'] = m[2] as AlertResult;
  return r;
}

const WORDS: Record<AlertResult, string> = {
  ok: 'delivered: check that it arrived',
  failed: 'FAILED: the server could not deliver it (check the URL or topic, and that the server can reach it)',
  none: 'not configured',
};

/** Lines to print and the exit code: 0 all configured targets took it, 2 any failed; none configured is a user error. */
export function alertTestReport(r: Record<'ntfy' | 'discord', AlertResult>): { lines: string[]; code: 0 | 2 | null } {
  const lines = [`ntfy     ${WORDS[r.ntfy]}`, `discord  ${WORDS[r.discord]}`];
  if (r.ntfy === 'none' && r.discord === 'none') return { lines, code: null };
  return { lines, code: r.ntfy === 'failed' || r.discord === 'failed' ? 2 : 0 };
}
