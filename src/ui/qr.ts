import { inflateSync } from 'node:zlib';

/**
 * A QR code from OpenClaw's PNG (what `web.login.start` sends as a data URL) to a
 * terminal. The PNG comes from the gateway container, so it is decoded here with
 * hard limits and read back as a module grid that must look like a QR code (square,
 * 21 + 4k modules, finder patterns in three corners); only booleans reach the screen.
 */

export type QrMatrix = boolean[][];

const MAX_SIDE = 2048;

interface Image {
  width: number;
  height: number;
  /** True where the pixel is dark (and not transparent). */
  dark: (x: number, y: number) => boolean;
}

/** Decodes a non-interlaced 8-bit grey, grey+alpha, RGB or RGBA PNG (what qrcode/pngjs writes). */
export function decodePng(png: Buffer): Image {
  if (png.length < 8 || png.toString('latin1', 1, 4) !== 'PNG' || png[0] !== 0x89) throw new Error('not a PNG image');
  let off = 8;
  let width = 0;
  let height = 0;
  let colorType = -1;
  const idat: Buffer[] = [];
  while (off + 8 <= png.length) {
    const len = png.readUInt32BE(off);
    const type = png.toString('latin1', off + 4, off + 8);
    const data = png.subarray(off + 8, off + 8 + len);
    if (data.length !== len) throw new Error('PNG image cut short');
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const [depth, ct, , , interlace] = [data[8], data[9], data[10], data[11], data[12]];
      if (depth !== 8 || ![0, 2, 4, 6].includes(ct) || interlace !== 0) throw new Error(`PNG format not supported (depth ${depth}, color type ${ct})`);
      colorType = ct;
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    off += 12 + len;
  }
  if (colorType < 0 || !width || !height || width > MAX_SIDE || height > MAX_SIDE) throw new Error('PNG image without a usable header');
  const channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[colorType]!;
  const stride = width * channels;
  const raw = inflateSync(Buffer.concat(idat), { maxOutputLength: (stride + 1) * height });
  if (raw.length !== (stride + 1) * height) throw new Error('PNG image data has the wrong size');
  const px = unfilter(raw, stride, height, channels);
  return {
    width,
    height,
    dark: (x, y) => {
      const i = y * stride + x * channels;
      const grey = channels >= 3 ? (px[i] + px[i + 1] + px[i + 2]) / 3 : px[i];
      const alpha = channels === 2 ? px[i + 1] : channels === 4 ? px[i + 3] : 255;
      return alpha >= 128 && grey < 128;
    },
  };
}

function unfilter(raw: Buffer, stride: number, height: number, bpp: number): Uint8Array {
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = y * stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? out[row + x - bpp] : 0;
      const b = y > 0 ? out[row - stride + x] : 0;
      const c = x >= bpp && y > 0 ? out[row - stride + x - bpp] : 0;
      let pred: number;
      if (f === 0) pred = 0;
      else if (f === 1) pred = a;
      else if (f === 2) pred = b;
      else if (f === 3) pred = (a + b) >> 1;
      else if (f === 4) pred = paeth(a, b, c);
      else throw new Error(`PNG filter ${f} unknown`);
      out[row + x] = (line[x] + pred) & 0xff;
    }
  }
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** The module grid of a rendered QR code: the dark bounding box, the module size from the top-left finder. */
export function qrMatrixFromPng(png: Buffer): QrMatrix {
  const img = decodePng(png);
  let [x0, y0, x1, y1] = [img.width, img.height, -1, -1];
  for (let y = 0; y < img.height; y++)
    for (let x = 0; x < img.width; x++)
      if (img.dark(x, y)) {
        x0 = Math.min(x0, x);
        y0 = Math.min(y0, y);
        x1 = Math.max(x1, x);
        y1 = Math.max(y1, y);
      }
  if (x1 < 0) throw new Error('the QR image is blank');
  let run = 0;
  while (x0 + run <= x1 && img.dark(x0 + run, y0)) run++;
  const m = run / 7;
  const side = (x1 - x0 + 1) / m;
  if (!Number.isInteger(m) || !Number.isInteger(side) || y1 - y0 + 1 !== x1 - x0 + 1 || side < 21 || side > 177 || (side - 21) % 4 !== 0)
    throw new Error('the image is not a QR code');
  const matrix: QrMatrix = [];
  for (let r = 0; r < side; r++) {
    const row: boolean[] = [];
    for (let c = 0; c < side; c++) row.push(img.dark(x0 + Math.floor((c + 0.5) * m), y0 + Math.floor((r + 0.5) * m)));
    matrix.push(row);
  }
  for (const [r, c] of [
    [0, 0],
    [0, side - 7],
    [side - 7, 0],
  ])
    if (!finderAt(matrix, r, c)) throw new Error('the image is not a QR code (no finder pattern)');
  return matrix;
}

function finderAt(m: QrMatrix, r0: number, c0: number): boolean {
  for (let r = 0; r < 7; r++)
    for (let c = 0; c < 7; c++) {
      const ring = Math.max(Math.abs(r - 3), Math.abs(c - 3));
      if (m[r0 + r][c0 + c] !== (ring !== 2)) return false;
    }
  return true;
}

/** Light modules around the code; 4 is what the QR standard asks for. */
export const QUIET_ZONE = 4;

/**
 * The code as text, two modules per character cell (upper and lower half blocks), so a
 * square module is about one cell wide and half a cell high: square on a usual terminal
 * font. With `color`, black on bright white is set explicitly, so the code scans the same
 * on a dark terminal theme; without, dark modules are the block characters.
 */
export function renderQr(matrix: QrMatrix, o: { color: boolean }): string[] {
  const side = matrix.length + 2 * QUIET_ZONE;
  const at = (r: number, c: number) => {
    const [mr, mc] = [r - QUIET_ZONE, c - QUIET_ZONE];
    return mr >= 0 && mc >= 0 && mr < matrix.length && mc < matrix.length && matrix[mr][mc];
  };
  const lines: string[] = [];
  for (let r = 0; r < side; r += 2) {
    let s = '';
    for (let c = 0; c < side; c++) {
      const top = at(r, c);
      const bottom = r + 1 < side && at(r + 1, c);
      s += top && bottom ? '█' : top ? '▀' : bottom ? '▄' : ' ';
    }
    lines.push(o.color ? `\x1b[30;107m${s}\x1b[0m` : s);
  }
  return lines;
}

/** The terminal size the drawn code needs: columns, rows. */
export function qrCells(matrix: QrMatrix): { columns: number; rows: number } {
  const side = matrix.length + 2 * QUIET_ZONE;
  return { columns: side, rows: Math.ceil(side / 2) };
}
