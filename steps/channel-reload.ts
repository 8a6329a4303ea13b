// A channel change that sets no .env value (remove-channel, or add-channel with the credentials the
// server already holds) is applied by the running gateway itself: OpenClaw watches openclaw.json and,
// in its default hybrid reload mode, restarts only the channel (docs/gateway/configuration/hot-reload.md
// in the 2026.9.6 package: "channels.*: depends on setting and loaded plugin"; plugins.entries.*
// reloads the plugin runtime). No stop, no recreate: the gateway never stops answering.
import { gate, run, type GateAction, type RunAction } from '../src/plan/action.js';
import { GATEWAY_CONTAINER } from '../templates/gateway-shared.js';

/** Root-only: when the switch happened, so the gate reads only the gateway's log lines after it. */
const switchStamp = (p: { stateDir: string }) => `${p.stateDir}/channel-switch.at`;

/** The candidate moves in (a rename, never through a link) after the time is noted; the running gateway reloads it. */
export function switchLive(p: { stateDir: string; config: string }, candidate: string): RunAction {
  return run('switch to the candidate config (the running gateway reloads it: no restart)', [
    'sh',
    '-c',
    'install -d -m 0700 "$(dirname "$1")" && date +%s >"$1" && mv -f -- "$2" "$3"',
    'sh',
    switchStamp(p),
    candidate,
    p.config,
  ]);
}

/**
 * The gateway applied the switched config: its log since the switch says so, in OpenClaw's own
 * words ("config hot reload applied (channels.…)", or "config reload: …" when the change needed
 * its in-process restart). A reload it refused ("config reload skipped (invalid config)",
 * "config reload failed") fails at once; no word in `seconds` fails too. One round trip.
 */
export function reloadedGate(p: { stateDir: string }, seconds = 60): GateAction {
  const script = [
    'since=$(cat "$1") || exit 1',
    `end=$(( $(date +%s) + ${seconds} ))`,
    'while :; do',
    '  l=$(docker logs --since "$since" "$2" 2>&1 | grep -E "config (hot reload applied|hot reload failed|reload skipped|reload failed|reload: )" | tail -n 1)',
    '  case "$l" in',
    '    *"hot reload applied"*|*"config reload: "*) printf "%s\\n" "$l" | cut -c1-200; exit 0 ;;',
    '    ?*) printf "%s\\n" "$l" | cut -c1-300 >&2; exit 1 ;;',
    '  esac',
    `  [ "$(date +%s)" -lt "$end" ] || { echo "the gateway logged no config reload within ${seconds} s" >&2; exit 1; }`,
    '  sleep 0.5',
    'done',
  ].join('\n');
  return gate('the running gateway reloaded the new config (OpenClaw says so in its log)', {
    type: 'remote',
    argv: ['sh', '-c', script, 'sh', switchStamp(p), GATEWAY_CONTAINER],
    timeoutSec: seconds + 30,
  });
}
