import type { Answers } from '../src/answers/schema.js';
import { CHANNEL_SECRETS, GATEWAY_TOKEN_BYTES, PROVIDER_KEYS, SECRETS, type ChannelSecret, type ChannelType } from '../src/answers/rules.js';
import { UserError } from '../src/core/errors.js';
import { joinText, secretText, type Secret, type SecretText } from '../src/core/secret.js';
import { VERSION } from '../src/core/version.js';
import { gate, run, type Argv, type GateAction, type Plan, type RunAction, type Step } from '../src/plan/action.js';
import type { Deployed } from '../src/plan/deployed-state.js';
import { guarded } from '../src/plan/guard.js';
import { serverPaths, type ServerPaths } from '../src/plan/paths.js';
import { shJoin } from '../src/plan/shell.js';
import { ENV_EDIT, envEditArgv } from './channel.js';
import { healthGate, keepCopy, keptCopiesDir, probeGate, recreateArgv, recreateGateway, stopGateway } from './deployment.js';

/**
 * `claw-setup rotate`: a new gateway token (made on the server, never seen here) or a new
 * provider/bot credential, planned like the rollout: data first (shown, dry-run printable), then
 * run under the server-side dead-man switch with the gateway's health, the token switch and
 * the channels' own probes as gates. The lockdown reuses the token pieces (steps/lockdown.ts).
 */

export const GATEWAY_TOKEN_WORD = 'gateway-token';

/** One secret of the deployment that can be rotated. */
export interface Rotatable {
  /** The .env variable. */
  name: string;
  /** Made on the server (the gateway token), never typed. */
  generated: boolean;
  /** The channel whose credential it is (its probe is the gate). */
  channel?: ChannelType;
  label: string;
}

/** Every secret claw-setup knows that the deployment's .env holds. */
export function rotatables(d: Deployed): Rotatable[] {
  const known: Rotatable[] = [
    { name: SECRETS.gatewayToken.envVar, generated: true, label: 'the gateway token' },
    ...Object.entries(PROVIDER_KEYS).map(([p, k]) => ({ name: k.envVar, generated: false, label: `the ${p} API key` })),
    ...Object.entries(CHANNEL_SECRETS).flatMap(([type, list]) =>
      (list as readonly ChannelSecret[]).map((c) => ({ name: c.envVar, generated: false, channel: type as ChannelType, label: c.label })),
    ),
  ];
  return known.filter((r) => d.envKeys.includes(r.name));
}

/** What `rotate WORD` / `rotate --all` means on this deployment. */
export function rotationTargets(d: Deployed, word: string | undefined, all: boolean): Rotatable[] {
  const have = rotatables(d);
  if (all) {
    if (word) throw new UserError('rotate takes a secret name or --all, not both', 'e.g. claw-setup rotate gateway-token, or claw-setup rotate --all');
    return have;
  }
  const list = have.map((r) => (r.generated ? GATEWAY_TOKEN_WORD : r.name)).join(', ');
  if (!word) throw new UserError('rotate what?', `name one of: ${list}; or --all`);
  const name = word === GATEWAY_TOKEN_WORD ? SECRETS.gatewayToken.envVar : word;
  const found = have.find((r) => r.name === name);
  if (!found) throw new UserError(`the deployment holds no ${word.slice(0, 60)}`, `its .env has: ${list || 'nothing claw-setup knows'}`);
  return [found];
}

/** Makes a token on the server (hex of GATEWAY_TOKEN_BYTES random bytes) and feeds it to ENV_EDIT: the value never leaves the server. */
export function generateIntoEnvArgv(file: string, name: string): Argv {
  return ['sh', '-c', `{ od -An -v -tx1 -N${GATEWAY_TOKEN_BYTES} /dev/urandom | tr -d ' \\n'; echo; } | sh -c "$0" sh "$@"`, ENV_EDIT, file, 'set', name];
}

/**
 * On the server: the token now in .env opens the gateway's authenticated API, and the one in
 * the copy kept before the rotation is refused. Tokens go to curl as a header file on stdin.
 */
export function tokenSwitchedArgv(a: Answers, previousEnv: string): Argv {
  const p = serverPaths(a);
  const url = `http://127.0.0.1:${a.openclaw.gatewayPort}/tools/invoke`;
  // Behind Caddy or Tailscale Serve the gateway trusts the compose network's gateway address as a
  // proxy, and refuses a request from it whose X-Forwarded-For names no client or a loopback one
  // (403 proxy_attribution_required, whatever the token; OpenClaw 2026.9.6 ingress-attribution).
  // So the check names a client the way the proxy would: a documentation address (RFC 5737).
  const forwarded = a.access.mode === 'ssh-tunnel' ? '' : ' -H "X-Forwarded-For: 192.0.2.1"';
  const script = [
    'tok() { sed -n "s/^OPENCLAW_GATEWAY_TOKEN=//p" -- "$1" | head -n 1 | sed "s/^\'\\(.*\\)\'$/\\1/"; }',
    `call() { printf "Authorization: Bearer %s\\n" "$1" | curl -s -o /dev/null -w "%{http_code}" --max-time 10 -H @-${forwarded} -H "content-type: application/json" -X POST --data '{"tool":"session_status","args":{}}' "$url"; }`,
    'url=$3',
    // HTTP 000 is no answer at all: a gateway that just passed /healthz may still be finishing its
    // start (seen on a loaded machine), so "no answer" is asked again for up to 30 s; a refusal is final.
    'i=0; while new=$(call "$(tok "$1")"); [ "$new" = 000 ] && [ "$i" -lt 30 ]; do i=$((i+1)); sleep 1; done',
    'old=$(call "$(tok "$2")")',
    '[ "$new" = 200 ] || { echo "the new token was refused (HTTP $new)" >&2; exit 1; }',
    'case "$old" in 401|403) ;; *) echo "the old token still works (HTTP $old)" >&2; exit 1 ;; esac',
    'echo "new token accepted, old token refused"',
  ].join('\n');
  return ['sh', '-c', script, 'sh', p.env, previousEnv, url];
}

/** Records today (UTC) as the rotation date of each of `names` (the audit reads the gateway token's age from it). */
export function rotationStamp(p: Pick<ServerPaths, 'rotatedDir'>, names: string[]): RunAction {
  return run(`record the rotation date (${p.rotatedDir}/)`, [
    'sh',
    '-c',
    'd=$1; shift; install -d -m 700 "$d" && for n in "$@"; do date -u +%Y-%m-%dT%H:%M:%SZ >"$d/$n"; done',
    'sh',
    p.rotatedDir,
    ...names,
  ]);
}

export interface RotatePlan {
  plan: Plan;
  /** What clients must update afterwards. */
  after: string[];
}

/** Rotation of `items` (values given for typed ones; generated ones are made on the server). */
export function planRotate(a: Answers, items: Rotatable[], given: Secret[], host: string): RotatePlan {
  const p = serverPaths(a);
  if (!items.length) throw new UserError('nothing to rotate', 'the deployment holds no secret claw-setup knows');
  const typed = items.filter((i) => !i.generated);
  for (const t of typed)
    if (!given.some((s) => s.name === t.name)) throw new UserError(`no new value for ${t.name}`, `set ${t.name} in the environment, or type it at the prompt`);
  const stdin: SecretText = joinText(typed.map((t) => secretText`${given.find((s) => s.name === t.name)!}\n`));
  const token = items.find((i) => i.generated);
  const previous = `${keptCopiesDir(p)}/last-rotate/.env`;
  const channels = [...new Set(items.flatMap((i) => (i.channel ? [i.channel] : [])))];
  const gates: GateAction[] = [
    healthGate(a),
    ...(token
      ? [gate('the new gateway token opens the authenticated API; the old one is refused', { type: 'remote', argv: tokenSwitchedArgv(a, previous) })]
      : []),
    ...channels.map((c) => probeGate(p, c)),
  ];
  const names = items.map((i) => i.name);
  const group = guarded({
    id: 'rotate',
    title: `rotate ${names.join(', ')}: new .env lines, recreate the gateway, prove it`,
    backup: [p.env],
    afterRestore: [shJoin(recreateArgv(p))],
    actions: [
      ...(token ? [run(`${token.name}: a new token, made on the server (never shown)`, generateIntoEnvArgv(p.env, token.name))] : []),
      ...(typed.length
        ? [
            run(
              `.env: new ${typed.map((t) => t.name).join(', ')}; values on stdin`,
              envEditArgv(
                p.env,
                'set',
                typed.map((t) => t.name),
              ),
              { stdin },
            ),
          ]
        : []),
      stopGateway(p),
      recreateGateway(p, 'the new .env'),
    ],
    gates,
  });
  const stamp = rotationStamp(p, names);
  const step: Step = {
    id: 'channel',
    title: `Rotate ${items.map((i) => i.label).join(', ')}`,
    summary: [
      `.env: ${names.map((n) => `${n} replaced`).join(', ')}; every other line kept`,
      'on any failure the previous .env comes back and the gateway is recreated on it',
    ],
    actions: [keepCopy(p, 'rotate', 'rotate', [p.env]), group, stamp],
  };
  const after = [
    ...(token
      ? [
          'Clients that hold the gateway token must get the new one: the Control UI (paste it in its settings), and any script or app using OPENCLAW_GATEWAY_TOKEN.',
          `Read it on the server: ssh ${a.deployUser.name}@${host} -p ${a.ssh.port} sudo grep OPENCLAW_GATEWAY_TOKEN ${p.env} (or rerun with --show)`,
        ]
      : []),
    ...typed.map((t) => `${t.name}: revoke the old value at its provider now that the new one works.`),
  ];
  return {
    plan: {
      header: [`claw-setup ${VERSION}: rotate ${names.join(', ')} on ${host}`, `Planned from what ${host} holds now (the names in ${p.env}).`],
      steps: [step],
    },
    after,
  };
}
