import { describe, expect, it } from 'vitest';
import { parseWebLogin, webLoginStartArgv, webLoginWaitArgv } from '../../steps/pair-whatsapp.js';

const paths = { composeDir: '/home/deploy/openclaw', compose: '/home/deploy/openclaw/docker-compose.yml' as const };

describe('WhatsApp login RPC', () => {
  it('calls web.login.start / wait through `openclaw gateway call` in the container, JSON params', () => {
    const s = webLoginStartArgv(paths, false);
    expect(s.slice(6, 15)).toEqual(['exec', '-T', 'openclaw-gateway', 'node', 'dist/index.js', 'gateway', 'call', 'web.login.start', '--json']);
    expect(JSON.parse(s.at(-1)!)).toEqual({ channel: 'whatsapp', force: false, timeoutMs: 30000 });
    const w = webLoginWaitArgv(paths, { sessionKey: 'abc', current: 'data:image/png;base64,AAAA', timeoutMs: 25000 });
    expect(JSON.parse(w.at(-1)!)).toEqual({ channel: 'whatsapp', timeoutMs: 25000, sessionKey: 'abc', currentQrDataUrl: 'data:image/png;base64,AAAA' });
    expect(w).toContain('40000');
  });

  it('reads the answer strictly: a PNG data URL only, a session key of a plain shape', () => {
    const png = Buffer.from('\x89PNG fake image bytes', 'latin1').toString('base64');
    const ok = parseWebLogin(JSON.stringify({ qrDataUrl: `data:image/png;base64,${png}`, message: 'Scan this QR in WhatsApp \u001b[2J', sessionKey: 's-1' }));
    expect(ok.qrPng?.toString('latin1').startsWith('\x89PNG')).toBe(true);
    expect(ok).toMatchObject({ connected: false, sessionKey: 's-1', message: 'Scan this QR in WhatsApp [2J' });
    expect(parseWebLogin('{"connected":true,"message":"linked"}')).toEqual({ connected: true, message: 'linked' });
    expect(() => parseWebLogin(JSON.stringify({ qrDataUrl: 'data:image/svg+xml;base64,PHN2Zz4=' }))).toThrow(/not a PNG/);
    expect(() => parseWebLogin(JSON.stringify({ qrDataUrl: `data:image/png;base64,${png}`, sessionKey: 'a b;c' }))).toThrow(/session key/);
    expect(() => parseWebLogin('Gateway call failed: closed')).toThrow(/no login state/);
    // What OpenClaw 2026.9.6 printed here: the plugin missing (exit 1), and installed but WhatsApp unreachable (exit 0, no QR).
    const refused =
      '{\n  "ok": false,\n  "error": {\n    "type": "gateway_request_error",\n    "code": "INVALID_REQUEST",\n    "message": "web login provider is not available",\n    "retryable": false\n  }\n}';
    expect(parseWebLogin(refused)).toEqual({ connected: false, message: 'web login provider is not available' });
    const offline = '{\n  "message": "WhatsApp login failed: WebSocket Error (getaddrinfo ENOTFOUND web.whatsapp.com)"\n}';
    expect(parseWebLogin(offline)).toEqual({ connected: false, message: 'WhatsApp login failed: WebSocket Error (getaddrinfo ENOTFOUND web.whatsapp.com)' });
  });
});
