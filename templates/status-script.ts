import type { Answers } from '../src/answers/schema.js';
import { NO_ARMED_GROUP } from '../src/plan/guard.js';
import { serverPaths } from '../src/plan/paths.js';
import { shQuote } from '../src/plan/shell.js';
import { GATEWAY_CONTAINER } from './gateway-shared.js';

/**
 * `claw-setup status`: what an operator looks at every day, in one quick round trip (no OpenClaw
 * CLI, nothing slow). Prints labelled sections (`@@claw:NAME@@`) that src/plan/status.ts reads.
 * openclaw.json is sent back whole so the CLI can list the channels: it holds references to
 * secrets, never their values (those live in .env, which is not read here).
 */
export function renderStatusScript(a: Answers): string {
  const p = serverPaths(a);
  const health = `${p.stateDir}/health-state`;
  return `#!/usr/bin/env bash
set -uo pipefail
export LC_ALL=C
s() { printf '\\n@@claw:%s@@\\n' "$1"; }
# apt's simulation is the one slow part (about a second of CPU): it starts first, in the
# background, and everything else runs meanwhile; its answer is read at its section.
apt_out=$(mktemp) || exit 1
trap 'rm -f -- "$apt_out"' EXIT
apt-get -s -o Debug::NoLocking=1 dist-upgrade 2>/dev/null | awk '/^Inst / { n++; if (tolower($0) ~ /-security/) s++ } END { printf "%d %d\\n", n, s }' >"$apt_out" &
apt_pid=$!
s gateway
docker inspect -f '{{.State.Status}}|{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}|{{.State.StartedAt}}|{{.RestartCount}}|{{.Config.Image}}' ${shQuote(GATEWAY_CONTAINER)} 2>/dev/null
s healthz
curl -fsS --max-time 2 -o /dev/null ${shQuote(`http://127.0.0.1:${a.openclaw.gatewayPort}/healthz`)} 2>/dev/null && echo ok || echo down
s config
# config/ is the container's: never read through a link or FIFO planted there (src/plan/nofollow.ts),
# and printed as one base64 line, so a line of its own can never pose as another section.
f=${shQuote(p.config)}; [ -f "$f" ] && [ ! -L "$f" ] && [ "$(stat -c %h -- "$f")" = 1 ] && timeout 5 dd if="$f" iflag=nofollow bs=262144 count=1 status=none 2>/dev/null | base64 -w0; echo
s backup
find ${shQuote(a.backups.dir)} -maxdepth 1 -type f -name 'openclaw-*.tar.gz' -printf '%T@ %p\\n' 2>/dev/null | sort -n | tail -n 1
s restoretest
systemctl show -p Result --value openclaw-restore-test.service 2>/dev/null
t=$(systemctl show -p ExecMainExitTimestamp --value openclaw-restore-test.service 2>/dev/null); [ -n "$t" ] && [ "$t" != n/a ] && date -d "$t" +%s
s token
head -n 1 ${shQuote(p.tokenStamp)} 2>/dev/null
s alert
if [ -f ${shQuote(health)} ]; then stat -c %Y ${shQuote(health)}; head -c 2000 ${shQuote(health)}; fi
s updates
wait "$apt_pid"; cat -- "$apt_out"
[ -f /run/reboot-required ] && echo reboot-required
s deadman
sh -c ${shQuote(NO_ARMED_GROUP[2])} && echo none || echo armed
s firewall
ufw status 2>/dev/null | head -n 1
s lockdown
sed -n '/^  "lockdown": {/,/^  }/p' ${shQuote(p.journal)} 2>/dev/null | sed -n 's/^    "\\(state\\|since\\)": "\\([^"]*\\)".*/\\1 \\2/p'
s host
date +%s
uptime -s
df --output=pcent / | tail -n 1 | tr -dc '0-9'
echo
s end
`;
}
