/**
 * The audit scorecard: parses what the server-side audit script printed (templates/audit-script.ts,
 * one JSON object per line), scores it and formats it. Pure: no I/O. The `--json` report's shape
 * is published in docs/audit-schema.json (`AUDIT_SCHEMA_ID`); change both together.
 */

export const AUDIT_STATUSES = ['pass', 'warn', 'fail'] as const;
export type AuditStatus = (typeof AUDIT_STATUSES)[number];

export interface AuditCheck {
  /** Stable, dotted: `<group>.<name>`, e.g. `ssh.root-login`, `app.openclaw.<OpenClaw checkId>`. */
  id: string;
  /** The part of `id` before the first dot: ssh, firewall, fail2ban, updates, network, deadman, host, container, app, backups, monitoring, tailscale, audit. */
  group: string;
  status: AuditStatus;
  /** What is checked, in words. */
  check: string;
  evidence: string;
  /** How to fix it; empty when it passes. */
  fix: string;
}

export interface AuditTiming {
  /** The server-side checks other than OpenClaw's own audit (which runs in parallel with them). */
  checksMs: number;
  /** OpenClaw's `security audit` inside the container, on its own. */
  openclawAuditMs: number;
  /** The whole script on the server. */
  scriptMs: number;
}

export interface AuditReport {
  schema: typeof AUDIT_SCHEMA_ID;
  host: string;
  generatedAt: string;
  result: AuditStatus;
  exitCode: 0 | 1 | 2;
  counts: Record<AuditStatus, number>;
  timing: AuditTiming;
  checks: AuditCheck[];
}

export const AUDIT_SCHEMA_ID = 'https://claw-setup.dev/schemas/audit-1.json';

const ID = /^[a-z0-9][a-z0-9-]*(\.[A-Za-z0-9_-]+)+$/;
const MAX = 2000;

const clean = (s: unknown) =>
  String(s ?? '')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ')
    .trim()
    .slice(0, MAX);

/** One line of script output as a check, or null when it is not one (meta lines, noise). */
function asCheck(o: Record<string, unknown>): AuditCheck | null {
  if (typeof o.id !== 'string' || !ID.test(o.id) || !(AUDIT_STATUSES as readonly string[]).includes(o.status as string)) return null;
  return { id: o.id, group: o.id.split('.')[0], status: o.status as AuditStatus, check: clean(o.check), evidence: clean(o.evidence), fix: clean(o.fix) };
}

/**
 * Parses the script's stdout. A script that did not reach its end marker, or a line that is not
 * a well-formed check, becomes a failing `audit.*` check of its own: a scorecard never silently
 * drops what it could not read.
 */
export function parseAuditOutput(stdout: string, stderr = '', code = 0): { checks: AuditCheck[]; timing: AuditTiming } {
  const checks: AuditCheck[] = [];
  const timing: AuditTiming = { checksMs: 0, openclawAuditMs: 0, scriptMs: 0 };
  let ended = false;
  let bad = 0;
  for (const line of stdout.split('\n')) {
    const t = line.trim();
    if (!t) continue;
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(t) as Record<string, unknown>;
    } catch {
      bad++;
      continue;
    }
    if (o.meta === 'end') ended = true;
    else if (o.meta === 'timing') {
      timing.checksMs = Number(o.checks_ms) || 0;
      timing.openclawAuditMs = Number(o.openclaw_audit_ms) || 0;
      timing.scriptMs = Number(o.total_ms) || 0;
    } else {
      const c = asCheck(o);
      if (c) checks.push(c);
      else bad++;
    }
  }
  if (!ended) {
    const why = clean(stderr.trim().split('\n').slice(-2).join(' / ')) || `exit ${code}`;
    checks.push({
      id: 'audit.complete',
      group: 'audit',
      status: 'fail',
      check: 'the audit ran to the end',
      evidence: `the audit script stopped early (${why}); ${checks.length} checks ran`,
      fix: 'run the audit again; if it keeps stopping, check that the login can run sudo and bash on the server',
    });
  }
  if (bad) {
    checks.push({
      id: 'audit.output',
      group: 'audit',
      status: 'warn',
      check: 'the audit output is readable',
      evidence: `${bad} line(s) of the audit output were not checks`,
      fix: 'a bug in claw-setup: please report it',
    });
  }
  return { checks, timing };
}

export function countStatuses(checks: readonly AuditCheck[]): Record<AuditStatus, number> {
  const counts = { pass: 0, warn: 0, fail: 0 };
  for (const c of checks) counts[c.status]++;
  return counts;
}

/** 0 all pass, 1 warnings, 2 failures. */
export function auditExitCode(checks: readonly AuditCheck[]): 0 | 1 | 2 {
  const c = countStatuses(checks);
  return c.fail ? 2 : c.warn ? 1 : 0;
}

export function buildReport(host: string, checks: AuditCheck[], timing: AuditTiming, now: Date): AuditReport {
  const exitCode = auditExitCode(checks);
  return {
    schema: AUDIT_SCHEMA_ID,
    host,
    generatedAt: now.toISOString(),
    result: (['pass', 'warn', 'fail'] as const)[exitCode],
    exitCode,
    counts: countStatuses(checks),
    timing,
    checks,
  };
}

/** The scorecard: one "PASS  id  evidence  (fix: …)" line per check, then the counts. */
export function formatScorecard(r: AuditReport): string[] {
  const width = Math.min(34, Math.max(...r.checks.map((c) => c.id.length), 10));
  const line = (c: AuditCheck) => {
    const ev = c.evidence.split('\n')[0];
    return `${c.status.toUpperCase()}  ${c.id.padEnd(width)}  ${ev}${c.status !== 'pass' && c.fix ? `  (fix: ${c.fix})` : ''}`;
  };
  const out = r.checks.map(line);
  const n = r.counts;
  out.push('', `${r.checks.length} checks: ${n.pass} pass, ${n.warn} warn, ${n.fail} fail (exit ${r.exitCode})`);
  return out;
}
