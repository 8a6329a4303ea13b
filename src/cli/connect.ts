import { allSecrets, secretsFor } from '../answers/secrets.js';
import { STEP_IDS, type Answers } from '../answers/schema.js';
import type { CliArgs } from './args.js';
import { CancelledError, UserError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { terminalSafe } from '../core/terminal-text.js';
import { openLink, type OpenLink } from '../rollout/session.js';
import { connectOptions, type ConnectOptions } from '../rollout/connect.js';
import { loginMemoPath, recordedHostKeyId, rememberLogin, type RememberedLogin } from '../exec/login-memo.js';
import { inquirerPrompts, isPromptExit, type Prompts } from '../ui/plain/prompts.js';

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
  const opts = linkOptions(args, io, answers, o.readOnly);
  let link: OpenLink;
  try {
    link = await openLink(opts);
  } catch (e) {
    stopListening();
    throw e;
  }
  try {
    if (ac.signal.aborted) throw new CancelledError('Cancelled while connecting. Nothing was changed.');
    if (link.user !== t.user) say(`claw-setup: ${t.user} login is refused (done by an earlier run); connected as ${link.user}`);
    const code = await fn(link, ac.signal, out);
    const next = code === 0 ? loginAfterSetup(args, answers, o.readOnly) : null;
    if (next && opts.loginMemo) rememberLogin(opts.loginMemo, t.host, t.port, await recordedHostKeyId(opts, opts.hostKeyAlias), next);
    return code;
  } finally {
    stopListening();
    await link.close();
  }
}

/**
 * The login a finished setup leaves (the ssh step allows only the deploy user, on ssh.port), so
 * the next command goes straight to it instead of being refused as root first. Null when the run
 * changed nothing or stopped before the ssh step.
 */
export function loginAfterSetup(args: CliArgs, answers: Answers, readOnly = false): RememberedLogin | null {
  if (args.command !== 'setup' || args.dryRun || readOnly) return null;
  const stop = answers.stopBefore ? STEP_IDS.indexOf(answers.stopBefore) : STEP_IDS.length;
  return stop > STEP_IDS.indexOf('ssh') ? { user: answers.deployUser.name, port: answers.ssh.port } : null;
}

/**
 * First contact in a terminal: the fingerprint and the question the wizard shows (src/ui/screen.tsx),
 * as plain lines. The answer is recorded where the wizard records it (settleHostKey). Ctrl-C is a no.
 */
export function askHostKey(io: Io, prompts: Prompts): (fingerprint: string) => Promise<boolean> {
  return async (fingerprint) => {
    const prints = fingerprint
      .split('\n')
      .map((l) => `  ${terminalSafe(l)}\n`)
      .join('');
    io.stderr(
      `First connection to this server. Its host key fingerprint:\n${prints}` +
        'Compare it with the one your provider shows (web console: ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub).\n',
    );
    try {
      return await prompts.confirm({ message: 'Trust it and remember it?', default: false });
    } catch (e) {
      if (isPromptExit(e)) return false;
      throw e;
    }
  };
}

/**
 * How every day-2 command connects: the answers' target, falling back to the deploy user and the
 * moved port. In a terminal without --yes an unknown host key is asked about; otherwise it must be
 * known already or come with --known-hosts.
 */
export function linkOptions(args: CliArgs, io: Io, answers: Answers, readOnly = false, prompts: Prompts = inquirerPrompts()): ConnectOptions {
  const t = answers.target;
  const secrets = secretsFor(answers, io.env);
  return connectOptions(
    { ...t, host: t.host ?? '' },
    {
      sshOptions: args.sshOptions,
      knownHosts: args.knownHosts,
      yes: args.yes || !io.isTTY,
      force: args.force,
      confirmHostKey: askHostKey(io, prompts),
      sudoPassword: secrets.sudoPassword,
      fallbackUser: answers.deployUser.name,
      fallbackPort: answers.ssh.port,
      loginMemo: loginMemoPath(io.env),
      secrets: allSecrets(secrets),
      readOnly,
    },
  );
}
