// The wait for a healthy gateway, shared by every day-2 change's gate (steps/deployment.ts healthGate)
// and the health report after a rollback (src/cli/deployment.ts). Not the first rollout's gate: a
// rollout's batched checks ask every gate left, and a waiting loop there would hold the batch.
import type { Answers } from '../src/answers/schema.js';
import type { Argv } from '../src/plan/action.js';
import { GATEWAY_CONTAINER } from '../templates/gateway-shared.js';

/**
 * Waits on the server until the gateway answers /healthz (for up to `seconds`), in one round trip,
 * asking every half second: the gate passes within 0.5 s of the gateway being up, not after the
 * next 2 s poll plus a round trip. A gateway that keeps exiting (Docker restarted it 3 times) fails
 * at once, after its last log lines.
 */
export function waitHealthyArgv(a: Answers, seconds: number): Argv {
  const url = `http://127.0.0.1:${a.openclaw.gatewayPort}/healthz`;
  // One line: a printed plan shows every command on one line (test/printed-is-executed.test.ts).
  const script = [
    `end=$(( $(date +%s) + ${seconds} ))`,
    'while :; do curl -fsS --max-time 5 -o /dev/null "$1" && exit 0',
    'n=$(docker inspect -f "{{.RestartCount}}" "$2" 2>/dev/null || echo 0)',
    'if [ "${n:-0}" -ge 3 ]; then docker logs --tail 3 "$2" 2>&1 | cut -c1-300 >&2; echo "the gateway keeps exiting (restarted $n times; its last lines above)" >&2; exit 1; fi',
    '[ "$(date +%s)" -lt "$end" ] || exit 1',
    'sleep 0.5',
    'done',
  ].join('; ');
  return ['sh', '-c', script, 'sh', url, GATEWAY_CONTAINER];
}
