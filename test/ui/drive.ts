import type { render } from 'ink-testing-library';

export const KEY = { enter: '\r', esc: '\x1b', down: '\x1b[B', up: '\x1b[A', space: ' ', ctrlC: '\x03', pageDown: '\x1b[6~' } as const;
export type Rendered = ReturnType<typeof render>;

export const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms));

/** Writes keys one by one, letting Ink and React settle in between (a chunk is one keypress to Ink). */
export async function press(r: Rendered, ...keys: string[]): Promise<void> {
  for (const k of keys) {
    r.stdin.write(k);
    await tick();
  }
}

/** Waits until the last frame matches. */
export async function waitFor(r: Rendered, re: RegExp, ms = 5000): Promise<string> {
  const end = Date.now() + ms;
  for (;;) {
    const f = r.lastFrame() ?? '';
    if (re.test(f)) {
      // Input hooks subscribe in effects, just after the frame is drawn: let them (generously: CI is busy).
      await tick(80);
      return r.lastFrame() ?? f;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${re}; last frame:\n${f}`);
    await tick(10);
  }
}

/** Waits (up to 2 s) until the frame is no longer `frame`, so a stale frame is never answered twice. */
async function changed(r: Rendered, frame: string): Promise<void> {
  for (let i = 0; i < 200 && r.lastFrame() === frame; i++) await tick(10);
}

/** The label of the question in focus ("› label"). */
export const currentLabel = (frame: string): string | null => /^› (.+?)\s*$/m.exec(frame)?.[1] ?? null;

/**
 * Answers questions by label until the review screen: the first matching
 * entry's keys are typed; anything else is accepted with Enter.
 */
export type Script = [RegExp, string[] | ((frame: string) => string[])][];

export async function answerAll(r: Rendered, script: Script, seen: string[] = []): Promise<string[]> {
  for (let i = 0; i < 300; i++) {
    const frame = await waitFor(r, /^› |Review/m);
    if (/claw-setup · Review/.test(frame)) return seen;
    const label = currentLabel(frame)!;
    seen.push(label);
    const hit = script.find(([re]) => re.test(label));
    const keys = !hit ? [KEY.enter] : typeof hit[1] === 'function' ? hit[1](frame) : hit[1];
    await press(r, ...keys);
    // A typed-twice secret shows "type it again": its second entry is the same keys.
    if (/type it again to confirm/.test(r.lastFrame() ?? '') && hit) {
      await tick(30);
      await press(r, ...keys);
    }
    await changed(r, frame);
  }
  throw new Error(`never reached the review; asked: ${seen.join(' | ')}`);
}
