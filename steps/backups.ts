import type { PlanContext } from '../src/plan/context.js';
import { run, type Step } from '../src/plan/action.js';
import { renderBackupScript, renderBackupService, renderBackupTimer } from '../templates/index.js';
import { timerJobActions } from './timers.js';

/** Daily verified archives of the OpenClaw directory, kept N days. */
export function planBackups(ctx: PlanContext): Step | null {
  const a = ctx.answers;
  if (!a.backups.enabled) return null;
  const p = ctx.paths;
  return {
    id: 'backups',
    title: 'Backups',
    summary: [`daily at ${a.backups.time} UTC into ${a.backups.dir}, each archive verified, kept ${a.backups.keepDays} days`],
    actions: [
      run(`create ${a.backups.dir} (root only)`, ['install', '-d', '-m', '0700', a.backups.dir], { skipIf: ['test', '-d', a.backups.dir] }),
      ...timerJobActions({
        name: 'openclaw-backup',
        script: { path: p.backupScript, text: renderBackupScript(a) },
        service: { path: p.backupService, text: renderBackupService(a) },
        timer: { path: p.backupTimer, text: renderBackupTimer(a) },
      }),
    ],
    next: [{ kind: 'note', text: 'restore', command: `sudo tar -xzf ${a.backups.dir}/openclaw-<date>.tar.gz -C /`, aside: '(stop the gateway first)' }],
  };
}
