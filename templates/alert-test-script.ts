import type { Answers } from '../src/answers/schema.js';
import { serverPaths } from '../src/plan/paths.js';
import { shQuote } from '../src/plan/shell.js';
import { SECRETS } from '../src/answers/rules.js';
import { NOTIFY_FUNCTIONS } from './health.js';

const WEBHOOK_VAR = SECRETS.discordWebhook.envVar ?? 'DISCORD_WEBHOOK_URL';

/**
 * `claw-setup alert-test`: sends one test alert through each target in the server's
 * monitoring.env, with the health check's own `notify`, one target at a time so each result is
 * known. Prints `TARGET ok|failed CURL_EXIT|none` lines; never a URL (they hold secrets).
 */
export function renderAlertTestScript(a: Answers): string {
  const env = serverPaths(a).monitoringEnv;
  return `#!/usr/bin/env bash
set -uo pipefail
NTFY_URL=''
${WEBHOOK_VAR}=''
if [ -r ${shQuote(env)} ]; then
  # Written by claw-setup, root only: NAME='value' lines.
  # shellcheck disable=SC1090,SC1091
  . ${shQuote(env)}
fi
${NOTIFY_FUNCTIONS}
host=$(uname -n)
title="OpenClaw on $host: test alert"
text="claw-setup alert-test at $(date -u +%Y-%m-%dT%H:%M:%SZ): if you read this, alerts from this server reach you."
# send NAME VAR: notify with only that target set; prints NAME ok|failed|none.
send() {
  local name=$1 var=$2
  if [ -z "\${!var:-}" ]; then
    echo "$name none"
  elif (
    [ "$var" = NTFY_URL ] || NTFY_URL=''
    [ "$var" = ${WEBHOOK_VAR} ] || ${WEBHOOK_VAR}=''
    notify "$title" "$text" test_tube
  ) 2>/dev/null; then
    echo "$name ok"
  else
    echo "$name failed"
  fi
}
send ntfy NTFY_URL
send discord ${WEBHOOK_VAR}
`;
}
