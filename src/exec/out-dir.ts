import { mkdirSync, writeFileSync, chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { planFiles, type Plan } from '../plan/action.js';
import { redactText } from '../core/secret.js';

/**
 * `--out DIR`: writes every file the plan would write to DIR/<its server path>,
 * with its planned mode and secrets as placeholders, so it can be read, diffed
 * or committed. Returns the paths written.
 */
export function writePlanFiles(plan: Plan, dir: string): string[] {
  const written: string[] = [];
  for (const f of planFiles(plan)) {
    const dest = join(dir, f.path);
    mkdirSync(dirname(dest), { recursive: true, mode: 0o755 });
    writeFileSync(dest, redactText(f.content), { mode: 0o600 });
    chmodSync(dest, f.mode);
    written.push(dest);
  }
  return written;
}
