import { allSecrets, secretsFor } from '../answers/secrets.js';
import type { Answers } from '../answers/schema.js';
import type { CliArgs } from './args.js';
import { CancelledError, UserError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { terminalSafe } from '../core/terminal-text.js';
import { openLink, type OpenLink } from '../rollout/session.js';
import { connectOptions, type ConnectOptions } from '../rollout/connect.js';

/** What a command does once connected: the open link, and a signal that fires on the first Ctrl-C. */
export type OnServer = (link: OpenLink, signal: AbortSignal, out: (s: string) => void) => Promise<number>;

/**
 * Every non-interactive command that talks to a server goes through here:
 * connect as `target.user` (falling back to the deploy user and the moved SSH
 * port on a rerun), catch signals from the start (dying while connecting would
 * leave the master behind), run `fn`, always close.
 */
export async function withServer(args: CliArgs, io: Io, answers: Answers, fn: OnServer, o: { quiet?: boolean; readOnly?: boolean } = {}): Promise<number> {
  const t = answers.target;
  if (!t.host) throw new UserError('no server address', 'set target.host in the answers file, or pass --host');
  // Every line a server command prints may quote the server (diffs, channel names, audit details, alert replies).
  const out = (s: string) => io.stdout(`${terminalSafe(s)}\n`);
  // Connection chatter goes to stderr when stdout is a script or a diff (dry runs).
  const say = (s: string) => (o.quiet ? io.stderr(`${terminalSafe(s)}\n`) : out(s));

  const ac = new AbortController();
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    signals++;
    if (signals === 1) {
      io.stderr(`\n${sig}: stopping safely: the current guarded change is finished or reverted first…\n`);
      ac.abort();
    } else io.stderr(`${sig}: still stopping safely; if this process is killed, the server's dead-man switch reverts by itself\n`);
  };
  const stopListening = () => {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  say(`claw-setup: connecting to ${t.user}@${t.host}:${t.port}`);
  let link: OpenLink;
  try {
    link = await openLink(linkOptions(args, io, answers, o.readOnly));
  } catch (e) {
    stopListening();
    throw e;
  }
  try {
    if (ac.signal.aborted) throw new CancelledError('Cancelled while connecting. Nothing was changed.');
    if (link.user !== t.user) say(`claw-setup: ${t.user} login is refused (done by an earlier run); connected as ${link.user}`);
    return await fn(link, ac.signal, out);
  } finally {
    stopListening();
    await link.close();
  }
}

/** How every non-interactive command connects: the answers' target, falling back to the deploy user and the moved port. */
export function linkOptions(args: CliArgs, io: Io, answers: Answers, readOnly = false): ConnectOptions {
  const t = answers.target;
  const secrets = secretsFor(answers, io.env);
  return connectOptions(
    { ...t, host: t.host ?? '' },
    {
      sshOptions: args.sshOptions,
      knownHosts: args.knownHosts,
      yes: true,
      force: args.force,
      confirmHostKey: async () => false,
      sudoPassword: secrets.sudoPassword,
      fallbackUser: answers.deployUser.name,
      fallbackPort: answers.ssh.port,
      secrets: allSecrets(secrets),
      readOnly,
    },
  );
}
