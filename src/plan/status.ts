import JSON5 from 'json5';
import { splitSections } from './sections.js';

/**
 * `claw-setup status`: reads what templates/status-script.ts printed and turns it into a short
 * daily view. Pure. Times are measured against the server's own clock (its `date +%s`), so a
 * laptop with a wrong clock still reads "2h ago" right.
 */

export interface StatusView {
  gateway: { state: string; health: string; startedAt: string | null; restarts: number; image: string; healthz: boolean };
  /** Channel types in openclaw.json, with whether each is enabled. */
  channels: { type: string; enabled: boolean }[] | null;
  lastBackup: { at: number; path: string } | null;
  /** The monthly restore test's last run (null: never ran). */
  restoreTest: { ok: boolean; at: number } | null;
  /** When the gateway token was made or last rotated (server seconds), null: no record. */
  tokenMadeAt: number | null;
  /** The last alert the health check delivered: its time and the problems it reported (none = "recovered"). */
  lastAlert: { at: number; problems: string[] } | null;
  updates: { pending: number; security: number; rebootRequired: boolean } | null;
  deadmanArmed: boolean;
  firewall: string;
  /** Set while `claw-setup lockdown` holds (from the journal): when the lock began. */
  lockedSince?: string;
  server: { now: number; upSince: string; diskPercent: number | null };
}

const nonEmpty = (l: string[] | undefined) => (l ?? []).map((x) => x.trim()).filter(Boolean);

function channelsOf(config: string): StatusView['channels'] {
  if (!config.trim()) return null;
  try {
    const c = JSON5.parse(config) as { channels?: Record<string, { enabled?: boolean }> };
    return Object.entries(c.channels ?? {}).map(([type, v]) => ({ type, enabled: v?.enabled !== false }));
  } catch {
    return null;
  }
}

export function parseStatus(out: string): StatusView {
  const sec = splitSections(out);
  if (!sec.has('end')) throw new Error('the status script did not finish');
  const [state = 'missing', health = 'none', started = '', restarts = '0', image = ''] = (nonEmpty(sec.get('gateway'))[0] ?? '').split('|');
  const backup = nonEmpty(sec.get('backup'))[0];
  const alert = nonEmpty(sec.get('alert'));
  const upd = nonEmpty(sec.get('updates'));
  const [pending, security] = (upd[0] ?? '').split(' ').map(Number);
  const host = nonEmpty(sec.get('host'));
  const [rtResult, rtAt] = nonEmpty(sec.get('restoretest'));
  const tokenAt = Date.parse(nonEmpty(sec.get('token'))[0] ?? '');
  const lock = new Map(nonEmpty(sec.get('lockdown')).map((l) => [l.slice(0, l.indexOf(' ')), l.slice(l.indexOf(' ') + 1)]));
  return {
    gateway: {
      state: state || 'missing',
      health,
      startedAt: started && !started.startsWith('0001-') ? started : null,
      restarts: Number(restarts) || 0,
      image,
      healthz: nonEmpty(sec.get('healthz'))[0] === 'ok',
    },
    // One base64 line (the file is the container's: its lines must not reach the section reader).
    channels: channelsOf(Buffer.from(nonEmpty(sec.get('config')).join(''), 'base64').toString('utf8')),
    lastBackup: backup ? { at: Math.floor(Number(backup.split(' ')[0])), path: backup.slice(backup.indexOf(' ') + 1) } : null,
    restoreTest: rtAt && Number(rtAt) > 0 ? { ok: rtResult === 'success', at: Number(rtAt) } : null,
    tokenMadeAt: Number.isFinite(tokenAt) ? Math.floor(tokenAt / 1000) : null,
    lastAlert: alert.length ? { at: Number(alert[0]), problems: alert.slice(1) } : null,
    updates: upd.length && Number.isFinite(pending) ? { pending, security: security || 0, rebootRequired: upd.includes('reboot-required') } : null,
    deadmanArmed: nonEmpty(sec.get('deadman'))[0] !== 'none',
    firewall: nonEmpty(sec.get('firewall'))[0] ?? 'ufw: unknown',
    ...(lock.get('state') === 'locked' ? { lockedSince: lock.get('since') ?? '?' } : {}),
    server: { now: Number(host[0]) || 0, upSince: host[1] ?? '?', diskPercent: host[2] ? Number(host[2]) : null },
  };
}

/** "3d 4h", "2h 5m", "4m", "just now". */
export function ago(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d) return `${d}d ${h}h`;
  if (h) return `${h}h ${m}m`;
  return m ? `${m}m` : 'just now';
}

/** The one screen. */
export function formatStatus(v: StatusView): string[] {
  const now = v.server.now;
  const g = v.gateway;
  const since = g.startedAt ? Date.parse(g.startedAt) / 1000 : NaN;
  const gw =
    g.state === 'running'
      ? `up ${Number.isFinite(since) ? `${ago(now - since)} (since ${g.startedAt!.slice(0, 19).replace('T', ' ')} UTC)` : ''}, ${g.health === 'none' ? 'no health check' : g.health}, /healthz ${g.healthz ? 'ok' : 'DOWN'}, ${g.restarts} restarts, ${g.image}`
      : `${g.state.toUpperCase()}${g.state === 'missing' ? ' (no openclaw-gateway container)' : ''}; start it: cd ~/openclaw && sudo docker compose up -d`;
  const ch =
    v.channels === null
      ? 'unknown (openclaw.json unreadable)'
      : v.channels.length
        ? v.channels.map((c) => `${c.type}${c.enabled ? '' : ' (disabled)'}`).join(', ')
        : 'none configured (claw-setup add-channel --type telegram)';
  const rt = v.restoreTest ? `restore test ${v.restoreTest.ok ? 'passed' : 'FAILED'} ${ago(now - v.restoreTest.at)} ago` : 'restore test not run yet (monthly)';
  const backup = `${v.lastBackup ? `${ago(now - v.lastBackup.at)} ago: ${v.lastBackup.path}` : 'none yet'}; ${rt}`;
  const secrets =
    v.tokenMadeAt === null
      ? 'gateway token: no record of its age (claw-setup rotate gateway-token)'
      : `gateway token ${ago(now - v.tokenMadeAt)} old (renew: claw-setup rotate gateway-token)`;
  const alert = v.lastAlert
    ? `${ago(now - v.lastAlert.at)} ago: ${v.lastAlert.problems.length ? v.lastAlert.problems.join('; ') : 'recovered, all checks pass'}`
    : 'none sent';
  const u = v.updates;
  const updates = u ? `${u.pending} pending (${u.security} security)${u.rebootRequired ? '; REBOOT REQUIRED' : ''}` : 'unknown';
  const server = `${v.firewall.replace(/^Status: /, 'firewall ')}, ${v.deadmanArmed ? 'a dead-man switch is ARMED (run claw-setup audit)' : 'no dead-man switch armed'}, disk ${v.server.diskPercent ?? '?'}% used, up since ${v.server.upSince}`;
  return [
    ...(v.lockedSince ? [`LOCKED    since ${v.lockedSince}: every channel closed, nothing published (undo: claw-setup unlock)`] : []),
    `gateway   ${gw}`,
    `channels  ${ch}`,
    `backup    ${backup}`,
    `alert     ${alert}`,
    `updates   ${updates}`,
    `secrets   ${secrets}`,
    `server    ${server}`,
  ];
}
