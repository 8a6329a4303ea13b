// claw-setup first-reply's watch (steps/first-reply.ts): the script really run by sh against a stand-in
// `docker` that prints gateway log lines recorded from the real OpenClaw 2026.9.6 gateway on a test
// server (test/e2e/first-reply.e2e.test.ts), and the verdict read from its output: each hop named.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { parseReplyWatch, parseServerClock, waitReplyArgv, type ReplyChannel } from '../../steps/first-reply.js';
import { parseCli } from '../../src/cli/args.js';

const T = '2026-12-07T21:49:0';
const RECEIVED = `${T}8.028+00:00 [telegram] [diag] isolated polling worker update received updateId=1 queued=1`;
const SPOOLED = `${T}8.105+00:00 [telegram] [diag] isolated polling update spooled updateId=1`;
const INBOUND = `${T}9.635+00:00 [telegram] Inbound message telegram:555000111 -> @claw_e2e_bot (direct, 30 chars)`;
const NOISE = `${T}9.700+00:00 [state/database-verify] database integrity verification passed`;
const SANDBOX = `${T}9.834+00:00 [model-fallback/decision] model fallback chain stopped: reason=sandbox_provisioning candidate=openai/gpt-6-astra errorName=SandboxProvisioningError`;
const FAILED = `${T}9.841+00:00 Embedded agent failed before reply: Cannot resolve sandbox bind sources from this Gateway container.`;
const HTTP401 = `${T}9.552+00:00 [provider-transport-fetch] [model-fetch] response provider=openai api=openai-completions model=gpt-6-astra status=401 elapsedMs=18 dispatcher=new contentType=application/json`;
const REFUSED = `${T}9.552+00:00 [model-fetch] error provider=openai api=openai-completions model=gpt-6-astra elapsedMs=3 TypeError: fetch failed (cause: connect ECONNREFUSED 10.77.4.1:39167)`;
const HTTP200 = `${T}9.552+00:00 [provider-transport-fetch] [model-fetch] response provider=openai api=openai-completions model=gpt-6-astra status=200 elapsedMs=18 dispatcher=new contentType=text/event-stream`;
const SENT = `${T}9.967+00:00 [telegram] outbound send ok accountId=default chatId=555000111 messageId=1001 operation=sendMessage deliveryKind=text chunkCount=1`;
const processed = (outcome: string) =>
  `${T}9.990+00:00 [diagnostic] message processed: channel=telegram chatId=telegram:555000111 messageId=501 sessionId=9cd859d6 sessionKey=agent:main:telegram:direct:555000111 outcome=${outcome} duration=2996ms`;

const dir = mkdtempSync(join(tmpdir(), 'first-reply-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the real watch with `docker` answering from `logs` (and "running" unless `down`). */
function watch(logs: string[], o: { seconds?: number; down?: boolean; channel?: ReplyChannel } = {}) {
  writeFileSync(join(dir, 'logs.txt'), `${logs.join('\n')}\n`);
  writeFileSync(join(dir, 'args.txt'), '');
  const docker = join(dir, 'docker');
  writeFileSync(
    docker,
    `#!/bin/sh\necho "$@" >> ${dir}/args.txt\ncase "$1" in inspect) echo ${o.down ? 'false' : 'true'};; logs) cat ${dir}/logs.txt;; esac\n`,
  );
  chmodSync(docker, 0o755);
  const argv = waitReplyArgv(o.channel ?? 'telegram', '1796680000.123456789', o.seconds ?? 3);
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', env: { ...process.env, PATH: `${dir}:${process.env.PATH}` }, timeout: 60_000 });
  return { ...r, verdict: () => parseReplyWatch(r.stdout, o.channel ?? 'telegram') };
}

describe('first-reply: the watch on the server, and the hop it names', () => {
  it('received, answered by the model, reply sent, processed: replied, with sender and bot', () => {
    const r = watch([RECEIVED, SPOOLED, INBOUND, NOISE, HTTP200, SENT, processed('completed')]);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('watch processed');
    expect(r.stdout).not.toContain('database integrity'); // only the lines of the known kinds come back
    expect(r.verdict()).toEqual({ hop: 'replied', sender: '555000111', bot: 'claw_e2e_bot', providerErrors: [] });
  });

  it('a reply sent and no failure before it (a success logs no "processed" line): replied', () => {
    const r = watch([RECEIVED, SPOOLED, INBOUND, NOISE, SENT]);
    expect(r.stdout.split('\n')[0]).toBe('watch sent');
    expect(r.verdict()).toMatchObject({ hop: 'replied', sender: '555000111', bot: 'claw_e2e_bot' });
  });

  it('an error reply sent after the failure lines is no success', () => {
    expect(watch([RECEIVED, INBOUND, HTTP401, SENT]).verdict().hop).toBe('provider');
    expect(watch([RECEIVED, INBOUND, SANDBOX, FAILED, SENT]).verdict().hop).toBe('agent');
  });

  it('reads the log since the given instant, of the gateway container', () => {
    const r = watch([RECEIVED, INBOUND, SENT, processed('completed')]);
    expect(r.status).toBe(0);
    expect(readFileSync(join(dir, 'args.txt'), 'utf8')).toContain('logs --since 1796680000.123456789 openclaw-gateway');
  });

  it('the provider refused the key (HTTP 401): the model provider hop, with provider, model and status', () => {
    const v = watch([RECEIVED, INBOUND, HTTP401, SENT, processed('error')]).verdict();
    expect(v.hop).toBe('provider');
    expect(v.providerErrors).toEqual(['openai gpt-6-astra: HTTP 401']);
  });

  it('the provider unreachable: the model provider hop, in plain words', () => {
    const v = watch([RECEIVED, INBOUND, REFUSED, SENT, processed('error')]).verdict();
    expect(v).toMatchObject({ hop: 'provider', providerErrors: ['openai gpt-6-astra: connection refused'] });
  });

  it("the sandbox could not start (the default sandbox in this deployment): the agent hop, OpenClaw's reason", () => {
    const v = watch([RECEIVED, INBOUND, SANDBOX, FAILED, SENT, processed('error')]).verdict();
    expect(v).toMatchObject({ hop: 'agent', reason: 'sandbox_provisioning', providerErrors: [] });
  });

  it('an update received but never an inbound message (allowlist drop): the policy hop at the deadline', () => {
    const r = watch([RECEIVED, SPOOLED], { seconds: 2 });
    expect(r.stdout.split('\n')[0]).toBe('watch timeout');
    expect(r.verdict().hop).toBe('policy');
  });

  it('nothing at all: the channel hop; a gateway that is down: the gateway', () => {
    expect(watch([NOISE], { seconds: 2 }).verdict().hop).toBe('channel');
    expect(watch([RECEIVED, INBOUND, processed('completed')], { down: true }).verdict().hop).toBe('gateway');
  });

  it('arrived, no model error, no answer by the deadline: stalled; processed with nothing sent: no-reply', () => {
    expect(watch([RECEIVED, INBOUND], { seconds: 2 }).verdict().hop).toBe('stalled');
    expect(watch([RECEIVED, INBOUND, processed('completed')]).verdict().hop).toBe('no-reply');
  });

  it("another channel's lines do not count for this one", () => {
    const r = watch([RECEIVED, INBOUND, SENT, processed('completed')], { channel: 'discord', seconds: 2 });
    expect(r.verdict().hop).toBe('channel');
  });

  it('the container writes the log: odd fields are dropped, never passed on', () => {
    const v = parseReplyWatch(
      ['watch processed', 'log [telegram] Inbound message telegram:555\u001b[31m -> @bot$(id) (direct)', `log ${SENT}`, `log ${processed('completed')}`].join(
        '\n',
      ),
      'telegram',
    );
    expect(v.hop).toBe('replied');
    expect(v.sender).toBeUndefined();
    expect(v.bot).toBeUndefined();
    expect(JSON.stringify(v)).not.toMatch(/\\u001b|\$\(/);
    expect(() => parseReplyWatch('log anything\n', 'telegram')).toThrow(/no verdict/);
  });

  it("the server's clock is seconds.nanoseconds or refused", () => {
    expect(parseServerClock('1796680000.123456789\n')).toBe('1796680000.123456789');
    expect(() => parseServerClock('1796680000; rm -rf /')).toThrow(/not seconds/);
  });

  it('the channel and the instant travel as arguments, the script is one line', () => {
    const argv = waitReplyArgv('slack', '1796680000.1', 90);
    expect(argv.slice(0, 2)).toEqual(['sh', '-c']);
    expect(argv[2]).not.toContain('\n');
    expect(argv.slice(3)).toEqual(['sh', 'openclaw-gateway', '1796680000.1', '90', 'slack']);
  });
});

describe('first-reply on the command line', () => {
  it('takes --type and --timeout; --timeout belongs to first-reply only', () => {
    expect(parseCli(['first-reply', '--type', 'telegram', '--timeout', '300'])).toMatchObject({ command: 'first-reply', type: 'telegram', timeout: '300' });
    expect(() => parseCli(['status', '--timeout', '30'])).toThrow(/not an option of status \(it belongs to first-reply\)/);
  });
});
