// A stand-in for the Telegram Bot API (https://api.telegram.org), for tests on a machine with no
// internet. Plain HTTP: point OpenClaw's `channels.telegram.apiRoot` at `url` (the root only, no
// `/bot<TOKEN>`). It answers what the OpenClaw 2026.9.6 telegram channel calls at start and on
// `channels status --probe` (getMe, getWebhookInfo, deleteWebhook, getUpdates, the *MyCommands
// family; see docs/channel-probe-notes.md) with Telegram-shaped JSON. Any request whose token is
// not `validToken` gets what Telegram sends for a revoked or mistyped token:
// HTTP 401 {"ok":false,"error_code":401,"description":"Unauthorized"}.
//
// Like the ntfy receiver in full.e2e.test.ts it runs in a child process: the tests' synchronous
// calls (spawnSync) would block a server in the test process. Every request is appended to a
// JSON-lines file as {method, token: "valid"|"invalid"|"none"}; the token itself is never written.
//
// Messages, both ways (a stable API; the pairing and first-reply tests rely on it):
// - `deliver({ fromId, chatId, text })` queues a private text message from user `fromId`; the next
//   getUpdates (with the valid token) answers it as a Telegram Update
//   {update_id, message: {message_id, from, chat: {id: chatId, type: "private"}, date, text}}, and a
//   long poll already waiting is answered at once. Updates below getUpdates' `offset` are dropped, as
//   Telegram confirms them. It returns the update_id. Synchronous (it appends to an inbox file).
// - `sent()` lists every sendMessage the bot made with the valid token, oldest first, as
//   {chatId, text} (chat_id as a string, as sent; text as sent, with any HTML markup).
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One request the fake received: the Bot API method, and whether the token in its path matched. */
export interface FakeTelegramCall {
  method: string;
  token: 'valid' | 'invalid' | 'none';
}

/** A message from a Telegram user to the bot. `chatId` defaults to `fromId` (a private chat's id is the user's). */
export interface FakeTelegramInbound {
  fromId: number;
  chatId?: number;
  text: string;
}

/** One sendMessage the bot made. */
export interface FakeTelegramSent {
  chatId: string;
  text: string;
}

export interface FakeTelegram {
  proc: ChildProcess;
  port: number;
  /** The Bot API root for `channels.telegram.apiRoot`, e.g. http://10.0.0.1:41234 (no trailing slash). */
  url: string;
  /** Every request so far, oldest first. */
  calls(): FakeTelegramCall[];
  /** Queues an inbound private message for the next getUpdates; returns its update_id. */
  deliver(m: FakeTelegramInbound): number;
  /** Every sendMessage with the valid token so far, oldest first. */
  sent(): FakeTelegramSent[];
  /** Kills the server and removes its log; calls() keeps answering with the final list. Safe to call twice. */
  stop(): Promise<void>;
}

/** The bot that getMe reports for the valid token. */
export const FAKE_BOT = { id: 7000000001, is_bot: true, first_name: 'Claw E2E', username: 'claw_e2e_bot' } as const;

/**
 * Starts the fake Bot API on `ip` (0 = any free port) that accepts only `validToken`.
 * getUpdates is held for `min(timeout, 1)` seconds and answered with the queued updates (none
 * unless `deliver` was called), so the gateway's long poll keeps cycling.
 */
export async function startFakeTelegram(ip: string, validToken: string): Promise<FakeTelegram> {
  const dir = mkdtempSync(join(tmpdir(), 'fake-telegram-'));
  const log = join(dir, 'calls.jsonl');
  const inbox = join(dir, 'inbox.jsonl');
  writeFileSync(log, '');
  writeFileSync(inbox, '');
  // The token goes to the child through its environment, not its command line (visible in ps).
  const code = `
    const fs = require('node:fs');
    const valid = process.env.FAKE_TELEGRAM_TOKEN;
    const bot = ${JSON.stringify(FAKE_BOT)};
    const me = { ...bot, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false,
      can_connect_to_business: false, has_main_web_app: false };
    const send = (res, status, body) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    const ok = (res, result) => send(res, 200, { ok: true, result });
    let commands = [];
    let sentIds = 1000;
    // The inbox holds the full Updates written by deliver(); confirmed ones (below offset) are skipped.
    const pending = (offset) => fs.readFileSync(${JSON.stringify(inbox)}, 'utf8').split('\\n').filter(Boolean)
      .map((l) => JSON.parse(l)).filter((u) => u.update_id >= offset);
    const srv = require('node:http').createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        const m = /^\\/bot([^/]*)\\/([A-Za-z]+)/.exec(new URL(req.url, 'http://x').pathname);
        const method = m ? m[2] : String(req.url).split('?')[0].slice(0, 40);
        const token = !m ? 'none' : m[1] === valid ? 'valid' : 'invalid';
        const params = Object.fromEntries(new URL(req.url, 'http://x').searchParams);
        try {
          if (body) Object.assign(params, String(req.headers['content-type']).includes('json') ? JSON.parse(body) : Object.fromEntries(new URLSearchParams(body)));
        } catch {}
        const entry = { method, token };
        if (method === 'sendMessage' && token === 'valid') Object.assign(entry, { chatId: String(params.chat_id ?? ''), text: String(params.text ?? '') });
        fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify(entry) + '\\n');
        if (!m) return send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
        if (token !== 'valid') return send(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
        switch (method) {
          case 'getMe': return ok(res, me);
          case 'getWebhookInfo': return ok(res, { url: '', has_custom_certificate: false, pending_update_count: 0 });
          case 'getUpdates': {
            const offset = Number(params.offset) || 0;
            const until = Date.now() + Math.min(Number(params.timeout) || 0, 1) * 1000;
            // Answer as soon as something is queued, else when the (capped) long poll runs out.
            const poll = () => {
              const ups = pending(offset);
              if (ups.length || Date.now() >= until) return ok(res, ups);
              t = setTimeout(poll, 100);
            };
            let t;
            res.on('close', () => clearTimeout(t));
            return poll();
          }
          case 'setMyCommands':
            try { commands = typeof params.commands === 'string' ? JSON.parse(params.commands) : params.commands || []; } catch {}
            return ok(res, true);
          case 'getMyCommands': return ok(res, commands);
          case 'deleteMyCommands': commands = []; return ok(res, true);
          case 'getChat': return ok(res, { id: Number(params.chat_id) || 0, type: 'private' });
          case 'getMyName': return ok(res, { name: bot.first_name });
          case 'getMyDescription': return ok(res, { description: '' });
          case 'getMyShortDescription': return ok(res, { short_description: '' });
          case 'getChatMenuButton': return ok(res, { type: 'commands' });
          case 'sendMessage':
            return ok(res, { message_id: ++sentIds, date: Math.floor(Date.now() / 1000), chat: { id: Number(params.chat_id) || 0, type: 'private' }, from: bot, text: String(params.text ?? '') });
          default: return ok(res, true); // deleteWebhook, setMyDescription, setChatMenuButton, sendChatAction, …
        }
      });
    });
    srv.listen(0, ${JSON.stringify(ip)}, () => console.log(srv.address().port));`;
  const proc = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, FAKE_TELEGRAM_TOKEN: validToken } });
  const port = await new Promise<number>((resolve, reject) => {
    proc.stdout!.once('data', (d: Buffer) => resolve(Number(String(d).trim())));
    proc.once('exit', (c) => reject(new Error(`fake Telegram exited ${c}`)));
  });
  const host = ip.includes(':') ? `[${ip}]` : ip;
  type Logged = FakeTelegramCall & Partial<FakeTelegramSent>;
  let final: Logged[] | undefined;
  const logged = (): Logged[] =>
    final ??
    readFileSync(log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Logged);
  const calls = (): FakeTelegramCall[] => logged().map(({ method, token }) => ({ method, token }));
  const sent = (): FakeTelegramSent[] =>
    logged().flatMap((c) => (c.method === 'sendMessage' && c.token === 'valid' ? [{ chatId: c.chatId ?? '', text: c.text ?? '' }] : []));
  let nextUpdate = 1;
  const deliver = (m: FakeTelegramInbound): number => {
    if (final) throw new Error('fake Telegram is stopped');
    const update_id = nextUpdate++;
    const from = { id: m.fromId, is_bot: false, first_name: 'E2E', username: `e2e_user_${m.fromId}`, language_code: 'en' };
    const chatId = m.chatId ?? m.fromId;
    const chat = { id: chatId, type: 'private', first_name: 'E2E', username: from.username };
    const message = { message_id: 500 + update_id, from, chat, date: Math.floor(Date.now() / 1000), text: m.text };
    appendFileSync(inbox, JSON.stringify({ update_id, message }) + '\n');
    return update_id;
  };
  const stop = async (): Promise<void> => {
    if (proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.kill();
      await exited;
    }
    final ??= logged();
    rmSync(dir, { recursive: true, force: true });
  };
  return { proc, port, url: `http://${host}:${port}`, calls, deliver, sent, stop };
}
