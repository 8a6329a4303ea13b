// `claw-setup first-reply`: watch the gateway, from the server side and read-only, until the next
// message on a channel has been answered, and name the hop that failed when it was not. What is
// read is the gateway's own log (`docker logs`, the lines OpenClaw 2026.9.6 writes for each
// message; see the patterns below). The log comes from the container, which is untrusted: the
// server sends back only lines of the known kinds, cut short, and only fields of the expected
// shapes are kept from them here; nothing else is printed.
import type { Argv } from '../src/plan/action.js';
import { GATEWAY_CONTAINER } from '../templates/gateway-shared.js';

/** The channels whose messages OpenClaw logs as `[<type>] Inbound message …`. */
export const REPLY_CHANNELS = ['telegram', 'discord', 'slack', 'whatsapp'] as const;
export type ReplyChannel = (typeof REPLY_CHANNELS)[number];

/** The server's clock, to the nanosecond (what `docker logs --since` takes): the watch starts there. */
export const serverClockArgv = (): Argv => ['date', '+%s.%N'];

/** `date +%s.%N` as printed; anything else is refused (it becomes an argument of the watch). */
export function parseServerClock(stdout: string): string {
  const t = stdout.trim();
  if (!/^\d{9,11}\.\d{1,9}$/.test(t)) throw new Error(`the server's clock read "${t.slice(0, 40)}", not seconds since 1970`);
  return t;
}

// A message seen without an `Inbound message` line for this long was dropped by the DM policy: on a
// loaded test server the line came 1.6 s after the update.
const DROPPED_AFTER_SEC = 20;

/**
 * The watch, in one round trip: every second, the gateway's log lines since `since` that belong
 * to a message on `channel` (received, inbound, model calls, the agent's failure, the reply sent,
 * processed), until the message is processed, is dropped, or `seconds` pass. Prints one
 * `watch <state>` line and then up to 40 of those lines, each cut at 400 characters.
 */
export function waitReplyArgv(channel: ReplyChannel, since: string, seconds: number): Argv {
  const lines = [
    '\\[$4\\] (Inbound message |outbound send |\\[diag\\] isolated polling worker update received)',
    'message processed: channel=$4 ',
    'model fallback chain stopped: ',
    'Embedded agent failed before reply',
    '\\[model-fetch\\] (response|error) ',
  ].join('|');
  // One line: a printed plan shows every command on one line (test/printed-is-executed.test.ts).
  const script = [
    `end=$(( $(date +%s) + $3 )); quiet=0; sent=0; l=""`,
    'while :; do [ "$(docker inspect -f "{{.State.Running}}" "$1" 2>/dev/null)" = true ] || { echo "watch gateway-down"; break; }',
    `l=$(docker logs --since "$2" "$1" 2>&1 | tail -n 5000 | grep -E "${lines}")`,
    'if printf "%s\\n" "$l" | grep -q "message processed: channel=$4 "; then echo "watch processed"; break; fi',
    // A reply is logged as sent, and (2026.9.6) no "message processed" line follows a success: one
    // more read a second later catches the failure lines of an error reply, which come before it.
    'if [ "$sent" = 1 ]; then echo "watch sent"; break; fi',
    'if printf "%s\\n" "$l" | grep -q "\\[$4\\] outbound send ok "; then sent=1; fi',
    'if printf "%s\\n" "$l" | grep -q "update received" && ! printf "%s\\n" "$l" | grep -q "Inbound message "; then quiet=$((quiet + 1)); fi',
    `if [ "$quiet" -ge ${DROPPED_AFTER_SEC} ]; then echo "watch dropped"; break; fi`,
    '[ "$(date +%s)" -lt "$end" ] || { echo "watch timeout"; break; }',
    'sleep 1; done',
    'printf "%s\\n" "$l" | tail -n 40 | cut -c1-400 | sed "s/^/log /"',
  ].join('; ');
  return ['sh', '-c', script, 'sh', GATEWAY_CONTAINER, since, String(seconds), channel];
}

/** Which hop the message got to. */
export type ReplyHop = 'replied' | 'channel' | 'policy' | 'provider' | 'agent' | 'no-reply' | 'stalled' | 'gateway';

export interface ReplyVerdict {
  hop: ReplyHop;
  /** The sender's id on the channel, when the gateway named it. */
  sender?: string;
  /** The bot's @name, as the gateway logged it. */
  bot?: string;
  /** Each model call that failed: "openai gpt-6-astra: HTTP 401" or "openai …: connection refused". */
  providerErrors: string[];
  /** Why OpenClaw gave up on the model (its fallback reason: auth, rate_limit, sandbox_provisioning…). */
  reason?: string;
}

const WORD = /^[A-Za-z0-9_.:/@+-]{1,120}$/;
const keep = (s: string | undefined): string | undefined => (s !== undefined && WORD.test(s) ? s : undefined);

/** Reads the watch's output. Throws when it is not the watch's shape (then nothing is claimed). */
export function parseReplyWatch(stdout: string, channel: ReplyChannel): ReplyVerdict {
  const all = stdout.split('\n');
  const state = /^watch (processed|sent|dropped|timeout|gateway-down)$/.exec(all.find((l) => l.startsWith('watch ')) ?? '')?.[1];
  if (!state) throw new Error('the watch printed no verdict');
  const logs = all.filter((l) => l.startsWith('log ')).map((l) => l.slice(4));
  const v: ReplyVerdict = { hop: 'channel', providerErrors: [] };
  let received = false;
  let inbound = false;
  let sent = false;
  let outcome: string | undefined;
  let agentFailed = false;
  for (const l of logs) {
    let m: RegExpExecArray | null;
    if (l.includes(`[${channel}] [diag] isolated polling worker update received`)) received = true;
    else if ((m = new RegExp(`\\[${channel}\\] Inbound message [a-z]+:(-?[0-9A-Za-z_.+@-]{1,64}) -> @?([A-Za-z0-9_]{1,64})`).exec(l))) {
      inbound = received = true;
      v.sender = keep(m[1]);
      v.bot = keep(m[2]);
    } else if (l.includes(`[${channel}] outbound send ok `)) sent = true;
    else if ((m = new RegExp(`message processed: channel=${channel} .* outcome=([a-z]{1,20})`).exec(l))) outcome = m[1];
    else if ((m = /model fallback chain stopped: reason=([a-z_]{1,40})/.exec(l))) v.reason = m[1];
    else if (l.includes('Embedded agent failed before reply')) agentFailed = true;
    else if ((m = /\[model-fetch\] response provider=(\S{1,40}) api=\S{1,40} model=(\S{1,120}) status=([1-5]\d\d)\b/.exec(l)) && Number(m[3]) >= 400)
      v.providerErrors.push(`${keep(m[1]) ?? '?'} ${keep(m[2]) ?? '?'}: HTTP ${m[3]}`);
    else if ((m = /\[model-fetch\] error provider=(\S{1,40}) api=\S{1,40} model=(\S{1,120}) elapsedMs=\d+ ?(.*)$/.exec(l)))
      v.providerErrors.push(`${keep(m[1]) ?? '?'} ${keep(m[2]) ?? '?'}: ${transportError(m[3])}`);
  }
  v.hop = hopOf(state, { received, inbound, sent, outcome, agentFailed, reason: v.reason, providerFailed: v.providerErrors.length > 0 });
  return v;
}

function hopOf(
  state: string,
  s: { received: boolean; inbound: boolean; sent: boolean; outcome?: string; agentFailed: boolean; reason?: string; providerFailed: boolean },
): ReplyHop {
  if (state === 'gateway-down') return 'gateway';
  if (state === 'dropped') return 'policy';
  if (state === 'timeout') return !s.received ? 'channel' : !s.inbound ? 'policy' : s.providerFailed ? 'provider' : 'stalled';
  const failed = s.outcome === 'error' || s.agentFailed || s.providerFailed || s.reason !== undefined;
  if (state === 'sent' && !failed) return 'replied';
  if (s.outcome === 'completed') return s.sent ? 'replied' : 'no-reply';
  if (s.outcome === 'skipped') return 'policy';
  if (s.reason === 'sandbox_provisioning') return 'agent';
  return s.providerFailed || (s.reason !== undefined && s.reason !== 'unknown') ? 'provider' : 'agent';
}

/** A transport failure in a few plain words (the raw text is the container's, and may be long). */
function transportError(raw: string): string {
  const codes = ['ECONNREFUSED', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'CERT_', 'UND_ERR_CONNECT_TIMEOUT'];
  const code = codes.find((c) => raw.includes(c));
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'name not found (DNS)';
  if (code === 'CERT_') return 'TLS certificate not trusted';
  if (code) return `unreachable (${code})`;
  return 'the request failed before any answer';
}
