#!/usr/bin/env bash
# OpenClaw health check, written by claw-setup; run every 5m by openclaw-health.timer.
# Alert targets come from /etc/claw-setup/monitoring.env (NTFY_URL, DISCORD_WEBHOOK_URL).
# Test it with: systemctl start openclaw-health; journalctl -u openclaw-health -n 20
set -uo pipefail

gateway_url='http://127.0.0.1:18789/healthz'
container=openclaw-gateway
disk_warn=85
mem_warn=90
state_file=/var/lib/claw-setup/health-state
remind_after_s=86400
host=$(uname -n)

problems=()
problem() { problems+=("$1"); }

# Disk use of the root file system.
disk=$(df --output=pcent / | tail -n 1 | tr -dc '0-9')
if [ -z "$disk" ]; then
  problem "disk use of / is unknown (df failed)"
elif [ "$disk" -ge "$disk_warn" ]; then
  problem "disk / is ${disk}% full (limit ${disk_warn}%)"
fi

# Memory in use, as the kernel counts it: total minus available.
mem=$(awk '/^MemTotal:/ { t = $2 } /^MemAvailable:/ { a = $2 } END { if (t > 0) printf "%d", (t - a) * 100 / t }' /proc/meminfo)
if [ -z "$mem" ]; then
  problem "memory use is unknown (/proc/meminfo unreadable)"
elif [ "$mem" -ge "$mem_warn" ]; then
  problem "memory is ${mem}% used (limit ${mem_warn}%)"
fi

# The container, then the gateway itself through its published loopback port.
read -r running restarts <<<"$(docker inspect --format '{{.State.Running}} {{.RestartCount}}' "$container" 2>/dev/null || true)"
if [ "${running:-}" != true ]; then
  problem "container $container is not running"
fi
# A crash loop: Docker restarted the gateway since the last check (the count is kept beside the state).
restarts_file="${state_file}.restarts"
case "${restarts:-}" in
  ''|*[!0-9]*) ;;
  *)
    last_restarts=$(cat "$restarts_file" 2>/dev/null || echo "$restarts")
    case "$last_restarts" in ''|*[!0-9]*) last_restarts=$restarts ;; esac
    if [ "$restarts" -gt "$last_restarts" ]; then
      problem "the gateway restarted $((restarts - last_restarts)) time(s) since the last check ($restarts in all): a crash loop? see: docker logs --tail 50 $container"
    fi
    printf '%s
' "$restarts" >"$restarts_file" 2>/dev/null || true
    ;;
esac
if ! curl -fsS --max-time 5 -o /dev/null "$gateway_url" 2>/dev/null; then
  problem "gateway does not answer $gateway_url"
fi

# Backups: the stamp openclaw-backup writes after a verified archive. Before the
# first run, the directory's age stands in, so a fresh install does not alarm.
backup_dir=/var/backups/openclaw
backup_max_age_h=36
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
  problem "$what: ${age_h}h ago (limit ${backup_max_age_h}h)"
fi

# JSON string escaping for the few characters our own messages can hold.
json_string() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=${s//$'\r'/}
  s=${s//$'\t'/ }
  printf '"%s"' "$s"
}

# Sends $1 (title), $2 (text) and $3 (ntfy tag) to every configured target. URLs go to curl on
# stdin (-K -), never in argv, where any local user could read them with ps.
notify() {
  local failed=0
  if [ -n "${NTFY_URL:-}" ]; then
    printf 'url = "%s"\n' "$NTFY_URL" |
      curl -fsS --max-time 10 -K - -o /dev/null -H "Title: $1" -H "Tags: $3" --data-binary "$2" || failed=1
  fi
  if [ -n "${DISCORD_WEBHOOK_URL:-}" ]; then
    printf 'url = "%s"\n' "$DISCORD_WEBHOOK_URL" |
      curl -fsS --max-time 10 -K - -o /dev/null -H 'Content-Type: application/json' \
        --data-binary "{\"content\":$(json_string "**$1**"$'\n'"$2")}" || failed=1
  fi
  return "$failed"
}

summary=""
if [ "${#problems[@]}" -gt 0 ]; then
  summary=$(printf '%s\n' "${problems[@]}")
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
    notify "OpenClaw on $host: ${#problems[@]} problem(s)" "$summary" warning
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
  printf 'openclaw-health: %s\n' "${problems[@]}" >&2
  exit 1
fi
echo "openclaw-health: all checks pass"
