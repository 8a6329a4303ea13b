import type { CliArgs } from './args.js';
import { CancelledError, StepFailedError, UserError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { PROVIDER_KEYS } from '../answers/rules.js';
import { ask, withDeployment, type OnDeployment } from './deployment.js';
import { readDeployed } from '../facts/deployed.js';
import { serverPaths } from '../plan/paths.js';
import type { Prompts } from '../ui/plain/prompts.js';
import {
  parseReplyWatch,
  parseServerClock,
  REPLY_CHANNELS,
  serverClockArgv,
  waitReplyArgv,
  type ReplyChannel,
  type ReplyVerdict,
} from '../../steps/first-reply.js';

/** How long first-reply watches by default, and its bounds (seconds). */
const DEFAULT_TIMEOUT = 180;
const MIN_TIMEOUT = 10;
const MAX_TIMEOUT = 1800;

/**
 * `claw-setup first-reply [--type T] [--timeout SECONDS]`: on a running deployment, waits until the
 * gateway has received the next message on a channel and answered it, and says so, or names the
 * hop that failed: the channel (nothing arrived), the DM policy (dropped), the model provider
 * (refused or unreachable), the agent itself. Read-only: two commands over the admin connection,
 * the server's clock and one watch that polls the gateway's log on the server.
 */
export async function firstReplyCommand(args: CliArgs, io: Io): Promise<number> {
  const seconds = parseTimeout(args.timeout);
  const wanted = args.type === undefined ? undefined : replyChannel(args.type);
  return withDeployment(args, io, (d) => watchFirstReply(d, wanted, seconds));
}

/**
 * The watch itself, over an open deployment: also what add-channel offers right after a channel
 * was added in a terminal ("send your bot a message now"). Returns first-reply's exit code.
 */
export async function watchFirstReply(
  d: Pick<OnDeployment, 'link' | 'deployed' | 'out' | 'signal'>,
  wanted: ReplyChannel | undefined,
  seconds = DEFAULT_TIMEOUT,
): Promise<number> {
  const channels = configuredChannels(d.deployed.configText);
  const type = pickChannel(channels, wanted);
  const clock = await d.link.exec.run(serverClockArgv(), { purpose: 'probe', timeoutSec: 30 });
  if (clock.code !== 0) throw new StepFailedError("could not read the server's clock; nothing was watched");
  const since = parseServerClock(clock.stdout);
  d.out(`claw-setup: send your bot a message now on ${type} (watching the gateway for up to ${seconds} s; Ctrl-C stops)`);
  const r = await d.link.exec.run(waitReplyArgv(type, since, seconds), { purpose: 'probe', timeoutSec: seconds + 60, signal: d.signal });
  if (r.code === 130 || d.signal.aborted) throw new CancelledError('Stopped watching. Nothing was changed.');
  let v: ReplyVerdict;
  try {
    v = parseReplyWatch(r.stdout, type);
  } catch (e) {
    throw new StepFailedError(`the watch on the server failed (exit ${r.code}): ${(e as Error).message}`);
  }
  return report(v, type, channels[type], seconds, d.out);
}

/**
 * Right after add-channel in a terminal: "send your bot a message now?" (default no). The watch's
 * verdict is a note: the channel is added either way, so it never becomes add-channel's exit code.
 * WhatsApp is skipped: it answers only once linked (claw-setup pair whatsapp).
 */
export async function offerFirstReply(d: Pick<OnDeployment, 'link' | 'answers' | 'out' | 'signal'>, type: string, prompts: Prompts): Promise<void> {
  if (type === 'whatsapp' || !(REPLY_CHANNELS as readonly string[]).includes(type)) return;
  const message = `Send your ${type} bot a message now and see it answer? (watches the gateway up to ${DEFAULT_TIMEOUT} s)`;
  if (!(await ask(() => prompts.confirm({ message, default: false })))) return;
  // Read again: the channel was added after the deployment was first read.
  const deployed = await readDeployed(d.link.exec, serverPaths(d.answers));
  try {
    await watchFirstReply({ ...d, deployed }, type as ReplyChannel);
  } catch (e) {
    if (e instanceof CancelledError) return d.out('claw-setup: stopped watching; the channel stays added');
    if (!(e instanceof StepFailedError || e instanceof UserError)) throw e;
    d.out(`claw-setup: first reply: ${e.message}`);
    for (const l of e instanceof StepFailedError ? e.report : [e.howToFix ?? '']) if (l) d.out(`  ${l}`);
    d.out('claw-setup: the channel stays added; claw-setup first-reply watches again');
  }
}

function parseTimeout(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_TIMEOUT;
  const n = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= MIN_TIMEOUT && n <= MAX_TIMEOUT))
    throw new UserError(`--timeout ${raw.slice(0, 20)}: not a number of seconds from ${MIN_TIMEOUT} to ${MAX_TIMEOUT}`, 'e.g. --timeout 300');
  return n;
}

function replyChannel(word: string): ReplyChannel {
  const t = word.toLowerCase();
  if (!(REPLY_CHANNELS as readonly string[]).includes(t))
    throw new UserError(`--type ${word.slice(0, 40)}: not a channel`, `one of: ${REPLY_CHANNELS.join(', ')}`);
  return t as ReplyChannel;
}

interface ChannelSection {
  dmPolicy?: unknown;
  allowFrom?: unknown;
}

/** The channels openclaw.json on the server configures (only the known types; the file is the container's). */
function configuredChannels(configText: string | null): Partial<Record<ReplyChannel, ChannelSection>> {
  let channels: unknown;
  try {
    channels = (JSON.parse(configText ?? '{}') as { channels?: unknown }).channels;
  } catch {
    throw new UserError("the server's openclaw.json could not be read as JSON", 'claw-setup status shows the deployment');
  }
  if (!channels || typeof channels !== 'object') return {};
  const out: Partial<Record<ReplyChannel, ChannelSection>> = {};
  for (const t of REPLY_CHANNELS) {
    const s = (channels as Record<string, unknown>)[t];
    if (s && typeof s === 'object' && (s as { enabled?: unknown }).enabled !== false) out[t] = s as ChannelSection;
  }
  return out;
}

function pickChannel(channels: Partial<Record<ReplyChannel, ChannelSection>>, wanted: ReplyChannel | undefined): ReplyChannel {
  const have = Object.keys(channels) as ReplyChannel[];
  if (wanted) {
    if (!have.includes(wanted)) throw new UserError(`the server runs no ${wanted} channel`, `add it first: claw-setup add-channel --type ${wanted}`);
    return wanted;
  }
  if (have.length === 1) return have[0];
  if (have.length === 0) throw new UserError('the server runs no messaging channel', 'add one first: claw-setup add-channel --type telegram');
  throw new UserError(`the server runs ${have.length} channels (${have.join(', ')}): which one?`, `claw-setup first-reply --type ${have[0]}`);
}

/** Prints the success, or throws the failed hop with what to do about it. */
function report(v: ReplyVerdict, type: ReplyChannel, section: ChannelSection | undefined, seconds: number, out: (s: string) => void): number {
  const who = `${v.sender ? ` from ${v.sender}` : ''}${v.bot ? ` to @${v.bot}` : ''}`;
  if (v.hop === 'replied') {
    out(`claw-setup: the gateway received your message${who} on ${type} and answered it: the whole path works (channel, policy, model provider, reply).`);
    return 0;
  }
  const policy = typeof section?.dmPolicy === 'string' ? section.dmPolicy.slice(0, 20) : 'pairing';
  switch (v.hop) {
    case 'gateway':
      throw new StepFailedError('the gateway container is not running', ['see: sudo docker logs --tail 50 openclaw-gateway; claw-setup status']);
    case 'channel':
      throw new StepFailedError(`channel: no message reached the gateway on ${type} in ${seconds} s`, [
        `check that you wrote to the bot this deployment runs, and that the ${type} channel works: claw-setup status (OpenClaw's probe of the channel)`,
        'a wrong or revoked bot token, or an apiRoot that cannot be reached, stops every message here',
      ]);
    case 'policy':
      throw new StepFailedError(`policy: the message reached the gateway on ${type} but was dropped by its DM policy (dmPolicy "${policy}")`, [
        policy === 'pairing'
          ? `the sender must be approved first: claw-setup pair ${type}`
          : `the sender is not in allowFrom: add their id (claw-setup add-channel --type ${type} --set allowFrom=ID), or use dmPolicy "pairing" and claw-setup pair ${type}`,
      ]);
    case 'provider':
      throw new StepFailedError(`model provider: the gateway received your message${who}, but the model call failed${firstError(v)}`, providerFix(v));
    case 'agent':
      throw new StepFailedError(
        `agent: the gateway received your message${who}, but the agent failed before calling the model${v.reason ? ` (OpenClaw: ${v.reason})` : ''}`,
        v.reason === 'sandbox_provisioning'
          ? [
              'OpenClaw\'s sandbox needs Docker inside the gateway container, which this deployment does not give it: set openclaw.sandbox.mode to "off" and re-apply',
            ]
          : ['see: sudo docker logs --tail 50 openclaw-gateway'],
      );
    case 'no-reply':
      throw new StepFailedError(`the agent ran on your message${who} but sent nothing back on ${type}`, ['see: sudo docker logs --tail 50 openclaw-gateway']);
    case 'stalled':
      throw new StepFailedError(`the message reached the agent${who}, but no answer came in ${seconds} s`, [
        'a slow model can take longer: run again with a longer --timeout',
      ]);
  }
}

function firstError(v: ReplyVerdict): string {
  return v.providerErrors.length ? `: ${v.providerErrors[0]}` : v.reason ? ` (OpenClaw: ${v.reason})` : '';
}

function providerFix(v: ReplyVerdict): string[] {
  const first = v.providerErrors[0] ?? '';
  const name = first.split(' ')[0] as keyof typeof PROVIDER_KEYS;
  const env = Object.hasOwn(PROVIDER_KEYS, name) ? PROVIDER_KEYS[name].envVar : 'the provider key';
  if (/HTTP 40[13]\b/.test(first) || v.reason === 'auth') return [`the provider refused the API key: set a valid one with claw-setup rotate ${env}`];
  if (/HTTP 429\b/.test(first) || v.reason === 'rate_limit' || v.reason === 'billing') return ['the provider refused for quota or billing: check the account'];
  if (/HTTP 5\d\d\b/.test(first)) return ["the provider's service failed: try again later"];
  if (/HTTP 4\d\d\b/.test(first)) return ['the provider refused the request: check the model name (openclaw.model) and provider base URL'];
  return [
    'the provider could not be reached from the container: check the egress rules (openclaw.egress) and any provider base URL (openclaw.providerBaseUrls)',
  ];
}
