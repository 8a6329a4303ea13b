// A QR code drawn in a terminal, read back as a camera would: shared by the unit test of the drawing
// (test/qr-terminal.test.ts) and the pairing e2e, each of which decodes the pixels with jsQR.

/** The drawn text back to pixels (each module 4×4, light around), as a camera would see it. */
export function pixelsOf(lines: string[]): { data: Uint8ClampedArray; width: number; height: number } {
  const s = 4;
  const clean = lines.map((l) => l.replace(/\x1b\[[0-9;]*m/g, ''));
  const width = clean[0].length * s;
  const height = clean.length * 2 * s;
  const data = new Uint8ClampedArray(width * height * 4).fill(255);
  clean.forEach((line, row) =>
    [...line].forEach((ch, col) => {
      const halves = { '█': [true, true], '▀': [true, false], '▄': [false, true], ' ': [false, false] }[ch];
      if (!halves) throw new Error(`unexpected character ${JSON.stringify(ch)}`);
      halves.forEach((dark, h) => {
        if (!dark) return;
        for (let y = 0; y < s; y++)
          for (let x = 0; x < s; x++) {
            const i = (((row * 2 + h) * s + y) * width + col * s + x) * 4;
            data[i] = data[i + 1] = data[i + 2] = 0;
          }
      });
    }),
  );
  return { data, width, height };
}
