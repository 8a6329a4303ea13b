import type { Answers } from '../src/answers/schema.js';
import type { Secrets } from '../src/answers/secrets.js';
import { serverPaths } from '../src/plan/paths.js';
import { joinText, secretText, type SecretText } from '../src/core/secret.js';
import { shQuote } from '../src/plan/shell.js';
import { SECRETS } from '../src/answers/rules.js';
import { GATEWAY_CONTAINER, oneshotSandbox } from './gateway-shared.js';

/** The monitoring.env variable the Discord webhook URL is written to (from the rules table). */
const WEBHOOK_VAR = SECRETS.discordWebhook.envVar;

/**
 * The health check: a script, a oneshot service, its timer, and the root-only
 * environment file holding where alerts go. It checks disk, memory, the
 * gateway's /healthz, the container, and the age of the last good backup; it
 * alerts when the set of problems changes (and again daily while they last),
 * and exits non-zero while any problem remains so `systemctl --failed` shows it.
 */

const UNIT: Record<string, string> = { s: 's', m: 'min', h: 'h', d: 'd', w: 'w' };

/** An answers duration ("5m") as a systemd time span ("5min"; systemd reads "5M" as months). */
export function systemdTimeSpan(d: string): string {
  const m = /^([1-9]\d{0,6})([smhdw])$/.exec(d);
  if (!m) throw new Error(`duration must look like "5m", got "${d}"`);
  return `${m[1]}${UNIT[m[2]]}`;
}

/**
 * The ntfy URL alerts are posted to (server and topic), or null without a topic. The topic is a
 * Secret: anyone who knows it reads the alerts, so it prints as <secret:NTFY_TOPIC>.
 */
export function ntfyUrl(a: Answers, s: Secrets): SecretText | null {
  if (a.monitoring.ntfyTopic === null || !s.ntfyTopic) return null;
  return secretText`${a.monitoring.ntfyServer.replace(/\/+$/, '')}/${s.ntfyTopic}`;
}

/**
 * /etc/claw-setup/monitoring.env (mode 600, root): the alert targets. The ntfy
 * URL is here rather than in the world-readable script because anyone who knows
 * a topic can read its messages; the Discord webhook URL is a secret.
 */
export function renderMonitoringEnv(a: Answers, s: Secrets): SecretText {
  const parts: SecretText[] = [['# Alert targets for openclaw-health, written by claw-setup. Root only, mode 600: holds secrets.\n']];
  const ntfy = ntfyUrl(a, s);
  if (ntfy) parts.push(joinText(["NTFY_URL='", ntfy, "'\n"]));
  if (a.monitoring.discordWebhook && s.discordWebhook) parts.push(secretText`${WEBHOOK_VAR}='${s.discordWebhook}'\n`);
  return joinText(parts);
}

/**
 * The bash functions that deliver an alert: `notify TITLE TEXT NTFY_TAG` to every target set in
 * the environment (NTFY_URL, the Discord webhook variable). Shared by the health check and
 * `claw-setup alert-test`, so the test alert travels exactly the way real alerts do.
 */
export const NOTIFY_FUNCTIONS = `# JSON string escaping for the few characters our own messages can hold.
json_string() {
  local s=$1
  s=\${s//\\\\/\\\\\\\\}
  s=\${s//\\"/\\\\\\"}
  s=\${s//$'\\n'/\\\\n}
  s=\${s//$'\\r'/}
  s=\${s//$'\\t'/ }
  printf '"%s"' "$s"
}

# Sends $1 (title), $2 (text) and $3 (ntfy tag) to every configured target. URLs go to curl on
# stdin (-K -), never in argv, where any local user could read them with ps.
notify() {
  local failed=0
  if [ -n "\${NTFY_URL:-}" ]; then
    printf 'url = "%s"\\n' "$NTFY_URL" |
      curl -fsS --max-time 10 -K - -o /dev/null -H "Title: $1" -H "Tags: $3" --data-binary "$2" || failed=1
  fi
  if [ -n "\${${WEBHOOK_VAR}:-}" ]; then
    printf 'url = "%s"\\n' "$${WEBHOOK_VAR}" |
      curl -fsS --max-time 10 -K - -o /dev/null -H 'Content-Type: application/json' \\
        --data-binary "{\\"content\\":$(json_string "**$1**"$'\\n'"$2")}" || failed=1
  fi
  return "$failed"
}
`;

/** /usr/local/sbin/openclaw-health. */
export function renderHealthScript(a: Answers): string {
  const p = serverPaths(a);
  const m = a.monitoring;
  const backupCheck = a.backups.enabled
    ? `
# Backups: the stamp openclaw-backup writes after a verified archive. Before the
# first run, the directory's age stands in, so a fresh install does not alarm.
backup_dir=${shQuote(a.backups.dir)}
backup_max_age_h=${m.backupMaxAgeHours}
stamp="$backup_dir/last-success"
if [ -e "$stamp" ]; then
  since=$(stat -c %Y "$stamp")
  what="last successful backup"
elif [ -d "$backup_dir" ]; then
  since=$(stat -c %Y "$backup_dir")
  what="backup directory created, but no successful backup since"
else
  since=0
  what="no backup directory; no backup ever"
fi
age_h=$(( ($(date +%s) - since) / 3600 ))
if [ "$age_h" -ge "$backup_max_age_h" ]; then
  problem "$what: \${age_h}h ago (limit \${backup_max_age_h}h)"
fi
`
    : '';
  return `#!/usr/bin/env bash
# OpenClaw health check, written by claw-setup; run every ${m.interval} by openclaw-health.timer.
# Alert targets come from ${p.monitoringEnv} (NTFY_URL, ${WEBHOOK_VAR}).
# Test it with: systemctl start openclaw-health; journalctl -u openclaw-health -n 20
set -uo pipefail

gateway_url='http://127.0.0.1:${a.openclaw.gatewayPort}/healthz'
container=${shQuote(GATEWAY_CONTAINER)}
disk_warn=${m.diskWarnPercent}
mem_warn=${m.memWarnPercent}
state_file=${shQuote(`${p.stateDir}/health-state`)}
remind_after_s=86400
host=$(uname -n)

problems=()
problem() { problems+=("$1"); }

# Disk use of the root file system.
disk=$(df --output=pcent / | tail -n 1 | tr -dc '0-9')
if [ -z "$disk" ]; then
  problem "disk use of / is unknown (df failed)"
elif [ "$disk" -ge "$disk_warn" ]; then
  problem "disk / is \${disk}% full (limit \${disk_warn}%)"
fi

# Memory in use, as the kernel counts it: total minus available.
mem=$(awk '/^MemTotal:/ { t = $2 } /^MemAvailable:/ { a = $2 } END { if (t > 0) printf "%d", (t - a) * 100 / t }' /proc/meminfo)
if [ -z "$mem" ]; then
  problem "memory use is unknown (/proc/meminfo unreadable)"
elif [ "$mem" -ge "$mem_warn" ]; then
  problem "memory is \${mem}% used (limit \${mem_warn}%)"
fi

# The container, then the gateway itself through its published loopback port.
read -r running restarts <<<"$(docker inspect --format '{{.State.Running}} {{.RestartCount}}' "$container" 2>/dev/null || true)"
if [ "\${running:-}" != true ]; then
  problem "container $container is not running"
fi
# A crash loop: Docker restarted the gateway since the last check (the count is kept beside the state).
restarts_file="\${state_file}.restarts"
case "\${restarts:-}" in
  ''|*[!0-9]*) ;;
  *)
    last_restarts=$(cat "$restarts_file" 2>/dev/null || echo "$restarts")
    case "$last_restarts" in ''|*[!0-9]*) last_restarts=$restarts ;; esac
    if [ "$restarts" -gt "$last_restarts" ]; then
      problem "the gateway restarted $((restarts - last_restarts)) time(s) since the last check ($restarts in all): a crash loop? see: docker logs --tail 50 $container"
    fi
    printf '%s\n' "$restarts" >"$restarts_file" 2>/dev/null || true
    ;;
esac
if ! curl -fsS --max-time 5 -o /dev/null "$gateway_url" 2>/dev/null; then
  problem "gateway does not answer $gateway_url"
fi
${backupCheck}
${NOTIFY_FUNCTIONS}
summary=""
if [ "\${#problems[@]}" -gt 0 ]; then
  summary=$(printf '%s\\n' "\${problems[@]}")
fi
previous=""
if [ -f "$state_file" ]; then
  previous=$(cat "$state_file")
fi

send=no
if [ "$summary" != "$previous" ]; then
  send=yes
elif [ -n "$summary" ] && [ $(( $(date +%s) - $(stat -c %Y "$state_file") )) -ge "$remind_after_s" ]; then
  send=yes
fi

if [ "$send" = yes ]; then
  if [ -n "$summary" ]; then
    notify "OpenClaw on $host: \${#problems[@]} problem(s)" "$summary" warning
  else
    notify "OpenClaw on $host: recovered" "All health checks pass again." white_check_mark
  fi
  sent=$?
  # Remember what was reported only once it was delivered, so a failed alert is retried next run.
  if [ "$sent" -eq 0 ]; then
    mkdir -p "$(dirname "$state_file")"
    printf '%s' "$summary" >"$state_file.tmp" && mv "$state_file.tmp" "$state_file"
  else
    echo "openclaw-health: could not deliver the alert" >&2
  fi
fi

if [ -n "$summary" ]; then
  printf 'openclaw-health: %s\\n' "\${problems[@]}" >&2
  exit 1
fi
echo "openclaw-health: all checks pass"
`;
}

/** /etc/systemd/system/openclaw-health.service. */
export function renderHealthService(a: Answers): string {
  const p = serverPaths(a);
  return `# Written by claw-setup.
[Unit]
Description=OpenClaw health check (disk, memory, gateway, backups)
Documentation=file://${p.healthScript}
After=docker.service

[Service]
Type=oneshot
EnvironmentFile=-${p.monitoringEnv}
ExecStart=${p.healthScript}
# ${p.stateDir}, root only: the last reported problems live there.
StateDirectory=${p.stateDir.replace(/^\/var\/lib\//, '')}
StateDirectoryMode=0700
${oneshotSandbox()}
`;
}

/** /etc/systemd/system/openclaw-health.timer: 2 minutes after boot, then every monitoring.interval. */
export function renderHealthTimer(a: Answers): string {
  return `# Written by claw-setup.
[Unit]
Description=OpenClaw health check every ${a.monitoring.interval}

[Timer]
OnBootSec=2min
OnUnitActiveSec=${systemdTimeSpan(a.monitoring.interval)}
AccuracySec=10s

[Install]
WantedBy=timers.target
`;
}
