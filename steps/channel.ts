import JSON5 from 'json5';
import type { Channel } from '../src/answers/channel-schema.js';
import type { Answers } from '../src/answers/schema.js';
import { CHANNEL_SECRETS, type ChannelSecret, type ChannelType } from '../src/answers/rules.js';
import { UserError } from '../src/core/errors.js';
import { joinText, secretText, type Secret, type SecretText } from '../src/core/secret.js';
import { run, write, type Argv, type Plan, type Step } from '../src/plan/action.js';
import { unifiedDiff } from '../src/plan/diff.js';
import { guarded } from '../src/plan/guard.js';
import type { Deployed } from '../src/plan/deployed-state.js';
import { serverPaths } from '../src/plan/paths.js';
import { shJoin, shQuote } from '../src/plan/shell.js';
import { VERSION } from '../src/core/version.js';
import { channelConfig, channelPlugin } from '../templates/openclaw-json.js';
import { composeArgv, CONTAINER_UID } from './openclaw.js';
import { healthGate, journalUpdate, keepCopy, probeGate, recreateArgv, recreateGateway, stopGateway, validateCandidateScript } from './deployment.js';
import { reloadedGate, switchLive } from './channel-reload.js';

/**
 * Changing one channel on a running deployment (add-channel, remove-channel):
 * merge, don't overwrite. openclaw.json is patched at `channels.<type>` only,
 * .env gets or loses one line per credential (values on stdin), and the switch
 * runs under the same server-side dead-man switch as the rollout: a candidate
 * config is validated by OpenClaw itself before anything changes, the gateway
 * is recreated and must prove healthy, else the previous files come back and
 * the gateway is recreated on them. A change that sets no .env value needs no
 * recreate: the running gateway reloads openclaw.json itself (steps/channel-reload.ts).
 */

export type ChannelChange =
  /** `secrets`: the credentials to write, each named by its .env variable; a credential not given is kept when the server has it. */
  { op: 'add'; channel: Channel; secrets: Secret[] } | { op: 'remove'; type: ChannelType };

export interface EnvChange {
  name: string;
  state: 'new' | 'replaced' | 'kept' | 'removed';
}

export interface ChannelPlan {
  plan: Plan;
  /** Unified diff of openclaw.json ('' when unchanged). */
  configDiff: string;
  env: EnvChange[];
  /** False when the server already has exactly this: nothing to do. */
  changes: boolean;
}

const channelType = (c: ChannelChange): ChannelType => (c.op === 'add' ? c.channel.type : c.type);
export const channelEnvVars = (type: ChannelType): string[] => (CHANNEL_SECRETS[type] as readonly ChannelSecret[]).map((s) => s.envVar);

/** The config with `channels.<type>` set or removed; every other key as it was. */
export function mergeChannelConfig(configText: string, path: string, change: ChannelChange): string {
  let config: Record<string, unknown>;
  try {
    config = JSON5.parse(configText) as Record<string, unknown>;
  } catch (e) {
    throw new UserError(
      `cannot read ${path} on the server: ${(e as Error).message.slice(0, 200)}`,
      'fix the file by hand (or run `openclaw doctor --fix` in the container), then run again',
    );
  }
  if (!config || typeof config !== 'object' || Array.isArray(config))
    throw new UserError(`${path} on the server is not a JSON object`, 'fix the file by hand, then run again');
  const channels = { ...((config.channels as Record<string, unknown> | undefined) ?? {}) };
  const type = channelType(change);
  if (change.op === 'add') channels[type] = channelConfig(change.channel);
  else delete channels[type];
  const next: Record<string, unknown> = { ...config, channels };
  if (Object.keys(channels).length === 0) delete next.channels;
  if (channelPlugin(type)) {
    // The plugin's trust entry goes with its channel (left alone when the user configured more in it).
    const plugins = { ...((config.plugins as Record<string, unknown> | undefined) ?? {}) };
    const entries = { ...((plugins.entries as Record<string, unknown> | undefined) ?? {}) };
    const mine = JSON.stringify(entries[type]) === JSON.stringify({ enabled: true });
    if (change.op === 'add') entries[type] = { ...((entries[type] as object | undefined) ?? {}), enabled: true };
    else if (mine) delete entries[type];
    plugins.entries = entries;
    if (Object.keys(entries).length === 0) delete plugins.entries;
    next.plugins = plugins;
    if (Object.keys(plugins).length === 0) delete next.plugins;
  }
  return `${JSON.stringify(next, null, 2)}\n`;
}

/** Same meaning (parsed equal), whatever the formatting. */
function sameConfig(a: string, b: string): boolean {
  try {
    return JSON.stringify(JSON5.parse(a)) === JSON.stringify(JSON5.parse(b));
  } catch {
    return false;
  }
}

/** What happens to each .env variable of the channel. */
export function envChanges(d: Deployed, change: ChannelChange): EnvChange[] {
  const has = (n: string) => d.envKeys.includes(n);
  if (change.op === 'remove') return channelEnvVars(change.type).flatMap((name) => (has(name) ? [{ name, state: 'removed' as const }] : []));
  const given = new Set(change.secrets.map((s) => s.name));
  return channelEnvVars(change.channel.type).map((name) => {
    if (given.has(name)) return { name, state: has(name) ? ('replaced' as const) : ('new' as const) };
    if (has(name)) return { name, state: 'kept' as const };
    throw new UserError(
      `${change.channel.type} needs ${name}, and the server has none`,
      `give it as an environment variable ${name}, or type it at the prompt`,
    );
  });
}

/**
 * A POSIX sh script: `sh -c SCRIPT sh FILE set|unset NAME...`. For `set`, one value per
 * line on stdin, in the order of the names. Lines of other variables stay as they are; the
 * file is replaced atomically with its owner and mode 600. No value is ever in argv.
 */
export const ENV_EDIT = [
  'set -eu',
  'f=$1; mode=$2; shift 2',
  'tmp=$(mktemp "$f.XXXXXX")',
  'trap \'rm -f "$tmp"\' EXIT',
  'names=" $* "',
  'while IFS= read -r line || [ -n "$line" ]; do',
  '  case "$names" in *" ${line%%=*} "*) ;; *) printf \'%s\\n\' "$line" ;; esac',
  'done <"$f" >"$tmp"',
  'if [ "$mode" = set ]; then',
  '  for n in "$@"; do',
  '    IFS= read -r v || true',
  '    [ -n "$v" ] || { echo "no value for $n on stdin" >&2; exit 1; }',
  '    printf "%s=\'%s\'\\n" "$n" "$v" >>"$tmp"',
  '  done',
  'fi',
  'chown --reference="$f" "$tmp"',
  'chmod 600 "$tmp"',
  'mv -f "$tmp" "$f"',
  'trap - EXIT',
].join('\n');

export function envEditArgv(file: string, mode: 'set' | 'unset', names: string[]): Argv {
  return ['sh', '-c', ENV_EDIT, 'sh', file, mode, ...names];
}

/** The plan for one channel change on a deployment recorded with `answers`. */
export function planChannelChange(answers: Answers, d: Deployed, change: ChannelChange, host: string): ChannelPlan {
  const p = serverPaths(answers);
  if (d.configText === null)
    throw new UserError(`no OpenClaw config at ${p.config} on ${host}`, 'is OpenClaw deployed there? run the setup first (claw-setup --answers FILE)');
  const type = channelType(change);
  const after = mergeChannelConfig(d.configText, p.config, change);
  const env = envChanges(d, change);
  const configChanged = !sameConfig(d.configText, after);
  const envWrites = env.filter((e) => e.state !== 'kept');
  const changes = configChanged || envWrites.length > 0;
  // A new value in .env reaches the gateway only through a new container; a removed line may wait
  // for the next recreate (the removed channel no longer reads it once the reload has dropped it).
  const live = envWrites.every((e) => e.state === 'removed');
  const candidate = `${p.config}.candidate`;
  const recreate = recreateArgv(p);
  const startIt = composeArgv({ paths: p }, 'up', '-d');
  const verb = change.op === 'add' ? 'add' : 'remove';
  const secrets = change.op === 'add' ? change.secrets : [];
  const setNames = envWrites.filter((e) => e.state !== 'removed').map((e) => e.name);
  const stdin: SecretText = joinText(setNames.map((n) => secretText`${secrets.find((s) => s.name === n)!}\n`));
  const group = guarded({
    id: 'channel',
    title: live
      ? `${verb} ${type}: switch to the new files, the running gateway reloads them, prove it`
      : `${verb} ${type}: switch to the new files, recreate the gateway, prove it healthy`,
    backup: [p.env, p.config],
    // A candidate still there means the switch never happened: start the gateway if the run had
    // stopped it (a no-op when it runs on the unchanged files); otherwise recreate it on the old files.
    // Live, the running gateway reloads the restored files itself: only start it should it be down
    // (the restored .env is the one it was created with, so `up -d` never recreates it mid-reload).
    afterRestore: [
      live
        ? `rm -f -- ${shQuote(candidate)}; ${shJoin(startIt)}`
        : `if [ -e ${shQuote(candidate)} ]; then rm -f -- ${shQuote(candidate)}; ${shJoin(startIt)}; else ${shJoin(recreate)}; fi`,
    ],
    actions: [
      write(candidate, after, {
        mode: 0o600,
        owner: CONTAINER_UID,
        title: `candidate openclaw.json with channels.${type} ${change.op === 'add' ? 'set' : 'removed'}`,
      }),
      run('OpenClaw accepts the candidate config (its own validator, in the gateway image)', ['sh', '-c', validateCandidateScript(p, candidate)], {
        timeoutSec: 120,
      }),
      ...(envWrites.length
        ? [
            change.op === 'add'
              ? run(`.env: ${envWrites.map((e) => `${e.name} (${e.state})`).join(', ')}; values on stdin`, envEditArgv(p.env, 'set', setNames), { stdin })
              : run(
                  `.env: remove ${envWrites.map((e) => e.name).join(', ')}`,
                  envEditArgv(
                    p.env,
                    'unset',
                    envWrites.map((e) => e.name),
                  ),
                ),
          ]
        : []),
      ...(live
        ? [switchLive(p, candidate)]
        : [stopGateway(p), run('switch to the candidate config', ['mv', '-f', '--', candidate, p.config]), recreateGateway(p)]),
    ],
    // Each waits on the server, in one round trip.
    gates: [...(live ? [reloadedGate(p)] : []), healthGate(answers), ...(change.op === 'add' ? [probeGate(p, type)] : [])],
  });
  const journalAnswers = updatedJournalAnswers(answers, change);
  const step: Step = {
    id: 'channel',
    title: `${verb === 'add' ? 'Add' : 'Remove'} the ${type} channel`,
    summary: [
      `openclaw.json: channels.${type} ${change.op === 'add' ? 'set' : 'removed'}, every other key kept; .env: ${env.map((e) => `${e.name} ${e.state}`).join(', ') || 'no change'}`,
      live
        ? 'validated by OpenClaw first; the running gateway reloads the config (no restart); on any failure the previous files come back'
        : 'validated by OpenClaw first; on any failure the previous files come back and the gateway is recreated on them',
    ],
    actions: changes
      ? [
          keepCopy(p, `${verb}-${type}`, 'channel', [p.env, p.config]),
          group,
          journalUpdate(p, d.journal, journalAnswers, 'journal: record the channels now deployed (no secrets)'),
        ]
      : [],
  };
  return {
    plan: {
      header: [`claw-setup ${VERSION}: ${verb}-channel ${type} on ${host}`, `Planned from what ${host} holds now (${p.config}, the names in ${p.env}).`],
      steps: [step],
    },
    configDiff: unifiedDiff(d.configText, after, { from: `${p.config} (on the server)`, to: `${p.config} (after ${verb}-channel ${type})` }),
    env,
    changes,
  };
}

/** The journal's answers with the channel list updated, so later runs know what is deployed. */
function updatedJournalAnswers(a: Answers, change: ChannelChange): Answers {
  const type = channelType(change);
  const others = a.openclaw.channels.filter((c) => c.type !== type);
  return { ...a, openclaw: { ...a.openclaw, channels: change.op === 'add' ? [...others, change.channel] : others } };
}
