import { randomBytes } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import jsQRModule from 'jsqr';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { decodePng, qrCells, qrMatrixFromPng, QUIET_ZONE, renderQr } from '../src/ui/qr.js';
import { pixelsOf } from './qr-pixels.js';

// jsqr is CommonJS with a default export in its types: the function is either.
const jsQR = ((jsQRModule as unknown as { default?: unknown }).default ?? jsQRModule) as typeof jsQRModule.default;

// What WhatsApp's linking QR holds (Baileys joins these): the server's ref, then the
// noise key, the identity key and the adv secret, each base64.
const waPayload = () =>
  [`2@${randomBytes(60).toString('base64')}`, randomBytes(32).toString('base64'), randomBytes(32).toString('base64'), randomBytes(32).toString('base64')].join(
    ',',
  );

// Exactly how OpenClaw 2026.9.6 renders the QR it sends as a data URL (src/media/qr-image.ts):
// qrcode 1.5.4 toBuffer with margin 4 and scale 6.
const openclawPng = (text: string) => QRCode.toBuffer(text, { margin: 4, scale: 6 });

describe('terminal QR', () => {
  it('reads the module grid of the PNG OpenClaw sends, module for module', async () => {
    const text = waPayload();
    const m = qrMatrixFromPng(await openclawPng(text));
    const q = QRCode.create(text, {});
    expect(m.length).toBe(q.modules.size);
    expect(m.flat().map((d) => (d ? 1 : 0))).toEqual([...q.modules.data]);
  });

  it('draws a code a real decoder reads back, with a light quiet zone, at one cell per module column', async () => {
    for (let i = 0; i < 5; i++) {
      const text = waPayload();
      const m = qrMatrixFromPng(await openclawPng(text));
      const lines = renderQr(m, { color: false });
      expect(lines.length).toBe(qrCells(m).rows);
      expect(lines.every((l) => [...l].length === m.length + 2 * QUIET_ZONE)).toBe(true);
      expect(lines.slice(0, QUIET_ZONE / 2).every((l) => l.trim() === '')).toBe(true);
      const img = pixelsOf(lines);
      expect(jsQR(img.data, img.width, img.height)?.data).toBe(text);
    }
  });

  it('sets black on white itself in colour, so a dark terminal theme scans the same', async () => {
    const text = waPayload();
    const lines = renderQr(qrMatrixFromPng(await openclawPng(text)), { color: true });
    expect(lines.every((l) => l.startsWith('\x1b[30;107m') && l.endsWith('\x1b[0m'))).toBe(true);
    const img = pixelsOf(lines);
    expect(jsQR(img.data, img.width, img.height)?.data).toBe(text);
  });

  it('reads a scale-1, zero-margin PNG too (the module size comes from the finder pattern)', async () => {
    const text = 'hello';
    const m = qrMatrixFromPng(await QRCode.toBuffer(text, { margin: 0, scale: 1 }));
    expect(m.length).toBe(QRCode.create(text, {}).modules.size);
  });

  it('refuses what is not a QR code: other images, cut or oversized PNGs, other formats', async () => {
    const png = await openclawPng('x');
    expect(() => qrMatrixFromPng(Buffer.from('GIF89a........'))).toThrow(/not a PNG/);
    expect(() => qrMatrixFromPng(png.subarray(0, 60))).toThrow(/cut short|header|size/);
    expect(() => qrMatrixFromPng(grey(40, 40, () => 255))).toThrow(/blank/);
    expect(() => qrMatrixFromPng(grey(40, 40, (x, y) => (x > 5 && x < 30 && y > 5 && y < 30 ? 0 : 255)))).toThrow(/not a QR code/);
    expect(() => decodePng(grey(5000, 1, () => 0))).toThrow(/usable header/);
  });
});

/** A greyscale PNG of `w`×`h` from a pixel function, written by hand (no encoder needed). */
function grey(w: number, h: number, f: (x: number, y: number) => number): Buffer {
  const raw = Buffer.alloc((w + 1) * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) raw[y * (w + 1) + 1 + x] = f(x, y);
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    return Buffer.concat([len, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
