import type { Answers } from '../src/answers/schema.js';
import type { ChannelType } from '../src/answers/rules.js';
import { gate, run, write, type Argv, type GateAction, type RunAction, type WriteAction } from '../src/plan/action.js';
import { withoutInlineSecrets } from '../src/answers/secrets.js';
import { VERSION } from '../src/core/version.js';
import type { ServerPaths } from '../src/plan/paths.js';
import { shJoin, shQuote } from '../src/plan/shell.js';
import { CLAW_READ } from '../src/plan/nofollow.js';
import { channelPlugin } from '../templates/openclaw-json.js';
import { throwawayRunOptions } from '../templates/gateway-shared.js';
import { waitHealthyArgv } from './health-wait.js';
import { composeArgv, CONTAINER_UID } from './openclaw.js';

/**
 * The pieces every change to a running deployment shares (add-channel,
 * rotate, upgrade): a dated root-only copy of the files first, a clean stop
 * and a recreate, then the gateway's own health and OpenClaw's probe of each
 * channel as gates.
 */

/** Where dated copies go (root only). `last` points at the newest copy of a kind, e.g. last-rotate. */
export const keptCopiesDir = (p: Pick<ServerPaths, 'stateDir'>) => `${p.stateDir}/backups`;

/** Keeps a dated copy of `files` in /var/lib/claw-setup/backups/<time>-<label>/ and points <dir>/last-<kind> at it. */
export function keepCopy(p: Pick<ServerPaths, 'stateDir'>, label: string, kind: string, files: string[]): RunAction {
  return run(`keep a dated copy of ${files.map((f) => f.split('/').pop()).join(' and ')}`, [
    'sh',
    '-c',
    // A file the container can write may be a planted link: copied only when it is a regular file, never followed (-P).
    'd="$1/$(date -u +%Y%m%dT%H%M%SZ)-$2" && install -d -m 700 "$d" && shift 3 && for f; do { [ -f "$f" ] && [ ! -L "$f" ]; } || { echo "claw-setup: $f is not a regular file: refusing to copy it" >&2; exit 1; }; done && cp -P -p -- "$@" "$d/" && ln -sfn "$d" "$0" && echo "kept a copy in $d"',
    `${keptCopiesDir(p)}/last-${kind}`,
    keptCopiesDir(p),
    label,
    '--',
    ...files,
  ]);
}

/**
 * Shell that has OpenClaw's own validator check `candidate` in the gateway image, in a throwaway
 * container that has no network, a read-only root, no capabilities and nothing of the deployment
 * but a copy of the candidate, mounted read-only from a root-only directory. Never in the live
 * gateway: that container may be hostile (issue 23), and a candidate in config/ can be swapped
 * for a link there. The copy is read without following links (src/plan/nofollow.ts). Runs in a
 * subshell (no variable or trap leaks into the caller's script); exits as the validator does.
 */
export function validateCandidateScript(p: Pick<ServerPaths, 'composeDir' | 'compose' | 'stateDir'>, candidate: string): string {
  const images = shJoin(composeArgv({ paths: p }, 'config', '--images'));
  const throwaway = shJoin([
    'docker',
    'run',
    ...throwawayRunOptions({ memory: '1g', pids: 256 }),
    '--user',
    `${CONTAINER_UID}:${CONTAINER_UID}`,
    '--tmpfs',
    '/tmp:size=64m',
    '-e',
    'HOME=/tmp',
    '-e',
    'OPENCLAW_STATE_DIR=/tmp/openclaw-state',
    '-e',
    'OPENCLAW_CONFIG_PATH=/claw-candidate/openclaw.json',
  ]);
  return [
    '(',
    `  install -d -m 0700 ${shQuote(p.stateDir)} && v=$(mktemp -d ${shQuote(`${p.stateDir}/validate.XXXXXX`)}) || exit 1`,
    '  trap \'rm -rf -- "$v"\' EXIT',
    `  ${CLAW_READ}`,
    `  claw_read ${shQuote(candidate)} >"$v/openclaw.json" || { echo "the candidate config was not validated: see above" >&2; exit 1; }`,
    '  chmod 0644 "$v/openclaw.json"',
    `  img=$(${images} | head -n 1) && [ -n "$img" ] || { echo "no gateway image named in ${p.compose}" >&2; exit 1; }`,
    `  ${throwaway} -v "$v/openclaw.json:/claw-candidate/openclaw.json:ro" --entrypoint node "$img" dist/index.js config validate`,
    ')',
  ].join('\n');
}

/**
 * The journal after a change to a running deployment: what the server held (or a fresh one),
 * with the answers now deployed (secret references only) and `extra` fields; mode 600.
 */
export function journalUpdate(
  p: Pick<ServerPaths, 'journal'>,
  journal: Record<string, unknown> | null,
  answers: Answers,
  title: string,
  extra: Record<string, unknown> = {},
): WriteAction {
  const next = { ...(journal ?? { tool: 'claw-setup' }), version: VERSION, answers: withoutInlineSecrets(answers), ...extra };
  return write(p.journal, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600, title });
}

/** `docker compose up -d --force-recreate`: the gateway on the files as they are now. */
export const recreateArgv = (p: Pick<ServerPaths, 'composeDir' | 'compose'>): Argv =>
  composeArgv({ paths: p }, 'up', '-d', '--force-recreate', '--remove-orphans');

/**
 * Stopped first, then recreated: a running gateway hot-reloads a swapped config at once, and a
 * recreate that kills it mid-reload leaves a startup-migration lock behind.
 */
export function stopGateway(p: Pick<ServerPaths, 'composeDir' | 'compose'>): RunAction {
  return run('stop the gateway (cleanly) before the switch', composeArgv({ paths: p }, 'stop', '--timeout', '30', 'openclaw-gateway'), { timeoutSec: 45 });
}

export function recreateGateway(p: Pick<ServerPaths, 'composeDir' | 'compose'>, what = 'the new files'): RunAction {
  return run(`recreate the gateway with ${what}`, recreateArgv(p), { timeoutSec: 120 });
}

/** The gateway answers /healthz on 127.0.0.1 (waits on the server, one round trip). */
export function healthGate(a: Answers): GateAction {
  return gate('the gateway answers /healthz on 127.0.0.1', { type: 'remote', argv: waitHealthyArgv(a, 120), timeoutSec: 240 });
}

/** OpenClaw's own probe of one channel: its credentials work. */
export function probeGate(p: Pick<ServerPaths, 'composeDir' | 'compose'>, type: ChannelType): GateAction {
  return gate(`OpenClaw's own probe of the ${type} channel (the credentials work)`, {
    type: 'remote',
    argv: composeArgv({ paths: p }, 'exec', '-T', 'openclaw-gateway', 'sh', '-c', channelProbeLoop(type)),
    timeoutSec: 180,
  });
}

/**
 * OpenClaw's own live probe of one channel (`channels status --probe --json`, inside the
 * gateway container), judged by Node there. Its exit code is always 0, so the JSON decides:
 * a probe that works passes; a channel OpenClaw refused (bad token: 401/403/404, or
 * lifecycle "blocked": missing secret, plugin error) fails; a provider that cannot be reached
 * right now (network) passes with a note, since no change of ours can fix that.
 */
export function channelProbeScript(type: ChannelType): string {
  return [
    `node dist/index.js channels status --probe --json --timeout 30000 --channel ${type} | CLAW_LAST="$last" node -e '`,
    'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {',
    '  let j; try { j = JSON.parse(s.slice(s.indexOf("{"))); } catch { console.error("channels status printed no JSON"); process.exit(1); }',
    `  const t = "${type}";`,
    '  const accts = (j.channelAccounts && j.channelAccounts[t]) || [];',
    '  if (!accts.length) {',
    '    const why = j.error ? ` (${String(j.error).slice(0, 200)})` : "";',
    '    if (process.env.CLAW_LAST !== "1") process.exit(3);',
    `    console.error(\`\${t}: OpenClaw runs no such channel\${why}${channelPlugin(type) ? `: the ${type} plugin is not installed or not loaded (OpenClaw installs it from npm when the gateway starts: the server must reach registry.npmjs.org)` : ''}\`);`,
    '    process.exit(1);',
    '  }',
    '  let bad = 0;',
    '  for (const a of accts) {',
    '    const p = a.probe || {};',
    '    if (p.ok) { console.log(`${t}: works${(p.bot || p.botInfo || {}).username ? ` (@${(p.bot || p.botInfo).username})` : ""}`); continue; }',
    '    const why = String(a.lastError || p.error || "no probe result").slice(0, 300);',
    '    if (a.lifecycle === "blocked" || [401, 403, 404].includes(p.status)) { bad++; console.error(`${t}: refused: ${why}`); }',
    '    else if (a.lifecycle === "starting" && process.env.CLAW_LAST !== "1") process.exit(3);',
    '    else console.log(`${t}: configured, but the provider is not reachable now (${why}); check later with: claw-setup status`);',
    '  }',
    '  process.exit(bad ? 1 : 0);',
    "});'",
  ].join('\n');
}

/**
 * The probe, tried until the channel has started (a plugin channel starts 10-20 s after
 * /healthz), in one round trip: exit 3 from the judge means "not yet"; a refusal stops at once.
 */
export function channelProbeLoop(type: ChannelType, tries = 10, delaySec = 4): string {
  return [
    'i=1',
    'while :; do',
    `  last=0; [ "$i" -ge ${tries} ] && last=1`,
    `  ${channelProbeScript(type).split('\n').join('\n  ')}`,
    '  rc=$?',
    `  { [ "$rc" -eq 3 ] && [ "$i" -lt ${tries} ]; } || exit "$rc"`,
    `  i=$((i + 1)); sleep ${delaySec}`,
    'done',
  ].join('\n');
}
