// A stand-in for a model provider's HTTP API, for tests on a machine with no internet: point
// OpenClaw's `openclaw.providerBaseUrls.openai` (models.providers.openai.baseUrl) at `url` + "/v1",
// or `.anthropic` at `url`. It answers, with one fixed reply text:
// - OpenAI Chat Completions: POST …/chat/completions (JSON, or SSE chunks when `stream: true`);
// - OpenAI Responses: POST …/responses (JSON, or the SSE event sequence when `stream: true`);
// - Anthropic Messages: POST …/messages (JSON, or SSE events when `stream: true`);
// - GET …/models: one model per known name.
// A request without the valid key (Authorization: Bearer, or x-api-key) gets the provider's 401.
// `failWith(status)` makes every later request fail with that status (401 bad key, 429, 500…)
// until `failWith(null)`: the failing-hop cases, without restarting anything.
//
// Like fake-telegram.ts it runs in a child process (the tests' spawnSync calls would block a server
// in the test process). Each request is appended to a JSON-lines file as {path, api, model, stream,
// messages, key: "valid"|"invalid"|"none", status}; the key itself is never written.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One request the stand-in received. `messages` as sent (OpenAI `messages`/`input`, Anthropic `system` + `messages`). */
export interface ModelCall {
  path: string;
  api: 'openai-completions' | 'openai-responses' | 'anthropic-messages' | 'models' | 'other';
  model: string;
  stream: boolean;
  messages: unknown;
  key: 'valid' | 'invalid' | 'none';
  status: number;
}

export interface ModelStandIn {
  proc: ChildProcess;
  port: number;
  /** http://IP:PORT (no trailing slash); OpenAI clients want `${url}/v1`. */
  url: string;
  /** Every request so far, oldest first. */
  calls(): ModelCall[];
  /** From now on every request fails with this HTTP status (null: answer normally again). */
  failWith(status: number | null): void;
  /** Kills the server and removes its files; calls() keeps the final list. Safe to call twice. */
  stop(): Promise<void>;
}

/** The text every successful answer carries. */
export const STANDIN_REPLY = 'Stand-in model here: your message arrived.';

/** The text of every message in a recorded call (any API shape), joined: to find what the user wrote. */
export function callText(c: ModelCall): string {
  const texts: string[] = [];
  const walk = (x: unknown): void => {
    if (typeof x === 'string') texts.push(x);
    else if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') for (const [k, v] of Object.entries(x)) if (!['role', 'type', 'id', 'cache_control'].includes(k)) walk(v);
  };
  walk(c.messages);
  return texts.join('\n');
}

/** Starts the stand-in on `ip` (a free port) that accepts only `validKey`. */
export async function startModelStandIn(ip: string, validKey: string): Promise<ModelStandIn> {
  const dir = mkdtempSync(join(tmpdir(), 'model-standin-'));
  const log = join(dir, 'calls.jsonl');
  const control = join(dir, 'fail-status');
  writeFileSync(log, '');
  writeFileSync(control, '');
  // The key reaches the child through its environment, not its command line (visible in ps).
  const code = `
    const fs = require('node:fs');
    const valid = process.env.STANDIN_KEY;
    const reply = ${JSON.stringify(STANDIN_REPLY)};
    const errors = { 401: ['authentication_error', 'invalid_api_key', 'Incorrect API key provided'], 429: ['rate_limit_error', 'rate_limit_exceeded', 'Rate limit reached'] };
    const sse = (res, events) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      for (const [event, data] of events) res.write((event ? 'event: ' + event + '\\n' : '') + 'data: ' + (typeof data === 'string' ? data : JSON.stringify(data)) + '\\n\\n');
      res.end();
    };
    const json = (res, status, body) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    const usage = { prompt_tokens: 12, completion_tokens: 9, total_tokens: 21 };
    const now = () => Math.floor(Date.now() / 1000);
    function openaiChat(res, model, stream) {
      const id = 'chatcmpl-standin' + Date.now();
      const base = { id, object: 'chat.completion.chunk', created: now(), model };
      if (!stream) return json(res, 200, { id, object: 'chat.completion', created: now(), model, usage,
        choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: reply } }] });
      sse(res, [
        [null, { ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] }],
        [null, { ...base, choices: [{ index: 0, delta: { content: reply }, finish_reason: null }] }],
        [null, { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage }],
        [null, '[DONE]'],
      ]);
    }
    function openaiResponses(res, model, stream) {
      const msg = { id: 'msg_standin', type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: reply, annotations: [] }] };
      const done = { id: 'resp_standin', object: 'response', created_at: now(), status: 'completed', model, output: [msg],
        usage: { input_tokens: 12, output_tokens: 9, total_tokens: 21 } };
      if (!stream) return json(res, 200, done);
      const part = { type: 'output_text', text: '', annotations: [] };
      sse(res, [
        ['response.created', { type: 'response.created', response: { ...done, status: 'in_progress', output: [] } }],
        ['response.output_item.added', { type: 'response.output_item.added', output_index: 0, item: { ...msg, status: 'in_progress', content: [] } }],
        ['response.content_part.added', { type: 'response.content_part.added', item_id: msg.id, output_index: 0, content_index: 0, part }],
        ['response.output_text.delta', { type: 'response.output_text.delta', item_id: msg.id, output_index: 0, content_index: 0, delta: reply }],
        ['response.output_text.done', { type: 'response.output_text.done', item_id: msg.id, output_index: 0, content_index: 0, text: reply }],
        ['response.content_part.done', { type: 'response.content_part.done', item_id: msg.id, output_index: 0, content_index: 0, part: msg.content[0] }],
        ['response.output_item.done', { type: 'response.output_item.done', output_index: 0, item: msg }],
        ['response.completed', { type: 'response.completed', response: done }],
      ]);
    }
    function anthropic(res, model, stream) {
      const u = { input_tokens: 12, output_tokens: 9 };
      const message = { id: 'msg_standin', type: 'message', role: 'assistant', model, stop_reason: null, stop_sequence: null, usage: u, content: [] };
      if (!stream) return json(res, 200, { ...message, stop_reason: 'end_turn', content: [{ type: 'text', text: reply }] });
      sse(res, [
        ['message_start', { type: 'message_start', message }],
        ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
        ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: reply } }],
        ['content_block_stop', { type: 'content_block_stop', index: 0 }],
        ['message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 9 } }],
        ['message_stop', { type: 'message_stop' }],
      ]);
    }
    const srv = require('node:http').createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        const path = new URL(req.url, 'http://x').pathname;
        let p = {};
        try { p = body ? JSON.parse(body) : {}; } catch {}
        const api = /\\/chat\\/completions$/.test(path) ? 'openai-completions' : /\\/responses$/.test(path) ? 'openai-responses'
          : /\\/messages$/.test(path) ? 'anthropic-messages' : /\\/models$/.test(path) ? 'models' : 'other';
        const given = String(req.headers['x-api-key'] || String(req.headers.authorization || '').replace(/^Bearer\\s+/i, '') || '');
        const key = !given ? 'none' : given === valid ? 'valid' : 'invalid';
        const forced = Number(fs.readFileSync(${JSON.stringify(control)}, 'utf8')) || 0;
        const status = api === 'other' ? 404 : key !== 'valid' ? 401 : forced || 200;
        const model = String(p.model || '');
        const messages = api === 'anthropic-messages' ? { system: p.system, messages: p.messages } : p.messages ?? p.input ?? null;
        fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify({ path, api, model, stream: p.stream === true, messages, key, status }) + '\\n');
        if (status !== 200) {
          const [type, code, message] = errors[status] || ['api_error', 'server_error', 'The stand-in was told to fail'];
          return json(res, status, api === 'anthropic-messages' ? { type: 'error', error: { type, message } } : { error: { message, type, code } });
        }
        if (api === 'models') return json(res, 200, { object: 'list', data: [{ id: 'standin', object: 'model', created: 0, owned_by: 'standin' }] });
        if (api === 'openai-completions') return openaiChat(res, model, p.stream === true);
        if (api === 'openai-responses') return openaiResponses(res, model, p.stream === true);
        return anthropic(res, model, p.stream === true);
      });
    });
    srv.listen(0, ${JSON.stringify(ip)}, () => console.log(srv.address().port));`;
  const proc = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, STANDIN_KEY: validKey } });
  const port = await new Promise<number>((resolve, reject) => {
    proc.stdout!.once('data', (d: Buffer) => resolve(Number(String(d).trim())));
    proc.once('exit', (c) => reject(new Error(`model stand-in exited ${c}`)));
  });
  const host = ip.includes(':') ? `[${ip}]` : ip;
  let final: ModelCall[] | undefined;
  const calls = (): ModelCall[] =>
    final ??
    readFileSync(log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as ModelCall);
  const failWith = (status: number | null): void => writeFileSync(control, status === null ? '' : String(status));
  const stop = async (): Promise<void> => {
    if (proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.kill();
      await exited;
    }
    final ??= calls();
    rmSync(dir, { recursive: true, force: true });
  };
  return { proc, port, url: `http://${host}:${port}`, calls, failWith, stop };
}
