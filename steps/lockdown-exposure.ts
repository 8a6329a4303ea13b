import type { Answers } from '../src/answers/schema.js';
import { gate, run, type Argv, type GateAction, type RunAction } from '../src/plan/action.js';
import { CADDY_PORTS, caddyPortsOpen, tailscaleServeArgv } from './access.js';

/**
 * The public exposure of a deployment (access.mode "caddy": Caddy and its firewall rules;
 * "tailscale-serve": Tailscale Serve), closed by `lockdown` and opened again by `unlock`, with a
 * gate for each. An SSH tunnel exposes nothing: the gateway only ever listens on loopback.
 */

/** Shell that closes the exposure of `mode` (idempotent): the lockdown's actions and the failed unlock's revert. */
export function closeExposure(a: Answers): { title: string; argv: Argv }[] {
  if (a.access.mode === 'caddy')
    return [
      {
        title: 'Caddy stopped and disabled (no public HTTPS site, also after a reboot)',
        argv: ['sh', '-c', 'if systemctl cat caddy >/dev/null 2>&1; then systemctl disable --now caddy; fi'],
      },
      {
        title: `the firewall no longer allows ${CADDY_PORTS.join(' and ')}`,
        argv: [
          'sh',
          '-c',
          'for r in "$@"; do ufw --force delete allow "$r" >/dev/null 2>&1; if ufw status | grep -qE "^${r}[[:space:]]"; then echo "ufw still allows $r" >&2; exit 1; fi; done',
          'sh',
          ...CADDY_PORTS,
        ],
      },
    ];
  if (a.access.mode === 'tailscale-serve') return [{ title: 'Tailscale Serve reset: the gateway is off the tailnet', argv: ['tailscale', 'serve', 'reset'] }];
  return [];
}

/**
 * A gate: nothing but loopback listens on the gateway's ports, 80 and 443; Caddy is not running
 * and the firewall has no rule for it; Tailscale Serve does not publish the gateway.
 */
export function exposureClosedArgv(a: Answers): Argv {
  const port = a.openclaw.gatewayPort;
  const script = [
    'bad=""',
    "for l in $(ss -Hltn | awk '{print $4}'); do",
    '  p=${l##*:}; addr=${l%:*}',
    '  case " $* " in *" $p "*) ;; *) continue ;; esac',
    '  case "$addr" in 127.*|"[::1]"|"[::ffff:127."*) ;; *) bad="$bad $l" ;; esac',
    'done',
    '[ -z "$bad" ] || { echo "still listening on a public address:$bad" >&2; exit 1; }',
    ...(a.access.mode === 'caddy'
      ? [
          '! systemctl is-active -q caddy || { echo "Caddy still runs" >&2; exit 1; }',
          '! ufw status | grep -qE "^(80|443)/tcp[[:space:]]" || { echo "ufw still allows 80/443" >&2; exit 1; }',
        ]
      : []),
    ...(a.access.mode === 'tailscale-serve'
      ? [`! tailscale serve status 2>&1 | grep -q '127.0.0.1:${port}' || { echo "Tailscale Serve still publishes the gateway" >&2; exit 1; }`]
      : []),
    'echo "nothing public: only loopback on ports $*"',
  ].join('\n');
  return ['sh', '-c', script, 'sh', '80', '443', String(port), String(a.openclaw.bridgePort)];
}

/** A gate for unlock: the exposure of `mode` is back. */
export function exposureOpenGate(a: Answers): GateAction[] {
  if (a.access.mode === 'caddy')
    return [
      gate('Caddy runs again and listens on 443', {
        type: 'remote',
        argv: ['sh', '-c', 'systemctl is-active -q caddy && ss -Hltn "sport = :443" | grep -q .'],
        retries: 5,
        delaySec: 2,
      }),
    ];
  if (a.access.mode === 'tailscale-serve')
    return [
      gate('Tailscale Serve publishes the gateway again', {
        type: 'remote',
        argv: ['sh', '-c', `tailscale serve status | grep -q '127.0.0.1:${a.openclaw.gatewayPort}'`],
      }),
    ];
  return [];
}

export function openExposure(a: Answers): RunAction[] {
  if (a.access.mode === 'caddy') return [...caddyPortsOpen(), run('start Caddy again (and at boot)', ['systemctl', 'enable', '--now', 'caddy'])];
  if (a.access.mode === 'tailscale-serve') return [run('publish the gateway on the tailnet again (HTTPS)', tailscaleServeArgv(a.openclaw.gatewayPort))];
  return [];
}
