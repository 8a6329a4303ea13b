import { revealText } from '../core/secret.js';
import type { Executor } from '../exec/types.js';
import type { Action, Argv, WriteAction } from '../plan/action.js';
import { ownerStatFormat, sha256 } from '../plan/probes.js';
import { runCommand } from '../plan/commands.js';
import { shQuote } from '../plan/shell.js';

/**
 * Many read-only checks in one round trip. A rerun is mostly checks (is this
 * package there, does this file already hold exactly this), so instead of one
 * round trip each, the runner asks for all the checks of what is left of the
 * plan in one script, and uses the answers until anything changes.
 *
 * The commands are the plan's own skipIf probes and remote gates, verbatim;
 * a file check compares mode, owner and sha256 like the write itself does,
 * with the hash sent on stdin (never argv).
 */
export type Probe = { kind: 'cmd'; argv: Argv } | { kind: 'file'; write: WriteAction; hash: string };

/**
 * The probes that can be answered ahead for these top-level actions: each
 * run's and write's skipIf, each write's "already exactly this" check, each
 * top-level remote gate without retries (and not run only after a change), each guarded group's skipIf. Keyed by
 * the object they answer for (the skipIf array, the write, the gate's check).
 * Nothing inside a guarded group: those run right after arming, on a changed server.
 */
export function collectProbes(actions: readonly Action[]): Map<object, Probe> {
  const out = new Map<object, Probe>();
  for (const a of actions) {
    if ((a.kind === 'run' || a.kind === 'write' || a.kind === 'guarded') && a.skipIf) out.set(a.skipIf, { kind: 'cmd', argv: a.skipIf });
    if (a.kind === 'write') {
      let hash: string | null = null;
      try {
        hash = sha256(revealText(a.content));
      } catch {
        hash = null; // a secret not available here: this write is checked when it comes
      }
      if (hash) out.set(a, { kind: 'file', write: a, hash });
    }
    if (a.kind === 'gate' && a.check.type === 'remote' && !a.check.retries && !a.check.onlyAfterChange) out.set(a.check, { kind: 'cmd', argv: a.check.argv });
  }
  return out;
}

const MARK = 'claw-probe';

/** The one script: one line of output per probe, "claw-probe I 0" (passes) or "claw-probe I 1". */
export function batchScript(probes: readonly Probe[]): string {
  const lines = probes.map((p, i) => {
    if (p.kind === 'cmd') return `if { ${runCommand(p.argv)}; } >/dev/null 2>&1 </dev/null; then echo '${MARK} ${i} 0'; else echo '${MARK} ${i} 1'; fi`;
    const f = shQuote(p.write.path);
    const want = shQuote(`${p.write.mode.toString(8)} ${p.write.owner} ${p.write.group}`);
    return [
      `IFS= read -r h || h=`,
      `if [ "$(stat -c '${ownerStatFormat(p.write.owner, p.write.group)}' -- ${f} 2>/dev/null)" = ${want} ] && [ "$(sha256sum < ${f} 2>/dev/null | cut -c1-64)" = "$h" ]; then echo '${MARK} ${i} 0'; else echo '${MARK} ${i} 1'; fi`,
    ].join('\n');
  });
  return lines.join('\n');
}

/** Runs the probes in one round trip; answers true (passes), false, or nothing for a probe the output did not cover. */
export async function runProbes(exec: Executor, probes: Map<object, Probe>, timeoutSec = 120): Promise<Map<object, boolean>> {
  const keys = [...probes.keys()];
  const list = keys.map((k) => probes.get(k)!);
  const answers = new Map<object, boolean>();
  if (list.length === 0) return answers;
  const hashes = list.flatMap((p) => (p.kind === 'file' ? [`${p.hash}\n`] : []));
  const r = await exec.run(['sh', '-c', batchScript(list)], { purpose: 'probe', timeoutSec, ...(hashes.length ? { stdin: hashes } : {}) });
  for (const m of r.stdout.matchAll(new RegExp(`^${MARK} (\\d+) ([01])$`, 'gm'))) {
    const k = keys[Number(m[1])];
    if (k) answers.set(k, m[2] === '0');
  }
  return answers;
}
