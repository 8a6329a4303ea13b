// Esc back to a multi-select keeps what was picked there (issue 13 item 10), and so does a
// wizard-only single choice: the question shows the earlier answer, not the default.
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/ui/app.js';
import { currentField, type WizardState } from '../../src/ui/wizard/reducer.js';
import { currentLabel, KEY, press, tick, waitFor, type Rendered } from './drive.js';
import { answerUntil, dryDeps, fresh, keyDir, run, stateFor } from './helpers.js';

const ENV = { CLAW_SUDO_PASSWORD: 'a-long-sudo-password' };

describe('going back to a choice (reducer)', () => {
  it('the multi-select shows the providers picked before, not the default', () => {
    let s: WizardState = answerUntil(fresh(), 'openclaw.providers');
    expect(currentField(s)!.initial).toEqual(['anthropic']);
    s = run(s, { type: 'answer', raw: ['openai', 'google'] });
    expect(s.cursor).not.toBe('openclaw.providers');
    s = run(s, { type: 'back' });
    while (s.cursor !== 'openclaw.providers') s = run(s, { type: 'back' });
    expect(currentField(s)!.initial).toEqual(['openai', 'google']);
  });

  it('so does a single choice asked only by the wizard (the gateway token)', () => {
    let s: WizardState = answerUntil(fresh(), 'openclaw.gatewayToken');
    s = run(s, { type: 'answer', raw: 'type' }, { type: 'back' });
    expect(s.cursor).toBe('openclaw.gatewayToken');
    expect(currentField(s)!.initial).toBe('type');
  });
});

let mounted: Rendered | null = null;
afterEach(() => {
  mounted?.unmount();
  mounted = null;
});

/** The option lines of the multi-select: label and whether it is ticked. */
const ticked = (frame: string): string[] =>
  frame
    .split('\n')
    .filter((l) => /\(\w+_API_KEY\)/.test(l) && l.includes('✔'))
    .map((l) => /(\w+) \(/.exec(l)![1]);

describe('going back to a multi-select (the wizard on screen)', () => {
  it('Esc back from the next question shows the earlier selection ticked', async () => {
    const { key } = keyDir();
    const r = render(<App init={stateFor(['--dry-run', '--host', '203.0.113.10'], ENV, key)} deps={dryDeps()} onExit={() => {}} />);
    mounted = r;
    await waitFor(r, /Welcome/);
    await press(r, KEY.enter);
    let f = '';
    for (let i = 0; i < 100; i++) {
      f = await waitFor(r, /^› /m);
      if (currentLabel(f) === 'Model providers') break;
      await press(r, KEY.enter);
      for (let j = 0; j < 200 && r.lastFrame() === f; j++) await tick(10);
    }
    expect(ticked(f)).toEqual(['anthropic']);
    // Untick anthropic, tick the second provider, confirm.
    await press(r, KEY.space, KEY.down, KEY.space);
    const picked = ticked(r.lastFrame()!);
    expect(picked).toHaveLength(1);
    expect(picked[0]).not.toBe('anthropic');
    await press(r, KEY.enter);
    await waitFor(r, new RegExp(`› ${picked[0]} API key`));
    await press(r, KEY.esc);
    f = await waitFor(r, /› Model providers/);
    expect(ticked(f)).toEqual(picked);
  });
});
