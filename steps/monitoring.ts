import type { PlanContext } from '../src/plan/context.js';
import { run, type Step } from '../src/plan/action.js';
import { renderHealthScript, renderHealthService, renderHealthTimer, renderMonitoringEnv } from '../templates/health.js';
import { auditScriptFile } from '../templates/audit-script.js';
import { renderAuditService, renderAuditTimer, renderAuditWeeklyScript } from '../templates/audit-weekly.js';
import { timerJobActions } from './timers.js';

/**
 * A health check every few minutes (disk, memory, gateway, backup age) and the weekly audit (every
 * check of `claw-setup audit`, run on the server); both alert to ntfy or Discord.
 */
export function planMonitoring(ctx: PlanContext): Step | null {
  const a = ctx.answers;
  const m = a.monitoring;
  if (!m.enabled) return null;
  const p = ctx.paths;
  // The topic itself is never shown: anyone who knows it reads the alerts (it is a secret).
  const targets = [
    m.ntfyTopic ? `ntfy (${m.ntfyServer}, topic ${ctx.secrets.ntfyTopic?.placeholder ?? 'hidden'})` : null,
    m.discordWebhook ? 'a Discord webhook' : null,
  ].filter(Boolean);
  return {
    id: 'monitoring',
    title: 'Health monitoring',
    summary: [
      `every ${m.interval}: disk < ${m.diskWarnPercent}%, memory < ${m.memWarnPercent}%, gateway /healthz, backup age; alerts to ${targets.join(' and ') || 'the journal only'}`,
      'weekly: the full audit (the checks of claw-setup audit) on the server; alerts on each new failure',
    ],
    actions: [
      run('create /etc/claw-setup (root only)', ['install', '-d', '-m', '0700', '/etc/claw-setup'], { skipIf: ['test', '-d', '/etc/claw-setup'] }),
      ...timerJobActions({
        name: 'openclaw-health',
        script: { path: p.healthScript, text: renderHealthScript(a) },
        service: { path: p.healthService, text: renderHealthService(a) },
        timer: { path: p.healthTimer, text: renderHealthTimer(a) },
        extraFiles: [{ path: p.monitoringEnv, content: renderMonitoringEnv(a, ctx.secrets), mode: 0o600, title: 'alert settings (mode 600)' }],
      }),
      ...timerJobActions({
        name: 'claw-setup-audit',
        script: { path: p.auditWeekly, text: renderAuditWeeklyScript(a) },
        service: { path: p.auditService, text: renderAuditService(a) },
        timer: { path: p.auditTimer, text: renderAuditTimer() },
        extraFiles: [auditScriptFile(a)],
      }),
    ],
  };
}
