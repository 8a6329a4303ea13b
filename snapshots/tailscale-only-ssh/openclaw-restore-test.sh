#!/usr/bin/env bash
# OpenClaw restore test, written by claw-setup; run monthly by openclaw-restore-test.timer.
# Restores the newest archive of /var/backups/openclaw into a scratch directory and checks it
# holds docker-compose.yml and an openclaw.json that parses.
# Alerts through the health check's targets (/etc/claw-setup/monitoring.env) on failure.
# Run it now with: systemctl start openclaw-restore-test; journalctl -u openclaw-restore-test -n 20
set -uo pipefail
umask 077

dest=/var/backups/openclaw
src=home/claw/openclaw
host=$(uname -n)
problems=()
problem() { problems+=("$1"); }

scratch=$(mktemp -d "${TMPDIR:-/tmp}/openclaw-restore-test.XXXXXX") || exit 1
trap 'rm -rf "$scratch"' EXIT
mkdir -m 700 "$scratch/tree" || exit 1

newest=$(find "$dest" -maxdepth 1 -type f -name 'openclaw-*.tar.gz' -printf '%T@ %p\n' 2>/dev/null | sort -n | tail -n 1 | cut -d' ' -f2-)
if [ -z "$newest" ]; then
  problem "no archive in $dest to restore"
elif ! tar -tvzf "$newest" >"$scratch/members" 2>/dev/null; then
  problem "$newest does not read back"
else
  # config/ and workspace/ belong to the gateway container: whatever it planted there is archived as
  # it is. Hard links, devices and FIFOs have no business there; symlinks may (npm's node_modules/.bin),
  # but none is extracted or read here: only the two files checked, only as regular files (by tar type).
  odd=$(grep -v '^[-dl]' "$scratch/members" | head -n 3 | cut -c1-160 | tr -c '[:print:]\n' '?' | tr '\n' ';')
  [ -z "$odd" ] || problem "$newest holds hard links, devices or FIFOs (planted in the container's directories?): $odd"
  readable=1
  for f in docker-compose.yml config/openclaw.json; do
    types=$(tar -tvzf "$newest" "$src/$f" 2>/dev/null | cut -c1 | sort -u | tr -d '\n')
    case "$types" in
      -) ;;
      '') problem "$newest holds no /$src/$f"; readable=0 ;;
      *) problem "/$src/$f in $newest is not a regular file (tar type '$types': a link planted in the container's directory?); not extracted, not read"; readable=0 ;;
    esac
  done
  config="$scratch/tree/$src/config/openclaw.json"
  if [ "$readable" = 0 ]; then
    :
  elif ! tar -xzf "$newest" -C "$scratch/tree" --no-same-owner --no-same-permissions -- "$src/docker-compose.yml" "$src/config/openclaw.json"; then
    problem "$newest does not extract"
  elif [ ! -s "$scratch/tree/$src/docker-compose.yml" ]; then
    problem "/$src/docker-compose.yml in $newest is empty"
  elif [ -L "$config" ] || [ ! -f "$config" ] || [ ! -s "$config" ]; then
    problem "/$src/config/openclaw.json in $newest is empty or not a regular file"
  elif ! python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$config" 2>/dev/null &&
    ! docker run -i --rm --network none --read-only --cap-drop ALL --security-opt no-new-privileges --memory 512m --pids-limit 64 --user 65534:65534 --entrypoint node ghcr.io/openclaw/openclaw:2026.9.6 -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{JSON.parse(s)}catch{require("json5").parse(s)}})' <"$config" >/dev/null 2>&1; then
    # JSON5 (comments, trailing commas) is OpenClaw's format too: parsed in a throwaway container of the
    # gateway image with no network and nothing mounted, never in the live gateway (it may be hostile).
    problem "openclaw.json in $newest does not parse"
  fi
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

if [ "${#problems[@]}" -gt 0 ]; then
  summary=$(printf '%s\n' "${problems[@]}")
  notify "OpenClaw on $host: the monthly restore test failed" "$summary" warning ||
    echo "openclaw-restore-test: could not deliver the alert" >&2
  printf 'openclaw-restore-test: FAIL %s\n' "${problems[@]}" >&2
  exit 1
fi
date -u +%Y-%m-%dT%H:%M:%SZ >"$dest/last-restore-test"
echo "$newest" >>"$dest/last-restore-test"
echo "openclaw-restore-test: $newest restores: docker-compose.yml present, openclaw.json parses"
