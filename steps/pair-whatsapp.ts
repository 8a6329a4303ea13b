import type { Argv } from '../src/plan/action.js';
import type { ServerPaths } from '../src/plan/paths.js';
import { composeArgv } from './openclaw.js';
import { firstJson } from './pair.js';

/**
 * WhatsApp links the account by QR. We use the gateway's own RPC (what the Control UI
 * does): `web.login.start` returns the QR as a PNG data URL and a session key,
 * `web.login.wait` returns when it is scanned, or with a new QR when WhatsApp rotated it.
 * The RPC is called with OpenClaw's CLI (`gateway call`) inside the gateway container,
 * which holds the gateway token: nothing leaves the server but the JSON answer. The QR
 * is then drawn here from pixels (src/ui/qr.ts), never by passing the container's
 * terminal output through to the operator's terminal.
 */

type Paths = Pick<ServerPaths, 'composeDir' | 'compose'>;

const call = (p: Paths, method: string, params: Record<string, unknown>, timeoutMs: number): Argv =>
  composeArgv(
    { paths: p },
    'exec',
    '-T',
    'openclaw-gateway',
    'node',
    'dist/index.js',
    'gateway',
    'call',
    method,
    '--json',
    '--timeout',
    String(timeoutMs + 15_000),
    '--params',
    JSON.stringify(params),
  );

export const webLoginStartArgv = (p: Paths, force: boolean): Argv => call(p, 'web.login.start', { channel: 'whatsapp', force, timeoutMs: 30_000 }, 30_000);

/** Waits up to `timeoutMs` for the scan; `current` lets OpenClaw answer early with a newer QR. */
export function webLoginWaitArgv(p: Paths, w: { sessionKey?: string; current?: string; timeoutMs: number }): Argv {
  return call(
    p,
    'web.login.wait',
    {
      channel: 'whatsapp',
      timeoutMs: w.timeoutMs,
      ...(w.sessionKey ? { sessionKey: w.sessionKey } : {}),
      ...(w.current ? { currentQrDataUrl: w.current } : {}),
    },
    w.timeoutMs,
  );
}

export interface WebLogin {
  connected: boolean;
  /** The QR to show (PNG bytes), when OpenClaw sent one. */
  qrPng?: Buffer;
  /** The data URL as sent: handed back to `web.login.wait` so it can tell a newer QR. */
  qrDataUrl?: string;
  sessionKey?: string;
  /** OpenClaw's message, printable words only (its text, not ours: shown as a quote). */
  message: string;
}

const PNG_URL = /^data:image\/png;base64,([A-Za-z0-9+/]{16,400000}={0,2})$/;
const SESSION_KEY = /^[A-Za-z0-9._:@-]{1,200}$/;

/**
 * The JSON `gateway call --json` prints for `web.login.start|wait`. An answer that is not
 * this shape (or a QR that is not a PNG) is refused: the container is untrusted.
 */
export function parseWebLogin(stdout: string): WebLogin {
  const j = firstJson(stdout) as Record<string, unknown> | null;
  if (!j || typeof j !== 'object') throw new Error('the gateway printed no login state');
  // A refused call prints { ok: false, error: { message } } (exit 1); an answer has its own message.
  const error = j.error && typeof j.error === 'object' ? (j.error as { message?: unknown }).message : undefined;
  const said = typeof j.message === 'string' ? j.message : typeof error === 'string' ? error : '';
  const message = said.replace(/[^\p{L}\p{N}\p{P} ]/gu, '').slice(0, 300);
  const out: WebLogin = { connected: j.connected === true, message };
  if (j.qrDataUrl !== undefined && j.qrDataUrl !== null) {
    const m = typeof j.qrDataUrl === 'string' ? PNG_URL.exec(j.qrDataUrl) : null;
    if (!m) throw new Error('the gateway sent a QR that is not a PNG data URL');
    out.qrPng = Buffer.from(m[1], 'base64');
    out.qrDataUrl = j.qrDataUrl as string;
  }
  if (typeof j.sessionKey === 'string') {
    if (!SESSION_KEY.test(j.sessionKey)) throw new Error('the gateway sent a login session key of an unexpected shape');
    out.sessionKey = j.sessionKey;
  }
  return out;
}
