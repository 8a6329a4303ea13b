import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Io } from '../core/io.js';
import { writeNewLocalFile } from '../exec/local-file.js';

/** What to do after a dry run: the line the terminal ends on. */
const DRY_RUN_NEXT = 'Next: to apply for real, run claw-setup again without --dry-run.';

const stamp = (d: Date) => d.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');

/**
 * Writes a dry run's plan to a new file only its owner can read (0600), in the current folder, else
 * in $TMPDIR, never over an existing file. The plan holds no secret value (placeholders only), but
 * it maps the server's hardening, so it is not left readable to everyone. Returns the path, or the
 * reason it could not be written anywhere.
 */
function savePlanFile(
  text: string,
  o: { cwd?: string; tmp?: string; now?: Date; write?: (path: string, text: string) => void } = {},
): { path: string } | { error: string } {
  const write = o.write ?? ((p: string, t: string) => writeNewLocalFile(p, t, 0o600));
  const name = `claw-setup-plan-${stamp(o.now ?? new Date())}`;
  let error = '';
  for (const dir of [o.cwd ?? process.cwd(), o.tmp ?? tmpdir()])
    for (let n = 1; n <= 5; n++) {
      const path = join(dir, `${name}${n > 1 ? `-${n}` : ''}.sh`);
      try {
        write(path, text);
        return { path };
      } catch (e) {
        error = (e as Error).message;
        if (!/already exists/.test(error)) break;
      }
    }
  return { error };
}

/**
 * The end of a dry run, after the Done screen (wizard or --plain): where the plan is, then what to
 * do next, so the terminal ends on the next step and not on the 2,000-line script. When no file
 * can be written the plan is printed, and the next step still comes last.
 */
export function dryRunOutro(text: string, io: Pick<Io, 'stdout' | 'stderr'>, o: Parameters<typeof savePlanFile>[1] = {}): string {
  const saved = savePlanFile(text, o);
  const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  if ('path' in saved) {
    const rel = relative(o.cwd ?? process.cwd(), saved.path);
    const shown = rel.startsWith('..') ? saved.path : `./${rel}`;
    io.stdout(`Dry run: nothing was changed. The plan (${lines} lines, secrets as <secret:NAME>) is in ${shown} (mode 600): less ${shown}\n`);
  } else {
    io.stdout(text);
    io.stdout(`Dry run: nothing was changed. The plan is printed above (${saved.error}).\n`);
  }
  io.stdout(`${DRY_RUN_NEXT}\n`);
  return 'path' in saved ? saved.path : '';
}

/** The runner's report for a dry run: its "State now" and "How to go on" lines speak of a server, and a dry run touched none. */
export function dryRunReport(report: readonly string[]): string[] {
  return report.filter((l) => !/^(State now|How to go on):/.test(l));
}
