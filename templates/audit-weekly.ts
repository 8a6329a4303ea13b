import type { Answers } from '../src/answers/schema.js';
import { serverPaths } from '../src/plan/paths.js';
import { shQuote } from '../src/plan/shell.js';
import { NOTIFY_FUNCTIONS } from './health.js';

/**
 * The weekly audit on the server, without the CLI: the very script `claw-setup audit` sends
 * (installed as claw-setup-audit), run by a timer through a small wrapper that alerts, with the
 * health check's own `notify`, on every failure that was not failing at the last run. Nothing is
 * sent while all checks pass (or only the same failures as last time remain); the state is kept
 * only once the alert is delivered, so a failed delivery is retried next time.
 */
export function renderAuditWeeklyScript(a: Answers): string {
  const p = serverPaths(a);
  return `#!/usr/bin/env bash
# Weekly claw-setup audit, written by claw-setup; run by claw-setup-audit.timer.
# Runs ${p.auditScript} (the same checks as \`claw-setup audit\`) and alerts on new failures.
# Run it now with: systemctl start claw-setup-audit; journalctl -u claw-setup-audit -n 30
set -uo pipefail
audit=${shQuote(p.auditScript)}
state_file=${shQuote(`${p.stateDir}/audit-failures`)}
host=$(uname -n)
${NOTIFY_FUNCTIONS}${WEEKLY_BODY.replaceAll('@{', '${')}`;
}

/** The wrapper's logic (bash, `@{` for `\${`): failing checks out of the JSON lines, new ones alerted. */
const WEEKLY_BODY = String.raw`
out=$("$audit")
# One "id: evidence (fix: ...)" line per failing check.
failures=$(sed -n 's/^{"id":"\([^"]*\)","status":"fail","check":".*","evidence":"\(.*\)","fix":"\(.*\)"}$/\1: \2 (fix: \3)/p' <<<"$out" |
  sed -e 's/\\n/ /g' -e 's/\\"/"/g' -e 's/\\\\/\\/g')
if ! grep -q '^{"meta":"end"}$' <<<"$out"; then
  failures+=$'\n'"audit.complete: the audit script stopped early (fix: run it by hand: sudo $audit)"
fi
failures=$(sed '/^$/d' <<<"$failures")
ids=$(cut -d: -f1 <<<"$failures" | sed '/^$/d' | sort -u)
previous=$(sort -u "$state_file" 2>/dev/null)
new=$(comm -23 <(printf '%s\n' "$ids" | sed '/^$/d') <(printf '%s\n' "$previous" | sed '/^$/d'))
remember() { printf '%s\n' "$ids" >"$state_file.tmp" && mv "$state_file.tmp" "$state_file"; }
if [ -z "$new" ]; then
  remember
else
  text=$(awk -F: 'NR == FNR { want[$0] = 1; next } $1 in want' <(printf '%s\n' "$new") <(printf '%s\n' "$failures"))
  if notify "OpenClaw on $host: weekly audit: $(wc -l <<<"$new") new failure(s)" "$text" rotating_light; then
    remember
  else
    echo "claw-setup-audit: could not deliver the alert" >&2
  fi
fi
if [ -n "$failures" ]; then
  printf 'claw-setup-audit: FAIL %s\n' "$failures" >&2
  exit 1
fi
echo "claw-setup-audit: no failure"
`;

/** claw-setup-audit.service: root (it reads sshd, ufw, docker and file modes), low priority. */
export function renderAuditService(a: Answers): string {
  const p = serverPaths(a);
  return `# Written by claw-setup.
[Unit]
Description=Weekly claw-setup audit (alerts on new failures)
Documentation=file://${p.auditWeekly}
After=docker.service

[Service]
Type=oneshot
EnvironmentFile=-${p.monitoringEnv}
ExecStart=${p.auditWeekly}
StateDirectory=${p.stateDir.replace(/^\/var\/lib\//, '')}
StateDirectoryMode=0700
Nice=10
IOSchedulingClass=idle
PrivateTmp=yes
NoNewPrivileges=yes
`;
}

/** claw-setup-audit.timer: weekly, Monday morning (server clock), caught up after downtime. */
export function renderAuditTimer(): string {
  return `# Written by claw-setup.
[Unit]
Description=Weekly claw-setup audit

[Timer]
OnCalendar=Mon *-*-* 06:00:00
Persistent=true
RandomizedDelaySec=1h

[Install]
WantedBy=timers.target
`;
}
