// A multi-select answered faster than React renders: a space and an Enter read one right after
// the other, before the next render (a fast typist, a starved CPU). @inkjs/ui's own Enter sent the value of the last render and
// lost the tick ("Model providers: none"); the wizard's MultiChoice sends what was ticked.
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { FieldInput } from '../../src/ui/views/field-input.js';
import type { RawInput } from '../../src/ui/wizard/parse-field.js';
import type { Field } from '../../src/ui/wizard/types.js';
import { tick, type Rendered } from './drive.js';

let mounted: Rendered | null = null;
afterEach(() => {
  mounted?.unmount();
  mounted = null;
});

const field = (initial: string[] = []) =>
  ({
    id: 'openclaw.providers',
    screen: 'openclaw',
    label: 'Model providers',
    kind: 'multi',
    path: ['openclaw', 'providers'],
    initial,
    options: [
      { label: 'Anthropic', value: 'anthropic' },
      { label: 'OpenAI', value: 'openai' },
      { label: 'OpenRouter', value: 'openrouter' },
    ],
  }) as unknown as Field;

async function answer(keys: string[], initial?: string[]): Promise<RawInput[]> {
  const got: RawInput[] = [];
  const r = render(<FieldInput field={field(initial)} hasValue={false} onEdit={() => {}} onAnswer={(v) => got.push(v)} onError={() => {}} />);
  mounted = r;
  await tick(50);
  // Each write is one read for Ink; no await between them, so React has not rendered in between.
  for (const k of keys) r.stdin.write(k);
  for (let i = 0; i < 100 && !got.length; i++) await tick(20);
  return got;
}

describe('multi-select answered before React renders again', () => {
  it('space then Enter: the ticked option is submitted', async () => {
    expect(await answer([' ', '\r'])).toEqual([['anthropic']]);
  });

  it('down, space, down, space, Enter: both ticks are submitted, once', async () => {
    const got = await answer(['\x1b[B', ' ', '\x1b[B', ' ', '\r']);
    await tick(60);
    expect(got).toEqual([['openai', 'openrouter']]);
  });

  it('Enter alone keeps the default; a tick taken back in the same read is not sent', async () => {
    expect(await answer(['\r'], ['openai'])).toEqual([['openai']]);
    mounted?.unmount();
    expect(await answer([' ', ' ', '\r'])).toEqual([[]]);
  });
});
