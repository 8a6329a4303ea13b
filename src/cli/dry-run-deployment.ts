import { PROVIDER_KEYS, PROVIDER_NAMES, SECRETS } from '../answers/rules.js';
import type { Answers } from '../answers/schema.js';
import { channelSecretRefs } from '../answers/secrets.js';
import type { CliArgs } from './args.js';
import type { Io } from '../core/io.js';
import { terminalSafe } from '../core/terminal-text.js';
import type { Deployed } from '../plan/deployed-state.js';
import { renderOpenclawJson } from '../../templates/openclaw-json.js';
import { localAnswers, withDeployment, type OnPlan } from './deployment.js';
import { liveOrOffline } from './dry-run.js';

/**
 * The day-2 commands that change a deployment (add/remove-channel, rotate, upgrade, lockdown),
 * with --dry-run's one meaning: read-only from what the server holds when it answers, else
 * from the deployment these answers make (said in one line on stderr). Not a dry run: the server.
 */
export function withDeploymentOrOffline(args: CliArgs, io: Io, fn: (d: OnPlan) => Promise<number>, o: { ownSet?: boolean } = {}): Promise<number> {
  if (!args.dryRun) return withDeployment(args, io, fn, o);
  // Bad answers are no reason for an offline plan: they are refused first.
  const local = localAnswers(args, io, o);
  return liveOrOffline(
    io,
    local.target.host,
    (connected) => withDeployment(args, io, fn, { ...o, connected }),
    () =>
      fn({
        link: null,
        signal: new AbortController().signal,
        out: (s) => io.stdout(`${terminalSafe(s)}\n`),
        answers: local,
        local,
        deployed: deployedFrom(local),
        host: local.target.host ?? '<host>',
        interactive: io.isTTY && !args.yes,
      }),
  );
}

/** What a deployment made from these answers holds: their openclaw.json, the names of their .env. */
export function deployedFrom(a: Answers): Deployed {
  const envKeys = [
    SECRETS.gatewayToken.envVar,
    ...PROVIDER_NAMES.filter((p) => a.openclaw.providers[p]).map((p) => PROVIDER_KEYS[p].envVar),
    ...a.openclaw.channels.flatMap((c) => channelSecretRefs(c).map(([name]) => name)),
    'TZ',
  ];
  return { configText: renderOpenclawJson(a), envKeys, journalAnswers: null, journal: null };
}
