import { redactText, revealText, secretsIn } from '../core/secret.js';
import { terminalSafe } from '../core/terminal-text.js';
import type { Executor } from '../exec/types.js';
import type { Action, GuardedGroup, Plan, RunAction, WriteAction } from '../plan/action.js';
import { runCommand } from '../plan/commands.js';
import { unifiedDiff } from '../plan/diff.js';
import { collectProbes, runProbes } from './probe-batch.js';

/**
 * The live dry-run: what a run of this plan would do on THIS server, found
 * read-only in two round trips (every skip check and file comparison in one
 * batch, then the current text of each file that would change), printed as
 * the commands that would run and a unified diff per file. Secret values never
 * print: in a file that holds secrets, a line that matches the plan shows the
 * plan's `<secret:NAME>`; any other line with a value shows only its name.
 */
export interface Preview {
  text: string;
  /** Commands that would run and files that would change. */
  commands: number;
  files: number;
}

const MARK = 'claw-file';

export async function previewPlan(plan: Plan, exec: Executor, host: string): Promise<Preview> {
  const groups = plan.steps.flatMap((s) => s.actions.filter((a): a is GuardedGroup => a.kind === 'guarded'));
  const probes = new Map([...collectProbes(plan.steps.flatMap((s) => s.actions)), ...groups.flatMap((g) => [...collectProbes(g.actions)])]);
  const answers = await runProbes(exec, probes);
  const passes = (k: object | undefined) => (k ? answers.get(k) === true : false);
  const writeChanges = (w: WriteAction) => !passes(w.skipIf) && !passes(w);
  const runs = (r: RunAction) => !passes(r.skipIf);

  // Every file that would change, read in one more round trip.
  const changing = new Set<string>();
  const visit = (a: Action) => {
    if (a.kind === 'write' && writeChanges(a)) changing.add(a.path);
    if (a.kind === 'guarded' && !passes(a.skipIf)) a.actions.forEach(visit);
  };
  plan.steps.forEach((s) => s.actions.forEach(visit));
  const current = await readFiles(exec, [...changing]);

  const out: string[] = [`# Live dry run on ${host}: read-only, nothing was changed. What a run would do now:`];
  let commands = 0;
  let files = 0;
  const line = (indent: string, a: Action, stepChanges: boolean) => {
    if (a.kind === 'run') {
      if (!runs(a) || (a.when === 'changed' && !stepChanges)) return out.push(`${indent}skip   ${a.title} (already done)`);
      commands++;
      const stdin = a.stdin ? ` <<< ${redactText(a.stdin).trim().split('\n').join(' ')}` : '';
      return out.push(`${indent}run    ${a.title}`, `${indent}       $ ${runCommand(a.argv)}${stdin.length > 200 ? ' (stdin: secrets)' : stdin}`);
    }
    if (a.kind === 'write') {
      if (!writeChanges(a)) return out.push(`${indent}same   ${a.path}`);
      files++;
      const before = current.get(a.path) ?? null;
      out.push(`${indent}write  ${a.path} (mode ${a.mode.toString(8)}, ${a.owner}:${a.group})${before === null ? ' (new file)' : ''}`);
      const diff = fileDiff(a, before);
      return out.push(
        ...diff
          .split('\n')
          .filter(Boolean)
          .map((l) => `${indent}  ${l}`),
      );
    }
    if (a.kind === 'gate') return out.push(`${indent}check  ${a.title}${answers.has(a.check) ? (passes(a.check) ? ' (passes now)' : ' (fails now)') : ''}`);
    if (passes(a.skipIf)) return out.push(`${indent}same   ${a.title} (already in place: nothing armed)`);
    out.push(`${indent}guard  ${a.title}: dead-man switch armed for ${a.timeoutSec}s, reverted unless every check passes`);
    a.actions.forEach((x) => line(`${indent}  `, x, true));
    a.gates.forEach((x) => line(`${indent}  `, x, true));
  };
  for (const [i, s] of plan.steps.entries()) {
    const stepChanges = s.actions.some((a) => (a.kind === 'write' && writeChanges(a)) || a.kind === 'guarded');
    out.push('', `## ${i + 1}/${plan.steps.length} ${s.id}: ${s.title}`);
    s.actions.forEach((a) => line('  ', a, stepChanges));
  }
  out.push('', `# ${commands} command(s) would run and ${files} file(s) would change on ${host}.`);
  // The diffs quote files as they are on the server, which the container may have written.
  return { text: terminalSafe(`${out.join('\n')}\n`), commands, files };
}

/** Reads files as root in one round trip: path → text, or absent when missing. */
async function readFiles(exec: Executor, paths: string[]): Promise<Map<string, string>> {
  const got = new Map<string, string>();
  if (!paths.length) return got;
  const script = `for f in "$@"; do if [ -f "$f" ]; then printf '${MARK} %s ' "$f"; base64 -w0 < "$f"; echo; fi; done`;
  const r = await exec.run(['sh', '-c', script, 'sh', ...paths], { purpose: 'probe', timeoutSec: 60 });
  for (const m of r.stdout.matchAll(new RegExp(`^${MARK} (\\S+) (\\S*)$`, 'gm'))) got.set(m[1], Buffer.from(m[2], 'base64').toString('utf8'));
  return got;
}

/** KEY=value files (.env, monitoring.env, restic.env): they hold secrets even when the new content no longer does. */
export const ENV_LIKE = /(^|[/.])env$/;

/**
 * The diff of one file, secrets masked on both sides. A file holds secrets when
 * the planned content does, and an env-like file always: a value the run
 * removes (a Discord webhook dropped from monitoring.env, the S3 keys after a
 * switch to SFTP in restic.env) is still a secret on the server's side.
 */
export function fileDiff(w: WriteAction, before: string | null): string {
  const planned = redactText(w.content);
  const secrets = secretsIn(w.content);
  const names = { from: `${w.path} (now)`, to: `${w.path} (after the run)` };
  if (before === null) return unifiedDiff('', planned, names);
  const holdsSecrets = secrets.length > 0 || ENV_LIKE.test(w.path);
  return unifiedDiff(holdsSecrets ? maskServerText(w, before) : before, planned, names);
}

/** A secret-bearing file as it is on the server, with no value left in it: only lines the plan itself prints stay. */
function maskServerText(w: WriteAction, text: string): string {
  let revealed: string[] | null;
  try {
    revealed = revealText(w.content).split('\n');
  } catch {
    revealed = null; // a secret not available here: compare nothing, mask everything
  }
  const planned = redactText(w.content).split('\n');
  return text
    .split('\n')
    .map((l) => {
      const i = revealed ? revealed.indexOf(l) : -1;
      if (i >= 0) return planned[i];
      // A comment the plan does not write may hold a value too (a pasted old token).
      if (l === '' || planned.includes(l)) return l;
      const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=/.exec(l);
      return m ? `${m[1]}=<secret: differs>` : '<line hidden: this file holds secrets>';
    })
    .join('\n');
}
