import type { PlanContext } from '../src/plan/context.js';
import { run, type Step } from '../src/plan/action.js';
import { renderHealthScript, renderHealthService, renderHealthTimer, renderMonitoringEnv } from '../templates/index.js';
import { timerJobActions } from './timers.js';

/** A health check every few minutes: disk, memory, gateway, backup age; alerts to ntfy or Discord. */
export function planMonitoring(ctx: PlanContext): Step | null {
  const a = ctx.answers;
  const m = a.monitoring;
  if (!m.enabled) return null;
  const p = ctx.paths;
  const targets = [m.ntfyTopic ? `ntfy topic ${m.ntfyTopic}` : null, m.discordWebhook ? 'a Discord webhook' : null].filter(Boolean);
  return {
    id: 'monitoring',
    title: 'Health monitoring',
    summary: [
      `every ${m.interval}: disk < ${m.diskWarnPercent}%, memory < ${m.memWarnPercent}%, gateway /healthz, backup age; alerts to ${targets.join(' and ') || 'the journal only'}`,
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
    ],
  };
}
