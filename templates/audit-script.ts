import { createHash } from 'node:crypto';
import type { Answers } from '../src/answers/schema.js';
import { DEADMAN_ROOT, NO_ARMED_GROUP } from '../src/plan/guard.js';
import { serverPaths } from '../src/plan/paths.js';
import { shQuote } from '../src/plan/shell.js';
import { SECRETS } from '../src/answers/rules.js';
import { APP_CHECKS } from './audit-app.js';
import { HOST_CHECKS } from './audit-host.js';
import { OPENCLAW_AUDIT_MAPPER, OPENCLAW_DOCTOR_MAPPER } from './audit-openclaw.js';
import { GATEWAY_CONTAINER } from './gateway-shared.js';
import { imageRef } from './compose.js';
import { SSHD_REMOVED_ALGORITHMS, sshdSettings } from './sshd-drop-in.js';

/**
 * `claw-setup audit`: every check in one bash script, run as root in one round trip. It changes
 * nothing. Each check prints one JSON line {id, status: pass|warn|fail, check, evidence, fix};
 * then {"meta":"timing",…} and {"meta":"end"}. Slow parts start first in the background
 * (OpenClaw's own security audit inside the container, the apt simulation, reading the newest
 * backup back) and are collected at the end. `$1` is the operator's address as the server sees
 * it (empty when unknown, e.g. from a timer). No secret is printed: the token only as its length.
 *
 * The static bash lives in audit-host.ts / audit-app.ts as String.raw with `@{` for bash's `${`,
 * so it reads as plain bash; the answers only ever enter through the quoted variables below.
 */
export function renderAuditScript(a: Answers): string {
  const p = serverPaths(a);
  const o = a.openclaw;
  const allowed = [...(a.access.mode === 'caddy' ? ['tcp/80', 'tcp/443'] : []), ...(a.tailscale.enabled ? ['udp/41641'] : []), 'udp/68', 'udp/546'];
  const vars: [string, string | number][] = [
    ['deploy_user', a.deployUser.name],
    ['compose_dir', p.composeDir],
    ['compose_file', p.compose],
    ['env_file', p.env],
    ['config_file', p.config],
    ['journal', p.journal],
    ['container', GATEWAY_CONTAINER],
    ['image_ref', imageRef(a)],
    ['gateway_port', o.gatewayPort],
    ['bridge_port', o.bridgePort],
    ['ssh_port', a.ssh.port],
    ['allowed_public', allowed.join(' ')],
    ['token_var', SECRETS.gatewayToken.envVar ?? 'OPENCLAW_GATEWAY_TOKEN'],
    ['token_stamp', p.tokenStamp],
    ['token_max_age_days', o.tokenMaxAgeDays],
    ['disk_warn', a.monitoring.diskWarnPercent],
    ['mem_warn', a.monitoring.memWarnPercent],
    ['fail2ban_enabled', yn(a.fail2ban.enabled)],
    ['unattended_wanted', yn(a.updates.unattended)],
    ['backups_enabled', yn(a.backups.enabled)],
    ['backup_dir', a.backups.dir],
    ['backup_max_age_h', a.monitoring.backupMaxAgeHours],
    ['keep_days', a.backups.keepDays],
    ['monitoring_enabled', yn(a.monitoring.enabled)],
    ['monitoring_env', p.monitoringEnv],
    ['tailscale_enabled', yn(a.tailscale.enabled)],
    ['deadman_root', DEADMAN_ROOT],
    ['deadman_check', NO_ARMED_GROUP[2]],
    ['weak_algorithms', SSHD_REMOVED_ALGORITHMS.flatMap((x) => x.names).join(' ')],
    [
      'sshd_expect',
      sshdSettings(a)
        .map(([k, v]) => `${k.toLowerCase()} ${v}`)
        .join('\n'),
    ],
    ['oc_mapper', OPENCLAW_AUDIT_MAPPER],
    ['doctor_mapper', OPENCLAW_DOCTOR_MAPPER],
  ];
  const header = vars.map(([k, v]) => `${k}=${shQuote(String(v))}`).join('\n');
  const body = [PRELUDE, HOST_CHECKS, APP_CHECKS, FINISH].join('\n').replaceAll('@{', '${');
  return `#!/usr/bin/env bash
# claw-setup audit, rendered by claw-setup from the answers. Read-only: it changes nothing.
# Usage: bash audit.sh [OPERATOR_IP]   (as root). Output: one JSON object per line.
# shellcheck disable=SC2016 # JavaScript and sh -c programs travel as literal single-quoted words
set -uo pipefail
export LC_ALL=C
operator_ip=\${1:-}
${header}
${body}`;
}

const yn = (b: boolean) => (b ? 'yes' : 'no');

/**
 * The audit script as a plan installs it (by the monitoring step, or by verify when monitoring
 * is off: one write per plan, defined here once). Its title names the content by sha256, so a
 * reader can match the one printed copy with the installed file (`sha256sum PATH` on the server)
 * and see that later references (the verify gate, the weekly timer) run that same file.
 */
export function auditScriptFile(a: Answers): { path: string; content: string; mode: number; title: string } {
  const content = renderAuditScript(a);
  const sha = createHash('sha256').update(content).digest('hex');
  return { path: serverPaths(a).auditScript, content, mode: 0o700, title: `the audit checks (as claw-setup audit runs them; sha256 ${sha.slice(0, 16)})` };
}

const PRELUDE = String.raw`
now_ms() { date +%s%3N; }
t_start=$(now_ms)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# JSON string of $1 in REPLY (no subshell): backslash, quote, newline escaped, other controls blanked.
jstr() {
  local s=$1
  s=@{s//\\/\\\\}
  s=@{s//\"/\\\"}
  s=@{s//$'\n'/\\n}
  s=@{s//[[:cntrl:]]/ }
  REPLY="\"$s\""
}
# emit ID STATUS CHECK EVIDENCE [FIX]
emit() {
  local id st ck ev
  jstr "$1"; id=$REPLY
  jstr "$2"; st=$REPLY
  jstr "$3"; ck=$REPLY
  jstr "$4"; ev=$REPLY
  jstr "@{5:-}"
  printf '{"id":%s,"status":%s,"check":%s,"evidence":%s,"fix":%s}\n' "$id" "$st" "$ck" "$ev" "$REPLY"
}

# IPv4 address to a number; fails on anything else.
ip4() {
  [[ $1 =~ ^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})$ ]] || return 1
  REPLY=$(( (10#@{BASH_REMATCH[1]} << 24) + (10#@{BASH_REMATCH[2]} << 16) + (10#@{BASH_REMATCH[3]} << 8) + 10#@{BASH_REMATCH[4]} ))
}
# covers CIDR-or-IP ADDRESS: is ADDRESS inside it? IPv4 by prefix, anything else by equality.
covers() {
  local net=@{1%/*} bits=32 n
  [[ $1 == */* ]] && bits=@{1#*/}
  [ "$net" = "$2" ] && return 0
  [[ $bits =~ ^[0-9]{1,2}$ ]] && [ "$bits" -le 32 ] || return 1
  ip4 "$net" || return 1
  n=$REPLY
  ip4 "$2" || return 1
  local mask=$(( bits == 0 ? 0 : (0xFFFFFFFF << (32 - bits)) & 0xFFFFFFFF ))
  [ $(( n & mask )) -eq $(( REPLY & mask )) ]
}
covers_any() {
  local s
  for s in $1; do covers "$s" "$2" && return 0; done
  return 1
}

# Tailscale: logged in, and the node key's expiry (warn 30 days ahead). $1: tailscale status --json.
tailscale_checks() {
  local json=$1 state expiry exp_s days
  state=$(sed -n 's/^[[:space:]]*"BackendState":[[:space:]]*"\([^"]*\)".*/\1/p' <<<"$json" | head -n 1)
  if [ "$state" != Running ]; then
    emit tailscale.up fail "Tailscale is logged in and up" "BackendState @{state:-unknown (tailscale status failed)}" "sudo tailscale up, or rerun claw-setup with a fresh auth key"
    return
  fi
  emit tailscale.up pass "Tailscale is logged in and up" "BackendState Running"
  expiry=$(awk '/^  "Self": *\{/ { s = 1; next } s && /^  \}/ { exit } s && /^    "KeyExpiry":/ { sub(/^[^:]*: *"/, ""); sub(/".*/, ""); print; exit }' <<<"$json")
  if [ -z "$expiry" ]; then
    emit tailscale.key-expiry pass "the Tailscale node key does not expire soon" "key expiry is disabled for this node"
    return
  fi
  if ! exp_s=$(date -d "$expiry" +%s 2>/dev/null); then
    emit tailscale.key-expiry warn "the Tailscale node key does not expire soon" "unreadable KeyExpiry $expiry" "check: tailscale status --json"
    return
  fi
  days=$(( (exp_s - $(date +%s)) / 86400 ))
  local fix="disable key expiry for this machine in the Tailscale admin console, or re-authenticate: sudo tailscale up --force-reauth (keep the break-glass rule until it is back)"
  if [ "$exp_s" -le "$(date +%s)" ]; then
    emit tailscale.key-expiry fail "the Tailscale node key does not expire soon" "expired on $expiry: the node is off the tailnet" "$fix"
  elif [ "$days" -lt 30 ]; then
    emit tailscale.key-expiry warn "the Tailscale node key does not expire soon" "expires on $expiry, in $days days" "$fix"
  else
    emit tailscale.key-expiry pass "the Tailscale node key does not expire soon" "expires on $expiry, in $days days"
  fi
}

# The gateway container, inspected once (no Config.Env: it holds the secrets).
ins=$(docker inspect -f '{{.State.Status}}|{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}|{{.State.StartedAt}}|{{.RestartCount}}|{{.Config.Image}}|{{json .HostConfig.CapDrop}}|{{json .HostConfig.CapAdd}}|{{json .HostConfig.SecurityOpt}}|{{.HostConfig.Privileged}}|{{.HostConfig.Memory}}|{{.HostConfig.PidsLimit}}|{{.HostConfig.LogConfig.Type}}|{{json .HostConfig.LogConfig.Config}}|{{range $p, $b := .HostConfig.PortBindings}}{{range $b}}{{.HostIp}}:{{.HostPort}} {{end}}{{end}}|{{range .Mounts}}{{.Source}} {{end}}|{{.HostConfig.NetworkMode}}|{{.State.ExitCode}}' "$container" 2>/dev/null)
up_fix="cd $compose_dir && sudo docker compose up -d; logs: sudo docker logs --tail 50 $container"

# Slow parts in the background: OpenClaw's own audit (timed on its own), apt's simulation, the newest backup read back.
oc_pid=''
if [[ $ins == running\|* ]]; then
  ( s=$(now_ms)
    # OpenClaw's security audit and its doctor side by side (each a node process in the container).
    timeout 150 docker exec "$container" sh -c 'node dist/index.js doctor --lint --json --severity-min warning 2>/dev/null | node -e "$1"' sh "$doctor_mapper" >"$tmp/doctor.out" 2>/dev/null &
    doctor_pid=$!
    timeout 150 docker exec "$container" sh -c 'node dist/index.js security audit --json 2>/dev/null | node -e "$1"' sh "$oc_mapper" >"$tmp/oc.out" 2>"$tmp/oc.err"
    oc_rc=$?
    wait "$doctor_pid"
    cat "$tmp/doctor.out" >>"$tmp/oc.out"
    echo "$oc_rc $(( $(now_ms) - s ))" >"$tmp/oc.rc" ) &
  oc_pid=$!
fi
apt-get -s -o Debug::NoLocking=1 dist-upgrade >"$tmp/apt.sim" 2>/dev/null &
apt_pid=$!
tar_pid=''
if [ "$backups_enabled" = yes ]; then
  newest_bg=$(find "$backup_dir" -maxdepth 1 -type f -name 'openclaw-*.tar.gz' -printf '%T@ %p\n' 2>/dev/null | sort -n | tail -n 1)
  if [ -n "$newest_bg" ]; then
    ( timeout 60 tar -tzf "@{newest_bg#* }" >/dev/null 2>&1; echo "$?" >"$tmp/tar.rc" ) &
    tar_pid=$!
  fi
fi
`;

const FINISH = String.raw`
# ---- collect OpenClaw's own audit
checks_ms=$(( $(now_ms) - t_start ))
oc_ms=0
if [ -n "$oc_pid" ]; then
  wait "$oc_pid"
  read -r oc_rc oc_ms <"$tmp/oc.rc"
  if [ -s "$tmp/oc.out" ]; then
    cat "$tmp/oc.out"
  else
    emit app.openclaw-audit fail "OpenClaw security audit" "printed nothing (exit $oc_rc; 124 = timed out): $(head -c 200 "$tmp/oc.err")" "sudo docker exec $container node dist/index.js security audit"
  fi
else
  emit app.openclaw-audit fail "OpenClaw security audit" "not run: the gateway container is not running" "$up_fix"
fi
printf '{"meta":"timing","checks_ms":%d,"openclaw_audit_ms":%d,"total_ms":%d}\n' "$checks_ms" "$oc_ms" "$(( $(now_ms) - t_start ))"
printf '{"meta":"end"}\n'
`;
